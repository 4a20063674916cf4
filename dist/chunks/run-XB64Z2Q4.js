import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  register,
  runSession
} from "./chunk-N3EJZIV3.js";
import "./chunk-BMOT6OFM.js";
import "./chunk-WRUTS4SB.js";
import "./chunk-BIL74MOP.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-WZUMA644.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-YTE7NXWJ.js";
import "./chunk-EHUEKYDK.js";
import "./chunk-OQ5N42L7.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  buildProgress,
  pipelineCommand,
  register,
  runSession
};
