import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  API_VERSION,
  esc,
  newFileUrl,
  publishSite,
  safeHttpUrl,
  suggestFix,
  writeSimpleIndex
} from "./chunk-XQJF3MLG.js";
import "./chunk-LOLMKOCG.js";
import "./chunk-3LOFCYLJ.js";
import "./chunk-UNLQIFJ6.js";
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
