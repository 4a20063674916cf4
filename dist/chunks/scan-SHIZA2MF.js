import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-LNNTQXLD.js";
import "./chunk-CXVFCXX7.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-WKT5SJZN.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-J3IICNCM.js";
import "./chunk-E6D7FJRM.js";
import "./chunk-YHH5SFVD.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
