import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-DY43JDHN.js";
import "./chunk-KQZH2FJE.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-CPCMRKAF.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-OA2S2NJB.js";
import "./chunk-O23WXLNU.js";
import "./chunk-GNHYITKS.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
