import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-K3F2OANK.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-WKXA6R4B.js";
import "./chunk-FNOCCPS5.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-OEWOXJ6P.js";
import "./chunk-IOF427PI.js";
import "./chunk-SAK5H3E7.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
