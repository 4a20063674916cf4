import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  API_VERSION,
  esc,
  newFileUrl,
  publishSite,
  safeHttpUrl,
  suggestFix,
  writeSimpleIndex
} from "./chunk-HL2ZDJRX.js";
import "./chunk-CY6NXZGB.js";
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
