import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  register,
  runSession
} from "./chunk-4WSKBHMV.js";
import "./chunk-IZXUDONJ.js";
import "./chunk-DVO75JKP.js";
import "./chunk-4U6B7DAP.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-AWFZ4F2L.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-UDU2KXXR.js";
import "./chunk-PCGWFO6G.js";
import "./chunk-YHH5SFVD.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  buildProgress,
  pipelineCommand,
  register,
  runSession
};
