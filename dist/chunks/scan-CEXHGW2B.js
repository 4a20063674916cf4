import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-BMOT6OFM.js";
import "./chunk-BIL74MOP.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-WZUMA644.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-YTE7NXWJ.js";
import "./chunk-EHUEKYDK.js";
import "./chunk-OQ5N42L7.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
