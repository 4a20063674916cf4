import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-BQPVO6LY.js";
import "./chunk-IN5S4CVQ.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-NK6NTLJQ.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-W3EI6D6A.js";
import "./chunk-33MZ4LWP.js";
import "./chunk-A56GH45N.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
