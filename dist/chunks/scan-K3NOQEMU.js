import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-TQTAL5JD.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-ZPFWYB4C.js";
import "./chunk-6MHVFQSU.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-YHABZENC.js";
import "./chunk-F6GP3FWE.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
