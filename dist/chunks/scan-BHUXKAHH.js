import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register
} from "./chunk-APLSXF2F.js";
import "./chunk-3QJIWBED.js";
import "./chunk-UR2U22QK.js";
import "./chunk-4G2OM25L.js";
import "./chunk-KQCQT7LV.js";
import "./chunk-5OCXB5FP.js";
import "./chunk-QBG53UBP.js";
import "./chunk-LXHUYZ3X.js";
import "./chunk-AHDE7365.js";
import "./chunk-BOAFMWDQ.js";
import "./chunk-CIHJ7QN7.js";
import "./chunk-NWFIOEDQ.js";
import "./chunk-5IHKWE6W.js";
import "./chunk-CZQUZSVW.js";
export {
  printInventory,
  register
};
