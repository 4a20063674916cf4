import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register
} from "./chunk-HG7NOYSN.js";
import "./chunk-BQ4DGOUV.js";
import "./chunk-SFTXTDFY.js";
import "./chunk-YTA5TDGE.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-5RNAZF3E.js";
import "./chunk-RYNH5UWE.js";
import "./chunk-LOLMKOCG.js";
import "./chunk-B3SVX456.js";
import "./chunk-3LOFCYLJ.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-U7XWDEL6.js";
import "./chunk-WVSMWCXV.js";
import "./chunk-UNLQIFJ6.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register
};
