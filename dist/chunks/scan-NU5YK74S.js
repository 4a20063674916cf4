import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register
} from "./chunk-KS62GNCU.js";
import "./chunk-O4RGZUW7.js";
import "./chunk-2PHBNAIT.js";
import "./chunk-BNNLW2G3.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-SXA7RWFH.js";
import "./chunk-Z6UYON7K.js";
import "./chunk-Q7N2TZGB.js";
import "./chunk-NJWFOZHF.js";
import "./chunk-BOAFMWDQ.js";
import "./chunk-CIHJ7QN7.js";
import "./chunk-IT6UO6IR.js";
import "./chunk-56VPNN2N.js";
import "./chunk-2Z5TIULM.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register
};
