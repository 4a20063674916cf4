import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printPlan,
  readInventory,
  register
} from "./chunk-7JAQ223K.js";
import "./chunk-VKWZJCDT.js";
import "./chunk-PHAEMG2N.js";
import "./chunk-JMWQ5GL6.js";
import "./chunk-OILDENPJ.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-7FO562RD.js";
import "./chunk-YL7U2S3A.js";
import "./chunk-Q7N2TZGB.js";
import "./chunk-K2CVZOKL.js";
import "./chunk-BOAFMWDQ.js";
import "./chunk-CIHJ7QN7.js";
import "./chunk-WT5GDXBR.js";
import "./chunk-56VPNN2N.js";
import "./chunk-2Z5TIULM.js";
import "./chunk-WHY2Q3TU.js";
export {
  printPlan,
  readInventory,
  register
};
