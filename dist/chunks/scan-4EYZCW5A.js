import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-6THABVRS.js";
import "./chunk-YJGBIER4.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-Z6NVDDJJ.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-U2HHQTOT.js";
import "./chunk-XVPSCNSK.js";
import "./chunk-BFBSUM3N.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
