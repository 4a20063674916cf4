import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  buildProgress,
  pipelineCommand,
  register,
  runSession
} from "./chunk-U4Y63HO4.js";
import "./chunk-NSCXDD2V.js";
import "./chunk-TNJ4LIHS.js";
import "./chunk-UHK4I72U.js";
import "./chunk-RY6K7J5I.js";
import "./chunk-JMSZCUFY.js";
import "./chunk-FHZVLPJT.js";
import "./chunk-KCAWH7LJ.js";
import "./chunk-DMD5NJYQ.js";
import "./chunk-ELQQZDI6.js";
import "./chunk-YHH5SFVD.js";
import "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";
export {
  buildProgress,
  pipelineCommand,
  register,
  runSession
};
