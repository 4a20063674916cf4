import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  API_VERSION,
  esc,
  newFileUrl,
  publishSite,
  safeHttpUrl,
  suggestFix,
  writeSimpleIndex
} from "./chunk-54NBMMLJ.js";
import "./chunk-3GYWTWBE.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  API_VERSION,
  esc,
  newFileUrl,
  publishSite,
  safeHttpUrl,
  suggestFix,
  writeSimpleIndex
};
