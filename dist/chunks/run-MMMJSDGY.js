import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  register,
  runSession
} from "./chunk-JTGNG5W2.js";
import "./chunk-SWJEQSKD.js";
import "./chunk-K2CX4PXY.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-FDP2T73B.js";
import "./chunk-6RM5K56H.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-BHNEN73Q.js";
import "./chunk-E4AHYMPS.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  buildProgress,
  pipelineCommand,
  register,
  runSession
};
