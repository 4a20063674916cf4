import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register
} from "./chunk-ZFVM45MN.js";
import "./chunk-5QPEUCKR.js";
import "./chunk-B7L3GXP5.js";
import "./chunk-SYUUEBRN.js";
import "./chunk-SLQFERWZ.js";
import "./chunk-KQCQT7LV.js";
import "./chunk-U5HJH765.js";
import "./chunk-QBG53UBP.js";
import "./chunk-LXHUYZ3X.js";
import "./chunk-YWKCAFSO.js";
import "./chunk-BOAFMWDQ.js";
import "./chunk-NWFIOEDQ.js";
import "./chunk-CIHJ7QN7.js";
import "./chunk-5IHKWE6W.js";
import "./chunk-CZQUZSVW.js";
export {
  printInventory,
  register
};
