import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  API_VERSION,
  esc,
  newFileUrl,
  publishSite,
  safeHttpUrl,
  suggestFix,
  writeSimpleIndex
} from "./chunk-7YW3IQOV.js";
import "./chunk-DKS6H6QQ.js";
import "./chunk-ICBVWXXB.js";
import "./chunk-XQTQ6XJF.js";
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
