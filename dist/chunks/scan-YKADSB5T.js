import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-7SHWUFNM.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-QUCLYSJU.js";
import "./chunk-FDKTBMEU.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-MHLS6TUH.js";
import "./chunk-J5ZFXILX.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
