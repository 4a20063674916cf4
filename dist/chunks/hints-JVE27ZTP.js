import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  loadCatalogs,
  register
} from "./chunk-EOWNP4N6.js";
import "./chunk-BOAFMWDQ.js";
import "./chunk-NWFIOEDQ.js";
import "./chunk-CIHJ7QN7.js";
import "./chunk-5IHKWE6W.js";
import "./chunk-CZQUZSVW.js";
export {
  loadCatalogs,
  register
};
