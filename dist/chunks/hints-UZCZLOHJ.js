import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  loadCatalogs,
  register
} from "./chunk-VMQSFOJA.js";
import "./chunk-RZJ3WXD5.js";
import "./chunk-ZJLNAHE2.js";
import "./chunk-CENVGPXI.js";
import "./chunk-CM6FYEPX.js";
import "./chunk-572IHGGD.js";
import "./chunk-XQTQ6XJF.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  loadCatalogs,
  register
};
