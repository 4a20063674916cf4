import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  register,
  runSession
} from "./chunk-RKNRKXYH.js";
import "./chunk-AB5QORX7.js";
import "./chunk-JVUQHEDN.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-G2UPADVR.js";
import "./chunk-AH4OMOV7.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-J66PH3CY.js";
import "./chunk-PMMR6Q27.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  buildProgress,
  pipelineCommand,
  register,
  runSession
};
