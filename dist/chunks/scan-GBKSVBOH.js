import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register
} from "./chunk-TSKRF6UL.js";
import "./chunk-QBORGZNG.js";
import "./chunk-QT6CMBSQ.js";
import "./chunk-DTYCQZ4Q.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-4JA6BMVH.js";
import "./chunk-YL7U2S3A.js";
import "./chunk-Q7N2TZGB.js";
import "./chunk-4TDFTENX.js";
import "./chunk-BOAFMWDQ.js";
import "./chunk-CIHJ7QN7.js";
import "./chunk-WT5GDXBR.js";
import "./chunk-56VPNN2N.js";
import "./chunk-2Z5TIULM.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register
};
