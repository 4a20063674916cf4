import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-OBGCLFR7.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-DZBWQM5U.js";
import "./chunk-HRJZXEBC.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-EIAMRVHF.js";
import "./chunk-BWAF4YX5.js";
import "./chunk-AD5IP5WG.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
