import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  register,
  runSession
} from "./chunk-YRGPKYOQ.js";
import "./chunk-EE7Y2CUA.js";
import "./chunk-5SQVHMKM.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-S736V35D.js";
import "./chunk-DGHS2IOR.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-ENUMYTR4.js";
import "./chunk-PTIUD6TK.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  buildProgress,
  pipelineCommand,
  register,
  runSession
};
