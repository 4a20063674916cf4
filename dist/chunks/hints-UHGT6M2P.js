import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  loadCatalogs,
  register
} from "./chunk-PJTFWB2N.js";
import "./chunk-NTQ7ZETI.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-U7XWDEL6.js";
import "./chunk-WVSMWCXV.js";
import "./chunk-UNLQIFJ6.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  loadCatalogs,
  register
};
