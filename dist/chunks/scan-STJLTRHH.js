import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-QYJHHHDU.js";
import "./chunk-N2WAETA6.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-GXHGMBPW.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-7G6CGSUQ.js";
import "./chunk-RN74JHBO.js";
import "./chunk-MLGTUF6C.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
