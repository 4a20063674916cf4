import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  register,
  runSession
} from "./chunk-UBA7OPXH.js";
import "./chunk-RRM7MFC3.js";
import "./chunk-UWOHCPMT.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-CJ52HNUP.js";
import "./chunk-DIWHVFUY.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-ULISQGTR.js";
import "./chunk-435Y2CJT.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  buildProgress,
  pipelineCommand,
  register,
  runSession
};
