import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-FQXFTOCZ.js";
import "./chunk-VK4MDVUH.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-MNYIK6IZ.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-HM2K72HU.js";
import "./chunk-HSMHA6FS.js";
import "./chunk-GNHYITKS.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
