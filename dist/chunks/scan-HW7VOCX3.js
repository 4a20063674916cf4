import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-IQ4ZX57X.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-33G2GLRL.js";
import "./chunk-NXDGWFJO.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-HGNTVFYV.js";
import "./chunk-5OZTNA4Y.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
