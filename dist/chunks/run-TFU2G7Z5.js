import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  register,
  runSession
} from "./chunk-HW5SZZSY.js";
import "./chunk-LNNTQXLD.js";
import "./chunk-NLH6UKVJ.js";
import "./chunk-CXVFCXX7.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-WKT5SJZN.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-J3IICNCM.js";
import "./chunk-E6D7FJRM.js";
import "./chunk-YHH5SFVD.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  buildProgress,
  pipelineCommand,
  register,
  runSession
};
