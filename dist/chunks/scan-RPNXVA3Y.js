import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register
} from "./chunk-ZUFMBTRR.js";
import "./chunk-7WKMKELF.js";
import "./chunk-S5LGE7SM.js";
import "./chunk-OYFZCO6L.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-BLU36D3Z.js";
import "./chunk-RYNH5UWE.js";
import "./chunk-DKS6H6QQ.js";
import "./chunk-TH7WXAOF.js";
import "./chunk-ICBVWXXB.js";
import "./chunk-ZJLNAHE2.js";
import "./chunk-CENVGPXI.js";
import "./chunk-CM6FYEPX.js";
import "./chunk-572IHGGD.js";
import "./chunk-XQTQ6XJF.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register
};
