import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-JJIDSLKP.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-HW3PGROJ.js";
import "./chunk-IJCWTGDZ.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-5QDRWLFL.js";
import "./chunk-IMYMWUSR.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
