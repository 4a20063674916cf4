import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  loadCatalogs,
  register
} from "./chunk-WE6C4CTV.js";
import "./chunk-4B7YVCOA.js";
import "./chunk-BOAFMWDQ.js";
import "./chunk-CIHJ7QN7.js";
import "./chunk-IT6UO6IR.js";
import "./chunk-56VPNN2N.js";
import "./chunk-2Z5TIULM.js";
import "./chunk-WHY2Q3TU.js";
export {
  loadCatalogs,
  register
};
