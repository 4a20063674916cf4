import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printPlan,
  readInventory,
  register
} from "./chunk-44FHXZPD.js";
import "./chunk-GRA7XLXE.js";
import "./chunk-JN7GZERB.js";
import "./chunk-P7ZTGRLV.js";
import "./chunk-64MAMEJM.js";
import "./chunk-32U4643K.js";
import "./chunk-KQCQT7LV.js";
import "./chunk-3IGGZK7Q.js";
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
