import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printPlan,
  readInventory,
  register
} from "./chunk-AHB5MBOT.js";
import "./chunk-GRA7XLXE.js";
import "./chunk-FWOQVQ7X.js";
import "./chunk-S7WSJ4QA.js";
import "./chunk-PVIOTJHC.js";
import "./chunk-EQKH5YIV.js";
import "./chunk-KQCQT7LV.js";
import "./chunk-RIAH266M.js";
import "./chunk-QBG53UBP.js";
import "./chunk-LXHUYZ3X.js";
import "./chunk-PCNOMRT7.js";
import "./chunk-BOAFMWDQ.js";
import "./chunk-NWFIOEDQ.js";
import "./chunk-CIHJ7QN7.js";
import "./chunk-5IHKWE6W.js";
import "./chunk-CZQUZSVW.js";
export {
  printPlan,
  readInventory,
  register
};
