import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printPlan,
  readInventory,
  register
} from "./chunk-YEXANVNX.js";
import "./chunk-GRA7XLXE.js";
import "./chunk-6BROSD37.js";
import "./chunk-6IETTUNU.js";
import "./chunk-4YSKHWN3.js";
import "./chunk-KQCQT7LV.js";
import "./chunk-I65DDDGO.js";
import "./chunk-QBG53UBP.js";
import "./chunk-LXHUYZ3X.js";
import "./chunk-MAFMRQ4G.js";
import "./chunk-BOAFMWDQ.js";
import "./chunk-CIHJ7QN7.js";
import "./chunk-NWFIOEDQ.js";
import "./chunk-5IHKWE6W.js";
import "./chunk-CZQUZSVW.js";
export {
  printPlan,
  readInventory,
  register
};
