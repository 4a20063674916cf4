import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  register,
  runSession
} from "./chunk-5WZYHVDN.js";
import "./chunk-DD3DM3DX.js";
import "./chunk-O47ZOQJM.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-XG3GD4C7.js";
import "./chunk-DFMNHIFQ.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-ANG5PJNO.js";
import "./chunk-BPT7FCKA.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  buildProgress,
  pipelineCommand,
  register,
  runSession
};
