import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  loadCatalogs,
  register
} from "./chunk-ZNTWDUZE.js";
import "./chunk-QKG5ZX4N.js";
import "./chunk-BOAFMWDQ.js";
import "./chunk-CIHJ7QN7.js";
import "./chunk-NWFIOEDQ.js";
import "./chunk-5IHKWE6W.js";
import "./chunk-CZQUZSVW.js";
export {
  loadCatalogs,
  register
};
