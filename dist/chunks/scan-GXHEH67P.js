import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  printInventory,
  register,
  runScan
} from "./chunk-JNCH6P5C.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-B72LEQKG.js";
import "./chunk-GRHNIY5Q.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-II7AJNHQ.js";
import "./chunk-HQHY5I3C.js";
import "./chunk-3GYWTWBE.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  printInventory,
  register,
  runScan
};
