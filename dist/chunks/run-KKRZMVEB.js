import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  register,
  runSession
} from "./chunk-VGGBRBDE.js";
import "./chunk-6CHIAH5I.js";
import "./chunk-7OHG2SLY.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-DU67JSRL.js";
import "./chunk-RRYCS6NB.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-FNG3YKTJ.js";
import "./chunk-HWPZDVOW.js";
import "./chunk-CY6NXZGB.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  buildProgress,
  pipelineCommand,
  register,
  runSession
};
