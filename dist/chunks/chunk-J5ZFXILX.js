import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  Attestation,
  BUILD_PHASES,
  BlobCache,
  BuildResult,
  Compiler,
  DEFAULT_RETRY_POLICY,
  DistFile,
  FailureClass,
  FileRefusedError,
  GITIGNORE_FILE,
  GITIGNORE_TEXT,
  HISTORY_DIR,
  HISTORY_SCHEMA,
  HistoryEntry,
  HttpClient,
  JOURNAL_FILE,
  LOCK_FILE,
  LibraryName,
  MARKER_FILE,
  ManifestEntry,
  PACKAGES_DIR,
  PACKAGE_MANAGERS,
  PACKAGE_SCHEMA,
  PLATFORM_POLICIES,
  Preset,
  PresetOverride,
  Provenance,
  PythonVersion,
  SPECIFIER_SOURCE,
  STATE_SCHEMA,
  Sha256Hex,
  TransparencyEntry,
  backoffDelayMs,
  canonicalLine,
  clauseContains,
  cmp,
  cmpTime,
  copyVerified,
  cpTag,
  decodeUtf8,
  downloadVerified,
  emptyPackage,
  external_exports,
  extractSafely,
  firstEvidence,
  groupRuns,
  historyFile,
  isPlainName,
  isSdist,
  isValidSpecifier,
  isValidSpecifierClause,
  isValidVersion,
  isWheel,
  loadState,
  mapLimit,
  mergePackage,
  mergeState,
  ms,
  normalizeName,
  normalizePackage,
  normalizeSpecifierSet,
  normalizeVersion,
  packageFile,
  packageOfFile,
  parse,
  parseCoreMetadata,
  parseJson,
  parseSdistFilename,
  parseStateFiles,
  parseWheelFilename,
  policyLibc,
  readArchiveMember,
  readJournal,
  readJson,
  readJsonIfPresent,
  readRegularFile,
  readSdistBuildRequires,
  readSdistPkgInfo,
  readSdistSource,
  readTextFile,
  readWheelMetadata,
  readZipMembers,
  redactUrl,
  satisfies,
  sha256,
  sha256File,
  stableJson,
  staticRequiresDist,
  targetId,
  validateJson,
  verifyBytes,
  versionCompare,
  wheelMismatch,
  writeCacheFileSync,
  writeFileAtomic,
  writeJsonAtomic
} from "./chunk-CY6NXZGB.js";
import {
  RefineryError,
  excerpt,
  printablePath
} from "./chunk-FLRCTOVA.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-WHY2Q3TU.js";

// node_modules/yaml/dist/nodes/identity.js
var require_identity = __commonJS({
  "node_modules/yaml/dist/nodes/identity.js"(exports) {
    "use strict";
    var ALIAS = /* @__PURE__ */ Symbol.for("yaml.alias");
    var DOC = /* @__PURE__ */ Symbol.for("yaml.document");
    var MAP = /* @__PURE__ */ Symbol.for("yaml.map");
    var PAIR = /* @__PURE__ */ Symbol.for("yaml.pair");
    var SCALAR = /* @__PURE__ */ Symbol.for("yaml.scalar");
    var SEQ = /* @__PURE__ */ Symbol.for("yaml.seq");
    var NODE_TYPE = /* @__PURE__ */ Symbol.for("yaml.node.type");
    var isAlias = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === ALIAS;
    var isDocument = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === DOC;
    var isMap2 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === MAP;
    var isPair = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === PAIR;
    var isScalar = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SCALAR;
    var isSeq2 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SEQ;
    function isCollection(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case MAP:
          case SEQ:
            return true;
        }
      return false;
    }
    function isNode(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case ALIAS:
          case MAP:
          case SCALAR:
          case SEQ:
            return true;
        }
      return false;
    }
    var hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;
    exports.ALIAS = ALIAS;
    exports.DOC = DOC;
    exports.MAP = MAP;
    exports.NODE_TYPE = NODE_TYPE;
    exports.PAIR = PAIR;
    exports.SCALAR = SCALAR;
    exports.SEQ = SEQ;
    exports.hasAnchor = hasAnchor;
    exports.isAlias = isAlias;
    exports.isCollection = isCollection;
    exports.isDocument = isDocument;
    exports.isMap = isMap2;
    exports.isNode = isNode;
    exports.isPair = isPair;
    exports.isScalar = isScalar;
    exports.isSeq = isSeq2;
  }
});

// node_modules/yaml/dist/visit.js
var require_visit = __commonJS({
  "node_modules/yaml/dist/visit.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove node");
    function visit(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity3.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        visit_(null, node, visitor_, Object.freeze([]));
    }
    visit.BREAK = BREAK;
    visit.SKIP = SKIP;
    visit.REMOVE = REMOVE;
    function visit_(key, node, visitor, path7) {
      const ctrl = callVisitor(key, node, visitor, path7);
      if (identity3.isNode(ctrl) || identity3.isPair(ctrl)) {
        replaceNode(key, path7, ctrl);
        return visit_(key, ctrl, visitor, path7);
      }
      if (typeof ctrl !== "symbol") {
        if (identity3.isCollection(node)) {
          path7 = Object.freeze(path7.concat(node));
          for (let i2 = 0; i2 < node.items.length; ++i2) {
            const ci = visit_(i2, node.items[i2], visitor, path7);
            if (typeof ci === "number")
              i2 = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i2, 1);
              i2 -= 1;
            }
          }
        } else if (identity3.isPair(node)) {
          path7 = Object.freeze(path7.concat(node));
          const ck = visit_("key", node.key, visitor, path7);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = visit_("value", node.value, visitor, path7);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    async function visitAsync(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity3.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
    }
    visitAsync.BREAK = BREAK;
    visitAsync.SKIP = SKIP;
    visitAsync.REMOVE = REMOVE;
    async function visitAsync_(key, node, visitor, path7) {
      const ctrl = await callVisitor(key, node, visitor, path7);
      if (identity3.isNode(ctrl) || identity3.isPair(ctrl)) {
        replaceNode(key, path7, ctrl);
        return visitAsync_(key, ctrl, visitor, path7);
      }
      if (typeof ctrl !== "symbol") {
        if (identity3.isCollection(node)) {
          path7 = Object.freeze(path7.concat(node));
          for (let i2 = 0; i2 < node.items.length; ++i2) {
            const ci = await visitAsync_(i2, node.items[i2], visitor, path7);
            if (typeof ci === "number")
              i2 = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i2, 1);
              i2 -= 1;
            }
          }
        } else if (identity3.isPair(node)) {
          path7 = Object.freeze(path7.concat(node));
          const ck = await visitAsync_("key", node.key, visitor, path7);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = await visitAsync_("value", node.value, visitor, path7);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    function initVisitor(visitor) {
      if (typeof visitor === "object" && (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
          Alias: visitor.Node,
          Map: visitor.Node,
          Scalar: visitor.Node,
          Seq: visitor.Node
        }, visitor.Value && {
          Map: visitor.Value,
          Scalar: visitor.Value,
          Seq: visitor.Value
        }, visitor.Collection && {
          Map: visitor.Collection,
          Seq: visitor.Collection
        }, visitor);
      }
      return visitor;
    }
    function callVisitor(key, node, visitor, path7) {
      if (typeof visitor === "function")
        return visitor(key, node, path7);
      if (identity3.isMap(node))
        return visitor.Map?.(key, node, path7);
      if (identity3.isSeq(node))
        return visitor.Seq?.(key, node, path7);
      if (identity3.isPair(node))
        return visitor.Pair?.(key, node, path7);
      if (identity3.isScalar(node))
        return visitor.Scalar?.(key, node, path7);
      if (identity3.isAlias(node))
        return visitor.Alias?.(key, node, path7);
      return void 0;
    }
    function replaceNode(key, path7, node) {
      const parent = path7[path7.length - 1];
      if (identity3.isCollection(parent)) {
        parent.items[key] = node;
      } else if (identity3.isPair(parent)) {
        if (key === "key")
          parent.key = node;
        else
          parent.value = node;
      } else if (identity3.isDocument(parent)) {
        parent.contents = node;
      } else {
        const pt = identity3.isAlias(parent) ? "alias" : "scalar";
        throw new Error(`Cannot replace node with ${pt} parent`);
      }
    }
    exports.visit = visit;
    exports.visitAsync = visitAsync;
  }
});

// node_modules/yaml/dist/doc/directives.js
var require_directives = __commonJS({
  "node_modules/yaml/dist/doc/directives.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var visit = require_visit();
    var escapeChars = {
      "!": "%21",
      ",": "%2C",
      "[": "%5B",
      "]": "%5D",
      "{": "%7B",
      "}": "%7D"
    };
    var escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, (ch) => escapeChars[ch]);
    var Directives = class _Directives {
      constructor(yaml, tags) {
        this.docStart = null;
        this.docEnd = false;
        this.yaml = Object.assign({}, _Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, _Directives.defaultTags, tags);
      }
      clone() {
        const copy = new _Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
      }
      /**
       * During parsing, get a Directives instance for the current document and
       * update the stream state according to the current version's spec.
       */
      atDocument() {
        const res = new _Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
          case "1.1":
            this.atNextDocument = true;
            break;
          case "1.2":
            this.atNextDocument = false;
            this.yaml = {
              explicit: _Directives.defaultYaml.explicit,
              version: "1.2"
            };
            this.tags = Object.assign({}, _Directives.defaultTags);
            break;
        }
        return res;
      }
      /**
       * @param onError - May be called even if the action was successful
       * @returns `true` on success
       */
      add(line, onError) {
        if (this.atNextDocument) {
          this.yaml = { explicit: _Directives.defaultYaml.explicit, version: "1.1" };
          this.tags = Object.assign({}, _Directives.defaultTags);
          this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
          case "%TAG": {
            if (parts.length !== 2) {
              onError(0, "%TAG directive should contain exactly two parts");
              if (parts.length < 2)
                return false;
            }
            const [handle, prefix] = parts;
            this.tags[handle] = prefix;
            return true;
          }
          case "%YAML": {
            this.yaml.explicit = true;
            if (parts.length !== 1) {
              onError(0, "%YAML directive should contain exactly one part");
              return false;
            }
            const [version] = parts;
            if (version === "1.1" || version === "1.2") {
              this.yaml.version = version;
              return true;
            } else {
              const isValid = /^\d+\.\d+$/.test(version);
              onError(6, `Unsupported YAML version ${version}`, isValid);
              return false;
            }
          }
          default:
            onError(0, `Unknown directive ${name}`, true);
            return false;
        }
      }
      /**
       * Resolves a tag, matching handles to those defined in %TAG directives.
       *
       * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
       *   `'!local'` tag, or `null` if unresolvable.
       */
      tagName(source, onError) {
        if (source === "!")
          return "!";
        if (source[0] !== "!") {
          onError(`Not a valid tag: ${source}`);
          return null;
        }
        if (source[1] === "<") {
          const verbatim = source.slice(2, -1);
          if (verbatim === "!" || verbatim === "!!") {
            onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
            return null;
          }
          if (source[source.length - 1] !== ">")
            onError("Verbatim tags must end with a >");
          return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
          onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
          try {
            return prefix + decodeURIComponent(suffix);
          } catch (error) {
            onError(String(error));
            return null;
          }
        }
        if (handle === "!")
          return source;
        onError(`Could not resolve tag: ${source}`);
        return null;
      }
      /**
       * Given a fully resolved tag, returns its printable string form,
       * taking into account current tag prefixes and defaults.
       */
      tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
          if (tag.startsWith(prefix))
            return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === "!" ? tag : `!<${tag}>`;
      }
      toString(doc) {
        const lines = this.yaml.explicit ? [`%YAML ${this.yaml.version || "1.2"}`] : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity3.isNode(doc.contents)) {
          const tags = {};
          visit.visit(doc.contents, (_key, node) => {
            if (identity3.isNode(node) && node.tag)
              tags[node.tag] = true;
          });
          tagNames = Object.keys(tags);
        } else
          tagNames = [];
        for (const [handle, prefix] of tagEntries) {
          if (handle === "!!" && prefix === "tag:yaml.org,2002:")
            continue;
          if (!doc || tagNames.some((tn) => tn.startsWith(prefix)))
            lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join("\n");
      }
    };
    Directives.defaultYaml = { explicit: false, version: "1.2" };
    Directives.defaultTags = { "!!": "tag:yaml.org,2002:" };
    exports.Directives = Directives;
  }
});

// node_modules/yaml/dist/doc/anchors.js
var require_anchors = __commonJS({
  "node_modules/yaml/dist/doc/anchors.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var visit = require_visit();
    function anchorIsValid(anchor) {
      if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
      }
      return true;
    }
    function anchorNames(root) {
      const anchors = /* @__PURE__ */ new Set();
      visit.visit(root, {
        Value(_key, node) {
          if (node.anchor)
            anchors.add(node.anchor);
        }
      });
      return anchors;
    }
    function findNewAnchor(prefix, exclude) {
      for (let i2 = 1; true; ++i2) {
        const name = `${prefix}${i2}`;
        if (!exclude.has(name))
          return name;
      }
    }
    function createNodeAnchors(doc, prefix) {
      const aliasObjects = [];
      const sourceObjects = /* @__PURE__ */ new Map();
      let prevAnchors = null;
      return {
        onAnchor: (source) => {
          aliasObjects.push(source);
          prevAnchors ?? (prevAnchors = anchorNames(doc));
          const anchor = findNewAnchor(prefix, prevAnchors);
          prevAnchors.add(anchor);
          return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
          for (const source of aliasObjects) {
            const ref2 = sourceObjects.get(source);
            if (typeof ref2 === "object" && ref2.anchor && (identity3.isScalar(ref2.node) || identity3.isCollection(ref2.node))) {
              ref2.node.anchor = ref2.anchor;
            } else {
              const error = new Error("Failed to resolve repeated object (this should not happen)");
              error.source = source;
              throw error;
            }
          }
        },
        sourceObjects
      };
    }
    exports.anchorIsValid = anchorIsValid;
    exports.anchorNames = anchorNames;
    exports.createNodeAnchors = createNodeAnchors;
    exports.findNewAnchor = findNewAnchor;
  }
});

// node_modules/yaml/dist/doc/applyReviver.js
var require_applyReviver = __commonJS({
  "node_modules/yaml/dist/doc/applyReviver.js"(exports) {
    "use strict";
    function applyReviver(reviver, obj, key, val) {
      if (val && typeof val === "object") {
        if (Array.isArray(val)) {
          for (let i2 = 0, len = val.length; i2 < len; ++i2) {
            const v0 = val[i2];
            const v1 = applyReviver(reviver, val, String(i2), v0);
            if (v1 === void 0)
              delete val[i2];
            else if (v1 !== v0)
              val[i2] = v1;
          }
        } else if (val instanceof Map) {
          for (const k of Array.from(val.keys())) {
            const v0 = val.get(k);
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              val.delete(k);
            else if (v1 !== v0)
              val.set(k, v1);
          }
        } else if (val instanceof Set) {
          for (const v0 of Array.from(val)) {
            const v1 = applyReviver(reviver, val, v0, v0);
            if (v1 === void 0)
              val.delete(v0);
            else if (v1 !== v0) {
              val.delete(v0);
              val.add(v1);
            }
          }
        } else {
          for (const [k, v0] of Object.entries(val)) {
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              delete val[k];
            else if (v1 !== v0)
              val[k] = v1;
          }
        }
      }
      return reviver.call(obj, key, val);
    }
    exports.applyReviver = applyReviver;
  }
});

// node_modules/yaml/dist/nodes/toJS.js
var require_toJS = __commonJS({
  "node_modules/yaml/dist/nodes/toJS.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    function toJS(value, arg, ctx) {
      if (Array.isArray(value))
        return value.map((v, i2) => toJS(v, String(i2), ctx));
      if (value && typeof value.toJSON === "function") {
        if (!ctx || !identity3.hasAnchor(value))
          return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: void 0 };
        ctx.anchors.set(value, data);
        ctx.onCreate = (res2) => {
          data.res = res2;
          delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
          ctx.onCreate(res);
        return res;
      }
      if (typeof value === "bigint" && !ctx?.keep)
        return Number(value);
      return value;
    }
    exports.toJS = toJS;
  }
});

// node_modules/yaml/dist/nodes/Node.js
var require_Node = __commonJS({
  "node_modules/yaml/dist/nodes/Node.js"(exports) {
    "use strict";
    var applyReviver = require_applyReviver();
    var identity3 = require_identity();
    var toJS = require_toJS();
    var NodeBase = class {
      constructor(type) {
        Object.defineProperty(this, identity3.NODE_TYPE, { value: type });
      }
      /** Create a copy of this node.  */
      clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** A plain JavaScript representation of this node. */
      toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity3.isDocument(doc))
          throw new TypeError("A document argument is required");
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc,
          keep: true,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, "", ctx);
        if (typeof onAnchor === "function")
          for (const { count: count2, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count2);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
    };
    exports.NodeBase = NodeBase;
  }
});

// node_modules/yaml/dist/nodes/Alias.js
var require_Alias = __commonJS({
  "node_modules/yaml/dist/nodes/Alias.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var visit = require_visit();
    var identity3 = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var Alias = class extends Node.NodeBase {
      constructor(source) {
        super(identity3.ALIAS);
        this.source = source;
        Object.defineProperty(this, "tag", {
          set() {
            throw new Error("Alias nodes cannot have tags");
          }
        });
      }
      /**
       * Resolve the value of this alias within `doc`, finding the last
       * instance of the `source` anchor before this node.
       */
      resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
          throw new ReferenceError("Alias resolution is disabled");
        let nodes;
        if (ctx?.aliasResolveCache) {
          nodes = ctx.aliasResolveCache;
        } else {
          nodes = [];
          visit.visit(doc, {
            Node: (_key, node) => {
              if (identity3.isAlias(node) || identity3.hasAnchor(node))
                nodes.push(node);
            }
          });
          if (ctx)
            ctx.aliasResolveCache = nodes;
        }
        let found = void 0;
        for (const node of nodes) {
          if (node === this)
            break;
          if (node.anchor === this.source)
            found = node;
        }
        if (found && ctx) {
          const { anchors: anchors2, doc: doc2, maxAliasCount } = ctx;
          let data = anchors2.get(found);
          if (!data) {
            toJS.toJS(found, null, ctx);
            data = anchors2.get(found);
          }
          if (data?.res === void 0) {
            const msg = "This should not happen: Alias anchor was not resolved?";
            throw new ReferenceError(msg);
          }
          if (maxAliasCount >= 0) {
            data.count += 1;
            if (data.aliasCount === 0)
              data.aliasCount = getAliasCount(doc2, found, anchors2);
            if (data.count * data.aliasCount > maxAliasCount) {
              const msg = "Excessive alias count indicates a resource exhaustion attack";
              throw new ReferenceError(msg);
            }
          }
        }
        return found;
      }
      toJSON(_arg, ctx) {
        if (!ctx)
          return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
          const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
          throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
      }
      toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
          anchors.anchorIsValid(this.source);
          if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new Error(msg);
          }
          if (ctx.implicitKey)
            return `${src} `;
        }
        return src;
      }
    };
    function getAliasCount(doc, node, anchors2) {
      if (identity3.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors2 && source && anchors2.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
      } else if (identity3.isCollection(node)) {
        let count2 = 0;
        for (const item of node.items) {
          const c3 = getAliasCount(doc, item, anchors2);
          if (c3 > count2)
            count2 = c3;
        }
        return count2;
      } else if (identity3.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors2);
        const vc = getAliasCount(doc, node.value, anchors2);
        return Math.max(kc, vc);
      }
      return 1;
    }
    exports.Alias = Alias;
  }
});

// node_modules/yaml/dist/nodes/Scalar.js
var require_Scalar = __commonJS({
  "node_modules/yaml/dist/nodes/Scalar.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var isScalarValue = (value) => !value || typeof value !== "function" && typeof value !== "object";
    var Scalar = class extends Node.NodeBase {
      constructor(value) {
        super(identity3.SCALAR);
        this.value = value;
      }
      toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
      }
      toString() {
        return String(this.value);
      }
    };
    Scalar.BLOCK_FOLDED = "BLOCK_FOLDED";
    Scalar.BLOCK_LITERAL = "BLOCK_LITERAL";
    Scalar.PLAIN = "PLAIN";
    Scalar.QUOTE_DOUBLE = "QUOTE_DOUBLE";
    Scalar.QUOTE_SINGLE = "QUOTE_SINGLE";
    exports.Scalar = Scalar;
    exports.isScalarValue = isScalarValue;
  }
});

// node_modules/yaml/dist/doc/createNode.js
var require_createNode = __commonJS({
  "node_modules/yaml/dist/doc/createNode.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity3 = require_identity();
    var Scalar = require_Scalar();
    var defaultTagPrefix = "tag:yaml.org,2002:";
    function findTagObject(value, tagName, tags) {
      if (tagName) {
        const match = tags.filter((t) => t.tag === tagName);
        const tagObj = match.find((t) => !t.format) ?? match[0];
        if (!tagObj)
          throw new Error(`Tag ${tagName} not found`);
        return tagObj;
      }
      return tags.find((t) => t.identify?.(value) && !t.format);
    }
    function createNode(value, tagName, ctx) {
      if (identity3.isDocument(value))
        value = value.contents;
      if (identity3.isNode(value))
        return value;
      if (identity3.isPair(value)) {
        const map = ctx.schema[identity3.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
      }
      if (value instanceof String || value instanceof Number || value instanceof Boolean || typeof BigInt !== "undefined" && value instanceof BigInt) {
        value = value.valueOf();
      }
      const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
      let ref2 = void 0;
      if (aliasDuplicateObjects && value && typeof value === "object") {
        ref2 = sourceObjects.get(value);
        if (ref2) {
          ref2.anchor ?? (ref2.anchor = onAnchor(value));
          return new Alias.Alias(ref2.anchor);
        } else {
          ref2 = { anchor: null, node: null };
          sourceObjects.set(value, ref2);
        }
      }
      if (tagName?.startsWith("!!"))
        tagName = defaultTagPrefix + tagName.slice(2);
      let tagObj = findTagObject(value, tagName, schema.tags);
      if (!tagObj) {
        if (value && typeof value.toJSON === "function") {
          value = value.toJSON();
        }
        if (!value || typeof value !== "object") {
          const node2 = new Scalar.Scalar(value);
          if (ref2)
            ref2.node = node2;
          return node2;
        }
        tagObj = value instanceof Map ? schema[identity3.MAP] : Symbol.iterator in Object(value) ? schema[identity3.SEQ] : schema[identity3.MAP];
      }
      if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
      }
      const node = tagObj?.createNode ? tagObj.createNode(ctx.schema, value, ctx) : typeof tagObj?.nodeClass?.from === "function" ? tagObj.nodeClass.from(ctx.schema, value, ctx) : new Scalar.Scalar(value);
      if (tagName)
        node.tag = tagName;
      else if (!tagObj.default)
        node.tag = tagObj.tag;
      if (ref2)
        ref2.node = node;
      return node;
    }
    exports.createNode = createNode;
  }
});

// node_modules/yaml/dist/nodes/Collection.js
var require_Collection = __commonJS({
  "node_modules/yaml/dist/nodes/Collection.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var identity3 = require_identity();
    var Node = require_Node();
    function collectionFromPath(schema, path7, value) {
      let v = value;
      for (let i2 = path7.length - 1; i2 >= 0; --i2) {
        const k = path7[i2];
        if (typeof k === "number" && Number.isInteger(k) && k >= 0) {
          const a2 = [];
          a2[k] = v;
          v = a2;
        } else {
          v = /* @__PURE__ */ new Map([[k, v]]);
        }
      }
      return createNode.createNode(v, void 0, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
          throw new Error("This should not happen, please report a bug.");
        },
        schema,
        sourceObjects: /* @__PURE__ */ new Map()
      });
    }
    var isEmptyPath = (path7) => path7 == null || typeof path7 === "object" && !!path7[Symbol.iterator]().next().done;
    var Collection = class extends Node.NodeBase {
      constructor(type, schema) {
        super(type);
        Object.defineProperty(this, "schema", {
          value: schema,
          configurable: true,
          enumerable: false,
          writable: true
        });
      }
      /**
       * Create a copy of this collection.
       *
       * @param schema - If defined, overwrites the original's schema
       */
      clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
          copy.schema = schema;
        copy.items = copy.items.map((it) => identity3.isNode(it) || identity3.isPair(it) ? it.clone(schema) : it);
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /**
       * Adds a value to the collection. For `!!map` and `!!omap` the value must
       * be a Pair instance or a `{ key, value }` object, which may not have a key
       * that already exists in the map.
       */
      addIn(path7, value) {
        if (isEmptyPath(path7))
          this.add(value);
        else {
          const [key, ...rest] = path7;
          const node = this.get(key, true);
          if (identity3.isCollection(node))
            node.addIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
      /**
       * Removes a value from the collection.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path7) {
        const [key, ...rest] = path7;
        if (rest.length === 0)
          return this.delete(key);
        const node = this.get(key, true);
        if (identity3.isCollection(node))
          return node.deleteIn(rest);
        else
          throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path7, keepScalar) {
        const [key, ...rest] = path7;
        const node = this.get(key, true);
        if (rest.length === 0)
          return !keepScalar && identity3.isScalar(node) ? node.value : node;
        else
          return identity3.isCollection(node) ? node.getIn(rest, keepScalar) : void 0;
      }
      hasAllNullValues(allowScalar) {
        return this.items.every((node) => {
          if (!identity3.isPair(node))
            return false;
          const n2 = node.value;
          return n2 == null || allowScalar && identity3.isScalar(n2) && n2.value == null && !n2.commentBefore && !n2.comment && !n2.tag;
        });
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       */
      hasIn(path7) {
        const [key, ...rest] = path7;
        if (rest.length === 0)
          return this.has(key);
        const node = this.get(key, true);
        return identity3.isCollection(node) ? node.hasIn(rest) : false;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path7, value) {
        const [key, ...rest] = path7;
        if (rest.length === 0) {
          this.set(key, value);
        } else {
          const node = this.get(key, true);
          if (identity3.isCollection(node))
            node.setIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
    };
    exports.Collection = Collection;
    exports.collectionFromPath = collectionFromPath;
    exports.isEmptyPath = isEmptyPath;
  }
});

// node_modules/yaml/dist/stringify/stringifyComment.js
var require_stringifyComment = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyComment.js"(exports) {
    "use strict";
    var stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, "#");
    function indentComment(comment, indent) {
      if (/^\n+$/.test(comment))
        return comment.substring(1);
      return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
    }
    var lineComment = (str, indent, comment) => str.endsWith("\n") ? indentComment(comment, indent) : comment.includes("\n") ? "\n" + indentComment(comment, indent) : (str.endsWith(" ") ? "" : " ") + comment;
    exports.indentComment = indentComment;
    exports.lineComment = lineComment;
    exports.stringifyComment = stringifyComment;
  }
});

// node_modules/yaml/dist/stringify/foldFlowLines.js
var require_foldFlowLines = __commonJS({
  "node_modules/yaml/dist/stringify/foldFlowLines.js"(exports) {
    "use strict";
    var FOLD_FLOW = "flow";
    var FOLD_BLOCK = "block";
    var FOLD_QUOTED = "quoted";
    function foldFlowLines(text, indent, mode = "flow", { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
      if (!lineWidth || lineWidth < 0)
        return text;
      if (lineWidth < minContentWidth)
        minContentWidth = 0;
      const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
      if (text.length <= endStep)
        return text;
      const folds = [];
      const escapedFolds = {};
      let end = lineWidth - indent.length;
      if (typeof indentAtStart === "number") {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
          folds.push(0);
        else
          end = lineWidth - indentAtStart;
      }
      let split = void 0;
      let prev = void 0;
      let overflow = false;
      let i2 = -1;
      let escStart = -1;
      let escEnd = -1;
      if (mode === FOLD_BLOCK) {
        i2 = consumeMoreIndentedLines(text, i2, indent.length);
        if (i2 !== -1)
          end = i2 + endStep;
      }
      for (let ch; ch = text[i2 += 1]; ) {
        if (mode === FOLD_QUOTED && ch === "\\") {
          escStart = i2;
          switch (text[i2 + 1]) {
            case "x":
              i2 += 3;
              break;
            case "u":
              i2 += 5;
              break;
            case "U":
              i2 += 9;
              break;
            default:
              i2 += 1;
          }
          escEnd = i2;
        }
        if (ch === "\n") {
          if (mode === FOLD_BLOCK)
            i2 = consumeMoreIndentedLines(text, i2, indent.length);
          end = i2 + indent.length + endStep;
          split = void 0;
        } else {
          if (ch === " " && prev && prev !== " " && prev !== "\n" && prev !== "	") {
            const next = text[i2 + 1];
            if (next && next !== " " && next !== "\n" && next !== "	")
              split = i2;
          }
          if (i2 >= end) {
            if (split) {
              folds.push(split);
              end = split + endStep;
              split = void 0;
            } else if (mode === FOLD_QUOTED) {
              while (prev === " " || prev === "	") {
                prev = ch;
                ch = text[i2 += 1];
                overflow = true;
              }
              const j = i2 > escEnd + 1 ? i2 - 2 : escStart - 1;
              if (escapedFolds[j])
                return text;
              folds.push(j);
              escapedFolds[j] = true;
              end = j + endStep;
              split = void 0;
            } else {
              overflow = true;
            }
          }
        }
        prev = ch;
      }
      if (overflow && onOverflow)
        onOverflow();
      if (folds.length === 0)
        return text;
      if (onFold)
        onFold();
      let res = text.slice(0, folds[0]);
      for (let i3 = 0; i3 < folds.length; ++i3) {
        const fold = folds[i3];
        const end2 = folds[i3 + 1] || text.length;
        if (fold === 0)
          res = `
${indent}${text.slice(0, end2)}`;
        else {
          if (mode === FOLD_QUOTED && escapedFolds[fold])
            res += `${text[fold]}\\`;
          res += `
${indent}${text.slice(fold + 1, end2)}`;
        }
      }
      return res;
    }
    function consumeMoreIndentedLines(text, i2, indent) {
      let end = i2;
      let start = i2 + 1;
      let ch = text[start];
      while (ch === " " || ch === "	") {
        if (i2 < start + indent) {
          ch = text[++i2];
        } else {
          do {
            ch = text[++i2];
          } while (ch && ch !== "\n");
          end = i2;
          start = i2 + 1;
          ch = text[start];
        }
      }
      return end;
    }
    exports.FOLD_BLOCK = FOLD_BLOCK;
    exports.FOLD_FLOW = FOLD_FLOW;
    exports.FOLD_QUOTED = FOLD_QUOTED;
    exports.foldFlowLines = foldFlowLines;
  }
});

// node_modules/yaml/dist/stringify/stringifyString.js
var require_stringifyString = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyString.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var foldFlowLines = require_foldFlowLines();
    var getFoldOptions = (ctx, isBlock) => ({
      indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
      lineWidth: ctx.options.lineWidth,
      minContentWidth: ctx.options.minContentWidth
    });
    var containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
    function lineLengthOverLimit(str, lineWidth, indentLength) {
      if (!lineWidth || lineWidth < 0)
        return false;
      const limit = lineWidth - indentLength;
      const strLen = str.length;
      if (strLen <= limit)
        return false;
      for (let i2 = 0, start = 0; i2 < strLen; ++i2) {
        if (str[i2] === "\n") {
          if (i2 - start > limit)
            return true;
          start = i2 + 1;
          if (strLen - start <= limit)
            return false;
        }
      }
      return true;
    }
    function doubleQuotedString(value, ctx) {
      const json = JSON.stringify(value);
      if (ctx.options.doubleQuotedAsJSON)
        return json;
      const { implicitKey } = ctx;
      const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      let str = "";
      let start = 0;
      for (let i2 = 0, ch = json[i2]; ch; ch = json[++i2]) {
        if (ch === " " && json[i2 + 1] === "\\" && json[i2 + 2] === "n") {
          str += json.slice(start, i2) + "\\ ";
          i2 += 1;
          start = i2;
          ch = "\\";
        }
        if (ch === "\\")
          switch (json[i2 + 1]) {
            case "u":
              {
                str += json.slice(start, i2);
                const code = json.substr(i2 + 2, 4);
                switch (code) {
                  case "0000":
                    str += "\\0";
                    break;
                  case "0007":
                    str += "\\a";
                    break;
                  case "000b":
                    str += "\\v";
                    break;
                  case "001b":
                    str += "\\e";
                    break;
                  case "0085":
                    str += "\\N";
                    break;
                  case "00a0":
                    str += "\\_";
                    break;
                  case "2028":
                    str += "\\L";
                    break;
                  case "2029":
                    str += "\\P";
                    break;
                  default:
                    if (code.substr(0, 2) === "00")
                      str += "\\x" + code.substr(2);
                    else
                      str += json.substr(i2, 6);
                }
                i2 += 5;
                start = i2 + 1;
              }
              break;
            case "n":
              if (implicitKey || json[i2 + 2] === '"' || json.length < minMultiLineLength) {
                i2 += 1;
              } else {
                str += json.slice(start, i2) + "\n\n";
                while (json[i2 + 2] === "\\" && json[i2 + 3] === "n" && json[i2 + 4] !== '"') {
                  str += "\n";
                  i2 += 2;
                }
                str += indent;
                if (json[i2 + 2] === " ")
                  str += "\\";
                i2 += 1;
                start = i2 + 1;
              }
              break;
            default:
              i2 += 1;
          }
      }
      str = start ? str + json.slice(start) : json;
      return implicitKey ? str : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
    }
    function singleQuotedString(value, ctx) {
      if (ctx.options.singleQuote === false || ctx.implicitKey && value.includes("\n") || /[ \t]\n|\n[ \t]/.test(value))
        return doubleQuotedString(value, ctx);
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&
${indent}`) + "'";
      return ctx.implicitKey ? res : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function quotedString(value, ctx) {
      const { singleQuote } = ctx.options;
      let qs;
      if (singleQuote === false)
        qs = doubleQuotedString;
      else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
          qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
          qs = doubleQuotedString;
        else
          qs = singleQuote ? singleQuotedString : doubleQuotedString;
      }
      return qs(value, ctx);
    }
    var blockEndNewlines;
    try {
      blockEndNewlines = new RegExp("(^|(?<!\n))\n+(?!\n|$)", "g");
    } catch {
      blockEndNewlines = /\n+(?!\n|$)/g;
    }
    function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
      const { blockQuote, commentString, lineWidth } = ctx.options;
      if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
      }
      const indent = ctx.indent || (ctx.forceBlockIndent || containsDocumentMarker(value) ? "  " : "");
      const literal = blockQuote === "literal" ? true : blockQuote === "folded" || type === Scalar.Scalar.BLOCK_FOLDED ? false : type === Scalar.Scalar.BLOCK_LITERAL ? true : !lineLengthOverLimit(value, lineWidth, indent.length);
      if (!value)
        return literal ? "|\n" : ">\n";
      let chomp;
      let endStart;
      for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== "\n" && ch !== "	" && ch !== " ")
          break;
      }
      let end = value.substring(endStart);
      const endNlPos = end.indexOf("\n");
      if (endNlPos === -1) {
        chomp = "-";
      } else if (value === end || endNlPos !== end.length - 1) {
        chomp = "+";
        if (onChompKeep)
          onChompKeep();
      } else {
        chomp = "";
      }
      if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === "\n")
          end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
      }
      let startWithSpace = false;
      let startEnd;
      let startNlPos = -1;
      for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === " ")
          startWithSpace = true;
        else if (ch === "\n")
          startNlPos = startEnd;
        else
          break;
      }
      let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
      if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
      }
      const indentSize = indent ? "2" : "1";
      let header = (startWithSpace ? indentSize : "") + chomp;
      if (comment) {
        header += " " + commentString(comment.replace(/ ?[\r\n]+/g, " "));
        if (onComment)
          onComment();
      }
      if (!literal) {
        const foldedValue = value.replace(/\n+/g, "\n$&").replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, "$1$2").replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== "folded" && type !== Scalar.Scalar.BLOCK_FOLDED) {
          foldOptions.onOverflow = () => {
            literalFallback = true;
          };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
          return `>${header}
${indent}${body}`;
      }
      value = value.replace(/\n+/g, `$&${indent}`);
      return `|${header}
${indent}${start}${value}${end}`;
    }
    function plainString(item, ctx, onComment, onChompKeep) {
      const { type, value } = item;
      const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
      if (implicitKey && value.includes("\n") || inFlow && /[[\]{},]/.test(value)) {
        return quotedString(value, ctx);
      }
      if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        return implicitKey || inFlow || !value.includes("\n") ? quotedString(value, ctx) : blockString(item, ctx, onComment, onChompKeep);
      }
      if (!implicitKey && !inFlow && type !== Scalar.Scalar.PLAIN && value.includes("\n")) {
        return blockString(item, ctx, onComment, onChompKeep);
      }
      if (containsDocumentMarker(value)) {
        if (indent === "") {
          ctx.forceBlockIndent = true;
          return blockString(item, ctx, onComment, onChompKeep);
        } else if (implicitKey && indent === indentStep) {
          return quotedString(value, ctx);
        }
      }
      const str = value.replace(/\n+/g, `$&
${indent}`);
      if (actualString) {
        const test = (tag) => tag.default && tag.tag !== "tag:yaml.org,2002:str" && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
          return quotedString(value, ctx);
      }
      return implicitKey ? str : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function stringifyString(item, ctx, onComment, onChompKeep) {
      const { implicitKey, inFlow } = ctx;
      const ss = typeof item.value === "string" ? item : Object.assign({}, item, { value: String(item.value) });
      let { type } = item;
      if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
          type = Scalar.Scalar.QUOTE_DOUBLE;
      }
      const _stringify = (_type) => {
        switch (_type) {
          case Scalar.Scalar.BLOCK_FOLDED:
          case Scalar.Scalar.BLOCK_LITERAL:
            return implicitKey || inFlow ? quotedString(ss.value, ctx) : blockString(ss, ctx, onComment, onChompKeep);
          case Scalar.Scalar.QUOTE_DOUBLE:
            return doubleQuotedString(ss.value, ctx);
          case Scalar.Scalar.QUOTE_SINGLE:
            return singleQuotedString(ss.value, ctx);
          case Scalar.Scalar.PLAIN:
            return plainString(ss, ctx, onComment, onChompKeep);
          default:
            return null;
        }
      };
      let res = _stringify(type);
      if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = implicitKey && defaultKeyType || defaultStringType;
        res = _stringify(t);
        if (res === null)
          throw new Error(`Unsupported default string type ${t}`);
      }
      return res;
    }
    exports.stringifyString = stringifyString;
  }
});

// node_modules/yaml/dist/stringify/stringify.js
var require_stringify = __commonJS({
  "node_modules/yaml/dist/stringify/stringify.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var identity3 = require_identity();
    var stringifyComment = require_stringifyComment();
    var stringifyString = require_stringifyString();
    function createStringifyContext(doc, options) {
      const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: "PLAIN",
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: "false",
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: "null",
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: "true",
        verifyAliasOrder: true
      }, doc.schema.toStringOptions, options);
      let inFlow;
      switch (opt.collectionStyle) {
        case "block":
          inFlow = false;
          break;
        case "flow":
          inFlow = true;
          break;
        default:
          inFlow = null;
      }
      return {
        anchors: /* @__PURE__ */ new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? " " : "",
        indent: "",
        indentStep: typeof opt.indent === "number" ? " ".repeat(opt.indent) : "  ",
        inFlow,
        options: opt
      };
    }
    function getTagObject(tags, item) {
      if (item.tag) {
        const match = tags.filter((t) => t.tag === item.tag);
        if (match.length > 0)
          return match.find((t) => t.format === item.format) ?? match[0];
      }
      let tagObj = void 0;
      let obj;
      if (identity3.isScalar(item)) {
        obj = item.value;
        let match = tags.filter((t) => t.identify?.(obj));
        if (match.length > 1) {
          const testMatch = match.filter((t) => t.test);
          if (testMatch.length > 0)
            match = testMatch;
        }
        tagObj = match.find((t) => t.format === item.format) ?? match.find((t) => !t.format);
      } else {
        obj = item;
        tagObj = tags.find((t) => t.nodeClass && obj instanceof t.nodeClass);
      }
      if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? "null" : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
      }
      return tagObj;
    }
    function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
      if (!doc.directives)
        return "";
      const props = [];
      const anchor = (identity3.isScalar(node) || identity3.isCollection(node)) && node.anchor;
      if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
      }
      const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
      if (tag)
        props.push(doc.directives.tagString(tag));
      return props.join(" ");
    }
    function stringify(item, ctx, onComment, onChompKeep) {
      if (identity3.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
      if (identity3.isAlias(item)) {
        if (ctx.doc.directives)
          return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
          throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        } else {
          if (ctx.resolvedAliases)
            ctx.resolvedAliases.add(item);
          else
            ctx.resolvedAliases = /* @__PURE__ */ new Set([item]);
          item = item.resolve(ctx.doc);
        }
      }
      let tagObj = void 0;
      const node = identity3.isNode(item) ? item : ctx.doc.createNode(item, { onTagObj: (o2) => tagObj = o2 });
      tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
      const props = stringifyProps(node, tagObj, ctx);
      if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
      const str = typeof tagObj.stringify === "function" ? tagObj.stringify(node, ctx, onComment, onChompKeep) : identity3.isScalar(node) ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep) : node.toString(ctx, onComment, onChompKeep);
      if (!props)
        return str;
      return identity3.isScalar(node) || str[0] === "{" || str[0] === "[" ? `${props} ${str}` : `${props}
${ctx.indent}${str}`;
    }
    exports.createStringifyContext = createStringifyContext;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/stringify/stringifyPair.js
var require_stringifyPair = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyPair.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var Scalar = require_Scalar();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
      const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
      let keyComment = identity3.isNode(key) && key.comment || null;
      if (simpleKeys) {
        if (keyComment) {
          throw new Error("With simple keys, key nodes cannot have comments");
        }
        if (identity3.isCollection(key) || !identity3.isNode(key) && typeof key === "object") {
          const msg = "With simple keys, collection cannot be used as a key value";
          throw new Error(msg);
        }
      }
      let explicitKey = !simpleKeys && (!key || keyComment && value == null && !ctx.inFlow || identity3.isCollection(key) || (identity3.isScalar(key) ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL : typeof key === "object"));
      ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
      });
      let keyCommentDone = false;
      let chompKeep = false;
      let str = stringify.stringify(key, ctx, () => keyCommentDone = true, () => chompKeep = true);
      if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
          throw new Error("With simple keys, single line scalar must not span more than 1024 characters");
        explicitKey = true;
      }
      if (ctx.inFlow) {
        if (allNullValues || value == null) {
          if (keyCommentDone && onComment)
            onComment();
          return str === "" ? "?" : explicitKey ? `? ${str}` : str;
        }
      } else if (allNullValues && !simpleKeys || value == null && explicitKey) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        } else if (chompKeep && onChompKeep)
          onChompKeep();
        return str;
      }
      if (keyCommentDone)
        keyComment = null;
      if (explicitKey) {
        if (keyComment)
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}
${indent}:`;
      } else {
        str = `${str}:`;
        if (keyComment)
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
      }
      let vsb, vcb, valueComment;
      if (identity3.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
      } else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === "object")
          value = doc.createNode(value);
      }
      ctx.implicitKey = false;
      if (!explicitKey && !keyComment && identity3.isScalar(value))
        ctx.indentAtStart = str.length + 1;
      chompKeep = false;
      if (!indentSeq && indentStep.length >= 2 && !ctx.inFlow && !explicitKey && identity3.isSeq(value) && !value.flow && !value.tag && !value.anchor) {
        ctx.indent = ctx.indent.substring(2);
      }
      let valueCommentDone = false;
      const valueStr = stringify.stringify(value, ctx, () => valueCommentDone = true, () => chompKeep = true);
      let ws = " ";
      if (keyComment || vsb || vcb) {
        ws = vsb ? "\n" : "";
        if (vcb) {
          const cs = commentString(vcb);
          ws += `
${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === "" && !ctx.inFlow) {
          if (ws === "\n" && valueComment)
            ws = "\n\n";
        } else {
          ws += `
${ctx.indent}`;
        }
      } else if (!explicitKey && identity3.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf("\n");
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
          let hasPropsLine = false;
          if (hasNewline && (vs0 === "&" || vs0 === "!")) {
            let sp0 = valueStr.indexOf(" ");
            if (vs0 === "&" && sp0 !== -1 && sp0 < nl0 && valueStr[sp0 + 1] === "!") {
              sp0 = valueStr.indexOf(" ", sp0 + 1);
            }
            if (sp0 === -1 || nl0 < sp0)
              hasPropsLine = true;
          }
          if (!hasPropsLine)
            ws = `
${ctx.indent}`;
        }
      } else if (valueStr === "" || valueStr[0] === "\n") {
        ws = "";
      }
      str += ws + valueStr;
      if (ctx.inFlow) {
        if (valueCommentDone && onComment)
          onComment();
      } else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
      } else if (chompKeep && onChompKeep) {
        onChompKeep();
      }
      return str;
    }
    exports.stringifyPair = stringifyPair;
  }
});

// node_modules/yaml/dist/log.js
var require_log = __commonJS({
  "node_modules/yaml/dist/log.js"(exports) {
    "use strict";
    var node_process = __require("process");
    function debug(logLevel, ...messages) {
      if (logLevel === "debug")
        console.log(...messages);
    }
    function warn(logLevel, warning) {
      if (logLevel === "debug" || logLevel === "warn") {
        if (typeof node_process.emitWarning === "function")
          node_process.emitWarning(warning);
        else
          console.warn(warning);
      }
    }
    exports.debug = debug;
    exports.warn = warn;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/merge.js
var require_merge = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/merge.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var Scalar = require_Scalar();
    var MERGE_KEY = "<<";
    var merge = {
      identify: (value) => value === MERGE_KEY || typeof value === "symbol" && value.description === MERGE_KEY,
      default: "key",
      tag: "tag:yaml.org,2002:merge",
      test: /^<<$/,
      resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
      }),
      stringify: () => MERGE_KEY
    };
    var isMergeKey = (ctx, key) => (merge.identify(key) || identity3.isScalar(key) && (!key.type || key.type === Scalar.Scalar.PLAIN) && merge.identify(key.value)) && ctx?.doc.schema.tags.some((tag) => tag.tag === merge.tag && tag.default);
    function addMergeToJSMap(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (identity3.isSeq(source))
        for (const it of source.items)
          mergeValue(ctx, map, it);
      else if (Array.isArray(source))
        for (const it of source)
          mergeValue(ctx, map, it);
      else
        mergeValue(ctx, map, source);
    }
    function mergeValue(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (!identity3.isMap(source))
        throw new Error("Merge sources must be maps or map aliases");
      const srcMap = source.toJSON(null, ctx, Map);
      for (const [key, value2] of srcMap) {
        if (map instanceof Map) {
          if (!map.has(key))
            map.set(key, value2);
        } else if (map instanceof Set) {
          map.add(key);
        } else if (!Object.prototype.hasOwnProperty.call(map, key)) {
          Object.defineProperty(map, key, {
            value: value2,
            writable: true,
            enumerable: true,
            configurable: true
          });
        }
      }
      return map;
    }
    function resolveAliasValue(ctx, value) {
      return ctx && identity3.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
    }
    exports.addMergeToJSMap = addMergeToJSMap;
    exports.isMergeKey = isMergeKey;
    exports.merge = merge;
  }
});

// node_modules/yaml/dist/nodes/addPairToJSMap.js
var require_addPairToJSMap = __commonJS({
  "node_modules/yaml/dist/nodes/addPairToJSMap.js"(exports) {
    "use strict";
    var log = require_log();
    var merge = require_merge();
    var stringify = require_stringify();
    var identity3 = require_identity();
    var toJS = require_toJS();
    function addPairToJSMap(ctx, map, { key, value }) {
      if (identity3.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
      else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
      else {
        const jsKey = toJS.toJS(key, "", ctx);
        if (map instanceof Map) {
          map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        } else if (map instanceof Set) {
          map.add(jsKey);
        } else {
          const stringKey = stringifyKey(key, jsKey, ctx);
          const jsValue = toJS.toJS(value, stringKey, ctx);
          if (stringKey in map)
            Object.defineProperty(map, stringKey, {
              value: jsValue,
              writable: true,
              enumerable: true,
              configurable: true
            });
          else
            map[stringKey] = jsValue;
        }
      }
      return map;
    }
    function stringifyKey(key, jsKey, ctx) {
      if (jsKey === null)
        return "";
      if (typeof jsKey !== "object")
        return String(jsKey);
      if (identity3.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = /* @__PURE__ */ new Set();
        for (const node of ctx.anchors.keys())
          strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
          let jsonStr = JSON.stringify(strKey);
          if (jsonStr.length > 40)
            jsonStr = jsonStr.substring(0, 36) + '..."';
          log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
          ctx.mapKeyWarned = true;
        }
        return strKey;
      }
      return JSON.stringify(jsKey);
    }
    exports.addPairToJSMap = addPairToJSMap;
  }
});

// node_modules/yaml/dist/nodes/Pair.js
var require_Pair = __commonJS({
  "node_modules/yaml/dist/nodes/Pair.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyPair = require_stringifyPair();
    var addPairToJSMap = require_addPairToJSMap();
    var identity3 = require_identity();
    function createPair(key, value, ctx) {
      const k = createNode.createNode(key, void 0, ctx);
      const v = createNode.createNode(value, void 0, ctx);
      return new Pair(k, v);
    }
    var Pair = class _Pair {
      constructor(key, value = null) {
        Object.defineProperty(this, identity3.NODE_TYPE, { value: identity3.PAIR });
        this.key = key;
        this.value = value;
      }
      clone(schema) {
        let { key, value } = this;
        if (identity3.isNode(key))
          key = key.clone(schema);
        if (identity3.isNode(value))
          value = value.clone(schema);
        return new _Pair(key, value);
      }
      toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
      }
      toString(ctx, onComment, onChompKeep) {
        return ctx?.doc ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep) : JSON.stringify(this);
      }
    };
    exports.Pair = Pair;
    exports.createPair = createPair;
  }
});

// node_modules/yaml/dist/stringify/stringifyCollection.js
var require_stringifyCollection = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyCollection.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyCollection(collection, ctx, options) {
      const flow = ctx.inFlow ?? collection.flow;
      const stringify2 = flow ? stringifyFlowCollection : stringifyBlockCollection;
      return stringify2(collection, ctx, options);
    }
    function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
      const { indent, options: { commentString } } = ctx;
      const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
      let chompKeep = false;
      const lines = [];
      for (let i2 = 0; i2 < items.length; ++i2) {
        const item = items[i2];
        let comment2 = null;
        if (identity3.isNode(item)) {
          if (!chompKeep && item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
          if (item.comment)
            comment2 = item.comment;
        } else if (identity3.isPair(item)) {
          const ik = identity3.isNode(item.key) ? item.key : null;
          if (ik) {
            if (!chompKeep && ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
          }
        }
        chompKeep = false;
        let str2 = stringify.stringify(item, itemCtx, () => comment2 = null, () => chompKeep = true);
        if (comment2)
          str2 += stringifyComment.lineComment(str2, itemIndent, commentString(comment2));
        if (chompKeep && comment2)
          chompKeep = false;
        lines.push(blockItemPrefix + str2);
      }
      let str;
      if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
      } else {
        str = lines[0];
        for (let i2 = 1; i2 < lines.length; ++i2) {
          const line = lines[i2];
          str += line ? `
${indent}${line}` : "\n";
        }
      }
      if (comment) {
        str += "\n" + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
          onComment();
      } else if (chompKeep && onChompKeep)
        onChompKeep();
      return str;
    }
    function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
      const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
      itemIndent += indentStep;
      const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
      });
      let reqNewline = false;
      let linesAtValue = 0;
      const lines = [];
      for (let i2 = 0; i2 < items.length; ++i2) {
        const item = items[i2];
        let comment = null;
        if (identity3.isNode(item)) {
          if (item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, false);
          if (item.comment)
            comment = item.comment;
        } else if (identity3.isPair(item)) {
          const ik = identity3.isNode(item.key) ? item.key : null;
          if (ik) {
            if (ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, false);
            if (ik.comment)
              reqNewline = true;
          }
          const iv = identity3.isNode(item.value) ? item.value : null;
          if (iv) {
            if (iv.comment)
              comment = iv.comment;
            if (iv.commentBefore)
              reqNewline = true;
          } else if (item.value == null && ik?.comment) {
            comment = ik.comment;
          }
        }
        if (comment)
          reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => comment = null);
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes("\n"));
        if (i2 < items.length - 1) {
          str += ",";
        } else if (ctx.options.trailingComma) {
          if (ctx.options.lineWidth > 0) {
            reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) + (str.length + 2) > ctx.options.lineWidth);
          }
          if (reqNewline) {
            str += ",";
          }
        }
        if (comment)
          str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
      }
      const { start, end } = flowChars;
      if (lines.length === 0) {
        return start + end;
      } else {
        if (!reqNewline) {
          const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
          reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
          let str = start;
          for (const line of lines)
            str += line ? `
${indentStep}${indent}${line}` : "\n";
          return `${str}
${indent}${end}`;
        } else {
          return `${start}${fcPadding}${lines.join(" ")}${fcPadding}${end}`;
        }
      }
    }
    function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
      if (comment && chompKeep)
        comment = comment.replace(/^\n+/, "");
      if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart());
      }
    }
    exports.stringifyCollection = stringifyCollection;
  }
});

// node_modules/yaml/dist/nodes/YAMLMap.js
var require_YAMLMap = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLMap.js"(exports) {
    "use strict";
    var stringifyCollection = require_stringifyCollection();
    var addPairToJSMap = require_addPairToJSMap();
    var Collection = require_Collection();
    var identity3 = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    function findPair(items, key) {
      const k = identity3.isScalar(key) ? key.value : key;
      for (const it of items) {
        if (identity3.isPair(it)) {
          if (it.key === key || it.key === k)
            return it;
          if (identity3.isScalar(it.key) && it.key.value === k)
            return it;
        }
      }
      return void 0;
    }
    var YAMLMap = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:map";
      }
      constructor(schema) {
        super(identity3.MAP, schema);
        this.items = [];
      }
      /**
       * A generic collection parsing method that can be extended
       * to other node classes that inherit from YAMLMap
       */
      static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
          if (typeof replacer === "function")
            value = replacer.call(obj, key, value);
          else if (Array.isArray(replacer) && !replacer.includes(key))
            return;
          if (value !== void 0 || keepUndefined)
            map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
          for (const [key, value] of obj)
            add(key, value);
        } else if (obj && typeof obj === "object") {
          for (const key of Object.keys(obj))
            add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === "function") {
          map.items.sort(schema.sortMapEntries);
        }
        return map;
      }
      /**
       * Adds a value to the collection.
       *
       * @param overwrite - If not set `true`, using a key that is already in the
       *   collection will throw. Otherwise, overwrites the previous value.
       */
      add(pair, overwrite) {
        let _pair;
        if (identity3.isPair(pair))
          _pair = pair;
        else if (!pair || typeof pair !== "object" || !("key" in pair)) {
          _pair = new Pair.Pair(pair, pair?.value);
        } else
          _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
          if (!overwrite)
            throw new Error(`Key ${_pair.key} already set`);
          if (identity3.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
            prev.value.value = _pair.value;
          else
            prev.value = _pair.value;
        } else if (sortEntries) {
          const i2 = this.items.findIndex((item) => sortEntries(_pair, item) < 0);
          if (i2 === -1)
            this.items.push(_pair);
          else
            this.items.splice(i2, 0, _pair);
        } else {
          this.items.push(_pair);
        }
      }
      delete(key) {
        const it = findPair(this.items, key);
        if (!it)
          return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity3.isScalar(node) ? node.value : node) ?? void 0;
      }
      has(key) {
        return !!findPair(this.items, key);
      }
      set(key, value) {
        this.add(new Pair.Pair(key, value), true);
      }
      /**
       * @param ctx - Conversion context, originally set in Document#toJS()
       * @param {Class} Type - If set, forces the returned collection type
       * @returns Instance of Type, Map, or Object
       */
      toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const item of this.items)
          addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        for (const item of this.items) {
          if (!identity3.isPair(item))
            throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
          ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "",
          flowChars: { start: "{", end: "}" },
          itemIndent: ctx.indent || "",
          onChompKeep,
          onComment
        });
      }
    };
    exports.YAMLMap = YAMLMap;
    exports.findPair = findPair;
  }
});

// node_modules/yaml/dist/schema/common/map.js
var require_map = __commonJS({
  "node_modules/yaml/dist/schema/common/map.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var YAMLMap = require_YAMLMap();
    var map = {
      collection: "map",
      default: true,
      nodeClass: YAMLMap.YAMLMap,
      tag: "tag:yaml.org,2002:map",
      resolve(map2, onError) {
        if (!identity3.isMap(map2))
          onError("Expected a mapping for this tag");
        return map2;
      },
      createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
    };
    exports.map = map;
  }
});

// node_modules/yaml/dist/nodes/YAMLSeq.js
var require_YAMLSeq = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLSeq.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyCollection = require_stringifyCollection();
    var Collection = require_Collection();
    var identity3 = require_identity();
    var Scalar = require_Scalar();
    var toJS = require_toJS();
    var YAMLSeq = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:seq";
      }
      constructor(schema) {
        super(identity3.SEQ, schema);
        this.items = [];
      }
      add(value) {
        this.items.push(value);
      }
      /**
       * Removes a value from the collection.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       *
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return void 0;
        const it = this.items[idx];
        return !keepScalar && identity3.isScalar(it) ? it.value : it;
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       */
      has(key) {
        const idx = asItemIndex(key);
        return typeof idx === "number" && idx < this.items.length;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       *
       * If `key` does not contain a representation of an integer, this will throw.
       * It may be wrapped in a `Scalar`.
       */
      set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity3.isScalar(prev) && Scalar.isScalarValue(value))
          prev.value = value;
        else
          this.items[idx] = value;
      }
      toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
          ctx.onCreate(seq);
        let i2 = 0;
        for (const item of this.items)
          seq.push(toJS.toJS(item, String(i2++), ctx));
        return seq;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "- ",
          flowChars: { start: "[", end: "]" },
          itemIndent: (ctx.indent || "") + "  ",
          onChompKeep,
          onComment
        });
      }
      static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
          let i2 = 0;
          for (let it of obj) {
            if (typeof replacer === "function") {
              const key = obj instanceof Set ? it : String(i2++);
              it = replacer.call(obj, key, it);
            }
            seq.items.push(createNode.createNode(it, void 0, ctx));
          }
        }
        return seq;
      }
    };
    function asItemIndex(key) {
      let idx = identity3.isScalar(key) ? key.value : key;
      if (idx && typeof idx === "string")
        idx = Number(idx);
      return typeof idx === "number" && Number.isInteger(idx) && idx >= 0 ? idx : null;
    }
    exports.YAMLSeq = YAMLSeq;
  }
});

// node_modules/yaml/dist/schema/common/seq.js
var require_seq = __commonJS({
  "node_modules/yaml/dist/schema/common/seq.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var YAMLSeq = require_YAMLSeq();
    var seq = {
      collection: "seq",
      default: true,
      nodeClass: YAMLSeq.YAMLSeq,
      tag: "tag:yaml.org,2002:seq",
      resolve(seq2, onError) {
        if (!identity3.isSeq(seq2))
          onError("Expected a sequence for this tag");
        return seq2;
      },
      createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
    };
    exports.seq = seq;
  }
});

// node_modules/yaml/dist/schema/common/string.js
var require_string = __commonJS({
  "node_modules/yaml/dist/schema/common/string.js"(exports) {
    "use strict";
    var stringifyString = require_stringifyString();
    var string = {
      identify: (value) => typeof value === "string",
      default: true,
      tag: "tag:yaml.org,2002:str",
      resolve: (str) => str,
      stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
      }
    };
    exports.string = string;
  }
});

// node_modules/yaml/dist/schema/common/null.js
var require_null = __commonJS({
  "node_modules/yaml/dist/schema/common/null.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var nullTag = {
      identify: (value) => value == null,
      createNode: () => new Scalar.Scalar(null),
      default: true,
      tag: "tag:yaml.org,2002:null",
      test: /^(?:~|[Nn]ull|NULL)?$/,
      resolve: () => new Scalar.Scalar(null),
      stringify: ({ source }, ctx) => typeof source === "string" && nullTag.test.test(source) ? source : ctx.options.nullStr
    };
    exports.nullTag = nullTag;
  }
});

// node_modules/yaml/dist/schema/core/bool.js
var require_bool = __commonJS({
  "node_modules/yaml/dist/schema/core/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var boolTag = {
      identify: (value) => typeof value === "boolean",
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
      resolve: (str) => new Scalar.Scalar(str[0] === "t" || str[0] === "T"),
      stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
          const sv = source[0] === "t" || source[0] === "T";
          if (value === sv)
            return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
      }
    };
    exports.boolTag = boolTag;
  }
});

// node_modules/yaml/dist/stringify/stringifyNumber.js
var require_stringifyNumber = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyNumber.js"(exports) {
    "use strict";
    function stringifyNumber({ format: format2, minFractionDigits, tag, value }) {
      if (typeof value === "bigint")
        return String(value);
      const num = typeof value === "number" ? value : Number(value);
      if (!isFinite(num))
        return isNaN(num) ? ".nan" : num < 0 ? "-.inf" : ".inf";
      let n2 = Object.is(value, -0) ? "-0" : JSON.stringify(value);
      if (!format2 && minFractionDigits && (!tag || tag === "tag:yaml.org,2002:float") && /^-?\d/.test(n2) && !n2.includes("e")) {
        let i2 = n2.indexOf(".");
        if (i2 < 0) {
          i2 = n2.length;
          n2 += ".";
        }
        let d = minFractionDigits - (n2.length - i2 - 1);
        while (d-- > 0)
          n2 += "0";
      }
      return n2;
    }
    exports.stringifyNumber = stringifyNumber;
  }
});

// node_modules/yaml/dist/schema/core/float.js
var require_float = __commonJS({
  "node_modules/yaml/dist/schema/core/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str) => str.slice(-3).toLowerCase() === "nan" ? NaN : str[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
      resolve: (str) => parseFloat(str),
      stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
      resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf(".");
        if (dot !== -1 && str[str.length - 1] === "0")
          node.minFractionDigits = str.length - dot - 1;
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/core/int.js
var require_int = __commonJS({
  "node_modules/yaml/dist/schema/core/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    var intResolve = (str, offset, radix, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix);
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
      return stringifyNumber.stringifyNumber(node);
    }
    var intOct = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^0o[0-7]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
      stringify: (node) => intStringify(node, 8, "0o")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^0x[0-9a-fA-F]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/core/schema.js
var require_schema = __commonJS({
  "node_modules/yaml/dist/schema/core/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool.boolTag,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/json/schema.js
var require_schema2 = __commonJS({
  "node_modules/yaml/dist/schema/json/schema.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var map = require_map();
    var seq = require_seq();
    function intIdentify(value) {
      return typeof value === "bigint" || Number.isInteger(value);
    }
    var stringifyJSON = ({ value }) => JSON.stringify(value);
    var jsonScalars = [
      {
        identify: (value) => typeof value === "string",
        default: true,
        tag: "tag:yaml.org,2002:str",
        resolve: (str) => str,
        stringify: stringifyJSON
      },
      {
        identify: (value) => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: "tag:yaml.org,2002:null",
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
      },
      {
        identify: (value) => typeof value === "boolean",
        default: true,
        tag: "tag:yaml.org,2002:bool",
        test: /^true$|^false$/,
        resolve: (str) => str === "true",
        stringify: stringifyJSON
      },
      {
        identify: intIdentify,
        default: true,
        tag: "tag:yaml.org,2002:int",
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
      },
      {
        identify: (value) => typeof value === "number",
        default: true,
        tag: "tag:yaml.org,2002:float",
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: (str) => parseFloat(str),
        stringify: stringifyJSON
      }
    ];
    var jsonError = {
      default: true,
      tag: "",
      test: /^/,
      resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
      }
    };
    var schema = [map.map, seq.seq].concat(jsonScalars, jsonError);
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/binary.js
var require_binary = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/binary.js"(exports) {
    "use strict";
    var node_buffer = __require("buffer");
    var Scalar = require_Scalar();
    var stringifyString = require_stringifyString();
    var binary = {
      identify: (value) => value instanceof Uint8Array,
      // Buffer inherits from Uint8Array
      default: false,
      tag: "tag:yaml.org,2002:binary",
      /**
       * Returns a Buffer in node and an Uint8Array in browsers
       *
       * To use the resulting buffer as an image, you'll want to do something like:
       *
       *   const blob = new Blob([buffer], { type: 'image/jpeg' })
       *   document.querySelector('#photo').src = URL.createObjectURL(blob)
       */
      resolve(src, onError) {
        if (typeof node_buffer.Buffer === "function") {
          return node_buffer.Buffer.from(src, "base64");
        } else if (typeof atob === "function") {
          const str = atob(src.replace(/[\n\r]/g, ""));
          const buffer = new Uint8Array(str.length);
          for (let i2 = 0; i2 < str.length; ++i2)
            buffer[i2] = str.charCodeAt(i2);
          return buffer;
        } else {
          onError("This environment does not support reading binary tags; either Buffer or atob is required");
          return src;
        }
      },
      stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
          return "";
        const buf = value;
        let str;
        if (typeof node_buffer.Buffer === "function") {
          str = buf instanceof node_buffer.Buffer ? buf.toString("base64") : node_buffer.Buffer.from(buf.buffer).toString("base64");
        } else if (typeof btoa === "function") {
          let s = "";
          for (let i2 = 0; i2 < buf.length; ++i2)
            s += String.fromCharCode(buf[i2]);
          str = btoa(s);
        } else {
          throw new Error("This environment does not support writing binary tags; either Buffer or btoa is required");
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
          const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
          const n2 = Math.ceil(str.length / lineWidth);
          const lines = new Array(n2);
          for (let i2 = 0, o2 = 0; i2 < n2; ++i2, o2 += lineWidth) {
            lines[i2] = str.substr(o2, lineWidth);
          }
          str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? "\n" : " ");
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
      }
    };
    exports.binary = binary;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/pairs.js
var require_pairs = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/pairs.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLSeq = require_YAMLSeq();
    function resolvePairs(seq, onError) {
      if (identity3.isSeq(seq)) {
        for (let i2 = 0; i2 < seq.items.length; ++i2) {
          let item = seq.items[i2];
          if (identity3.isPair(item))
            continue;
          else if (identity3.isMap(item)) {
            if (item.items.length > 1)
              onError("Each pair must have its own sequence indicator");
            const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
            if (item.commentBefore)
              pair.key.commentBefore = pair.key.commentBefore ? `${item.commentBefore}
${pair.key.commentBefore}` : item.commentBefore;
            if (item.comment) {
              const cn = pair.value ?? pair.key;
              cn.comment = cn.comment ? `${item.comment}
${cn.comment}` : item.comment;
            }
            item = pair;
          }
          seq.items[i2] = identity3.isPair(item) ? item : new Pair.Pair(item);
        }
      } else
        onError("Expected a sequence for this tag");
      return seq;
    }
    function createPairs(schema, iterable, ctx) {
      const { replacer } = ctx;
      const pairs2 = new YAMLSeq.YAMLSeq(schema);
      pairs2.tag = "tag:yaml.org,2002:pairs";
      let i2 = 0;
      if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
          if (typeof replacer === "function")
            it = replacer.call(iterable, String(i2++), it);
          let key, value;
          if (Array.isArray(it)) {
            if (it.length === 2) {
              key = it[0];
              value = it[1];
            } else
              throw new TypeError(`Expected [key, value] tuple: ${it}`);
          } else if (it && it instanceof Object) {
            const keys = Object.keys(it);
            if (keys.length === 1) {
              key = keys[0];
              value = it[key];
            } else {
              throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
            }
          } else {
            key = it;
          }
          pairs2.items.push(Pair.createPair(key, value, ctx));
        }
      return pairs2;
    }
    var pairs = {
      collection: "seq",
      default: false,
      tag: "tag:yaml.org,2002:pairs",
      resolve: resolvePairs,
      createNode: createPairs
    };
    exports.createPairs = createPairs;
    exports.pairs = pairs;
    exports.resolvePairs = resolvePairs;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/omap.js
var require_omap = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/omap.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var toJS = require_toJS();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var pairs = require_pairs();
    var YAMLOMap = class _YAMLOMap extends YAMLSeq.YAMLSeq {
      constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = _YAMLOMap.tag;
      }
      /**
       * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
       * but TypeScript won't allow widening the signature of a child method.
       */
      toJSON(_, ctx) {
        if (!ctx)
          return super.toJSON(_);
        const map = /* @__PURE__ */ new Map();
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const pair of this.items) {
          let key, value;
          if (identity3.isPair(pair)) {
            key = toJS.toJS(pair.key, "", ctx);
            value = toJS.toJS(pair.value, key, ctx);
          } else {
            key = toJS.toJS(pair, "", ctx);
          }
          if (map.has(key))
            throw new Error("Ordered maps must not include duplicate keys");
          map.set(key, value);
        }
        return map;
      }
      static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap2 = new this();
        omap2.items = pairs$1.items;
        return omap2;
      }
    };
    YAMLOMap.tag = "tag:yaml.org,2002:omap";
    var omap = {
      collection: "seq",
      identify: (value) => value instanceof Map,
      nodeClass: YAMLOMap,
      default: false,
      tag: "tag:yaml.org,2002:omap",
      resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
          if (identity3.isScalar(key)) {
            if (seenKeys.includes(key.value)) {
              onError(`Ordered maps must not include duplicate keys: ${key.value}`);
            } else {
              seenKeys.push(key.value);
            }
          }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
      },
      createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
    };
    exports.YAMLOMap = YAMLOMap;
    exports.omap = omap;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/bool.js
var require_bool2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function boolStringify({ value, source }, ctx) {
      const boolObj = value ? trueTag : falseTag;
      if (source && boolObj.test.test(source))
        return source;
      return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
    var trueTag = {
      identify: (value) => value === true,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
      resolve: () => new Scalar.Scalar(true),
      stringify: boolStringify
    };
    var falseTag = {
      identify: (value) => value === false,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
      resolve: () => new Scalar.Scalar(false),
      stringify: boolStringify
    };
    exports.falseTag = falseTag;
    exports.trueTag = trueTag;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/float.js
var require_float2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str) => str.slice(-3).toLowerCase() === "nan" ? NaN : str[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
      resolve: (str) => parseFloat(str.replace(/_/g, "")),
      stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
      resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, "")));
        const dot = str.indexOf(".");
        if (dot !== -1) {
          const f = str.substring(dot + 1).replace(/_/g, "");
          if (f[f.length - 1] === "0")
            node.minFractionDigits = f.length;
        }
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/int.js
var require_int2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    function intResolve(str, offset, radix, { intAsBigInt }) {
      const sign = str[0];
      if (sign === "-" || sign === "+")
        offset += 1;
      str = str.substring(offset).replace(/_/g, "");
      if (intAsBigInt) {
        switch (radix) {
          case 2:
            str = `0b${str}`;
            break;
          case 8:
            str = `0o${str}`;
            break;
          case 16:
            str = `0x${str}`;
            break;
        }
        const n3 = BigInt(str);
        return sign === "-" ? BigInt(-1) * n3 : n3;
      }
      const n2 = parseInt(str, radix);
      return sign === "-" ? -1 * n2 : n2;
    }
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? "-" + prefix + str.substr(1) : prefix + str;
      }
      return stringifyNumber.stringifyNumber(node);
    }
    var intBin = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "BIN",
      test: /^[-+]?0b[0-1_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
      stringify: (node) => intStringify(node, 2, "0b")
    };
    var intOct = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^[-+]?0[0-7_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
      stringify: (node) => intStringify(node, 8, "0")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9][0-9_]*$/,
      resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^[-+]?0x[0-9a-fA-F_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intBin = intBin;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/set.js
var require_set = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/set.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSet = class _YAMLSet extends YAMLMap.YAMLMap {
      constructor(schema) {
        super(schema);
        this.tag = _YAMLSet.tag;
      }
      add(key) {
        let pair;
        if (identity3.isPair(key))
          pair = key;
        else if (key && typeof key === "object" && "key" in key && "value" in key && key.value === null)
          pair = new Pair.Pair(key.key, null);
        else
          pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
          this.items.push(pair);
      }
      /**
       * If `keepPair` is `true`, returns the Pair matching `key`.
       * Otherwise, returns the value of that Pair's key.
       */
      get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity3.isPair(pair) ? identity3.isScalar(pair.key) ? pair.key.value : pair.key : pair;
      }
      set(key, value) {
        if (typeof value !== "boolean")
          throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
          this.items.splice(this.items.indexOf(prev), 1);
        } else if (!prev && value) {
          this.items.push(new Pair.Pair(key));
        }
      }
      toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        if (this.hasAllNullValues(true))
          return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
          throw new Error("Set items must all have null values");
      }
      static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set2 = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
          for (let value of iterable) {
            if (typeof replacer === "function")
              value = replacer.call(iterable, value, value);
            set2.items.push(Pair.createPair(value, null, ctx));
          }
        return set2;
      }
    };
    YAMLSet.tag = "tag:yaml.org,2002:set";
    var set = {
      collection: "map",
      identify: (value) => value instanceof Set,
      nodeClass: YAMLSet,
      default: false,
      tag: "tag:yaml.org,2002:set",
      createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
      resolve(map, onError) {
        if (identity3.isMap(map)) {
          if (map.hasAllNullValues(true))
            return Object.assign(new YAMLSet(), map);
          else
            onError("Set items must all have null values");
        } else
          onError("Expected a mapping for this tag");
        return map;
      }
    };
    exports.YAMLSet = YAMLSet;
    exports.set = set;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/timestamp.js
var require_timestamp = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/timestamp.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    function parseSexagesimal(str, asBigInt) {
      const sign = str[0];
      const parts = sign === "-" || sign === "+" ? str.substring(1) : str;
      const num = (n2) => asBigInt ? BigInt(n2) : Number(n2);
      const res = parts.replace(/_/g, "").split(":").reduce((res2, p) => res2 * num(60) + num(p), num(0));
      return sign === "-" ? num(-1) * res : res;
    }
    function stringifySexagesimal(node) {
      let { value } = node;
      let num = (n2) => n2;
      if (typeof value === "bigint")
        num = (n2) => BigInt(n2);
      else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
      let sign = "";
      if (value < 0) {
        sign = "-";
        value *= num(-1);
      }
      const _60 = num(60);
      const parts = [value % _60];
      if (value < 60) {
        parts.unshift(0);
      } else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60);
        if (value >= 60) {
          value = (value - parts[0]) / _60;
          parts.unshift(value);
        }
      }
      return sign + parts.map((n2) => String(n2).padStart(2, "0")).join(":").replace(/000000\d*$/, "");
    }
    var intTime = {
      identify: (value) => typeof value === "bigint" || Number.isInteger(value),
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
      resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
      stringify: stringifySexagesimal
    };
    var floatTime = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
      resolve: (str) => parseSexagesimal(str, false),
      stringify: stringifySexagesimal
    };
    var timestamp = {
      identify: (value) => value instanceof Date,
      default: true,
      tag: "tag:yaml.org,2002:timestamp",
      // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
      // may be omitted altogether, resulting in a date format. In such a case, the time part is
      // assumed to be 00:00:00Z (start of day, UTC).
      test: RegExp("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$"),
      resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
          throw new Error("!!timestamp expects a date, starting with yyyy-mm-dd");
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + "00").substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== "Z") {
          let d = parseSexagesimal(tz, false);
          if (Math.abs(d) < 30)
            d *= 60;
          date -= 6e4 * d;
        }
        return new Date(date);
      },
      stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, "") ?? ""
    };
    exports.floatTime = floatTime;
    exports.intTime = intTime;
    exports.timestamp = timestamp;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/schema.js
var require_schema3 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var binary = require_binary();
    var bool = require_bool2();
    var float = require_float2();
    var int = require_int2();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var set = require_set();
    var timestamp = require_timestamp();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool.trueTag,
      bool.falseTag,
      int.intBin,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float,
      binary.binary,
      merge.merge,
      omap.omap,
      pairs.pairs,
      set.set,
      timestamp.intTime,
      timestamp.floatTime,
      timestamp.timestamp
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/tags.js
var require_tags = __commonJS({
  "node_modules/yaml/dist/schema/tags.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = require_schema();
    var schema$1 = require_schema2();
    var binary = require_binary();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var schema$2 = require_schema3();
    var set = require_set();
    var timestamp = require_timestamp();
    var schemas = /* @__PURE__ */ new Map([
      ["core", schema.schema],
      ["failsafe", [map.map, seq.seq, string.string]],
      ["json", schema$1.schema],
      ["yaml11", schema$2.schema],
      ["yaml-1.1", schema$2.schema]
    ]);
    var tagsByName = {
      binary: binary.binary,
      bool: bool.boolTag,
      float: float.float,
      floatExp: float.floatExp,
      floatNaN: float.floatNaN,
      floatTime: timestamp.floatTime,
      int: int.int,
      intHex: int.intHex,
      intOct: int.intOct,
      intTime: timestamp.intTime,
      map: map.map,
      merge: merge.merge,
      null: _null.nullTag,
      omap: omap.omap,
      pairs: pairs.pairs,
      seq: seq.seq,
      set: set.set,
      timestamp: timestamp.timestamp
    };
    var coreKnownTags = {
      "tag:yaml.org,2002:binary": binary.binary,
      "tag:yaml.org,2002:merge": merge.merge,
      "tag:yaml.org,2002:omap": omap.omap,
      "tag:yaml.org,2002:pairs": pairs.pairs,
      "tag:yaml.org,2002:set": set.set,
      "tag:yaml.org,2002:timestamp": timestamp.timestamp
    };
    function getTags(customTags, schemaName, addMergeTag) {
      const schemaTags = schemas.get(schemaName);
      if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge) ? schemaTags.concat(merge.merge) : schemaTags.slice();
      }
      let tags = schemaTags;
      if (!tags) {
        if (Array.isArray(customTags))
          tags = [];
        else {
          const keys = Array.from(schemas.keys()).filter((key) => key !== "yaml11").map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
      }
      if (Array.isArray(customTags)) {
        for (const tag of customTags)
          tags = tags.concat(tag);
      } else if (typeof customTags === "function") {
        tags = customTags(tags.slice());
      }
      if (addMergeTag)
        tags = tags.concat(merge.merge);
      return tags.reduce((tags2, tag) => {
        const tagObj = typeof tag === "string" ? tagsByName[tag] : tag;
        if (!tagObj) {
          const tagName = JSON.stringify(tag);
          const keys = Object.keys(tagsByName).map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags2.includes(tagObj))
          tags2.push(tagObj);
        return tags2;
      }, []);
    }
    exports.coreKnownTags = coreKnownTags;
    exports.getTags = getTags;
  }
});

// node_modules/yaml/dist/schema/Schema.js
var require_Schema = __commonJS({
  "node_modules/yaml/dist/schema/Schema.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var map = require_map();
    var seq = require_seq();
    var string = require_string();
    var tags = require_tags();
    var sortMapEntriesByKey = (a2, b) => a2.key < b.key ? -1 : a2.key > b.key ? 1 : 0;
    var Schema = class _Schema {
      constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat) ? tags.getTags(compat, "compat") : compat ? tags.getTags(null, compat) : null;
        this.name = typeof schema === "string" && schema || "core";
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity3.MAP, { value: map.map });
        Object.defineProperty(this, identity3.SCALAR, { value: string.string });
        Object.defineProperty(this, identity3.SEQ, { value: seq.seq });
        this.sortMapEntries = typeof sortMapEntries === "function" ? sortMapEntries : sortMapEntries === true ? sortMapEntriesByKey : null;
      }
      clone() {
        const copy = Object.create(_Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
      }
    };
    exports.Schema = Schema;
  }
});

// node_modules/yaml/dist/stringify/stringifyDocument.js
var require_stringifyDocument = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyDocument.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyDocument(doc, options) {
      const lines = [];
      let hasDirectives = options.directives === true;
      if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
          lines.push(dir);
          hasDirectives = true;
        } else if (doc.directives.docStart)
          hasDirectives = true;
      }
      if (hasDirectives)
        lines.push("---");
      const ctx = stringify.createStringifyContext(doc, options);
      const { commentString } = ctx.options;
      if (doc.commentBefore) {
        if (lines.length !== 1)
          lines.unshift("");
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ""));
      }
      let chompKeep = false;
      let contentComment = null;
      if (doc.contents) {
        if (identity3.isNode(doc.contents)) {
          if (doc.contents.spaceBefore && hasDirectives)
            lines.push("");
          if (doc.contents.commentBefore) {
            const cs = commentString(doc.contents.commentBefore);
            lines.push(stringifyComment.indentComment(cs, ""));
          }
          ctx.forceBlockIndent = !!doc.comment;
          contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? void 0 : () => chompKeep = true;
        let body = stringify.stringify(doc.contents, ctx, () => contentComment = null, onChompKeep);
        if (contentComment)
          body += stringifyComment.lineComment(body, "", commentString(contentComment));
        if ((body[0] === "|" || body[0] === ">") && lines[lines.length - 1] === "---") {
          lines[lines.length - 1] = `--- ${body}`;
        } else
          lines.push(body);
      } else {
        lines.push(stringify.stringify(doc.contents, ctx));
      }
      if (doc.directives?.docEnd) {
        if (doc.comment) {
          const cs = commentString(doc.comment);
          if (cs.includes("\n")) {
            lines.push("...");
            lines.push(stringifyComment.indentComment(cs, ""));
          } else {
            lines.push(`... ${cs}`);
          }
        } else {
          lines.push("...");
        }
      } else {
        let dc = doc.comment;
        if (dc && chompKeep)
          dc = dc.replace(/^\n+/, "");
        if (dc) {
          if ((!chompKeep || contentComment) && lines[lines.length - 1] !== "")
            lines.push("");
          lines.push(stringifyComment.indentComment(commentString(dc), ""));
        }
      }
      return lines.join("\n") + "\n";
    }
    exports.stringifyDocument = stringifyDocument;
  }
});

// node_modules/yaml/dist/doc/Document.js
var require_Document = __commonJS({
  "node_modules/yaml/dist/doc/Document.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var Collection = require_Collection();
    var identity3 = require_identity();
    var Pair = require_Pair();
    var toJS = require_toJS();
    var Schema = require_Schema();
    var stringifyDocument = require_stringifyDocument();
    var anchors = require_anchors();
    var applyReviver = require_applyReviver();
    var createNode = require_createNode();
    var directives = require_directives();
    var Document = class _Document {
      constructor(value, replacer, options) {
        this.commentBefore = null;
        this.comment = null;
        this.errors = [];
        this.warnings = [];
        Object.defineProperty(this, identity3.NODE_TYPE, { value: identity3.DOC });
        let _replacer = null;
        if (typeof replacer === "function" || Array.isArray(replacer)) {
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const opt = Object.assign({
          intAsBigInt: false,
          keepSourceTokens: false,
          logLevel: "warn",
          prettyErrors: true,
          strict: true,
          stringKeys: false,
          uniqueKeys: true,
          version: "1.2"
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
          this.directives = options._directives.atDocument();
          if (this.directives.yaml.explicit)
            version = this.directives.yaml.version;
        } else
          this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        this.contents = value === void 0 ? null : this.createNode(value, _replacer, options);
      }
      /**
       * Create a deep copy of this Document and its contents.
       *
       * Custom Node values that inherit from `Object` still refer to their original instances.
       */
      clone() {
        const copy = Object.create(_Document.prototype, {
          [identity3.NODE_TYPE]: { value: identity3.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
          copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        copy.contents = identity3.isNode(this.contents) ? this.contents.clone(copy.schema) : this.contents;
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** Adds a value to the document. */
      add(value) {
        if (assertCollection(this.contents))
          this.contents.add(value);
      }
      /** Adds a value to the document. */
      addIn(path7, value) {
        if (assertCollection(this.contents))
          this.contents.addIn(path7, value);
      }
      /**
       * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
       *
       * If `node` already has an anchor, `name` is ignored.
       * Otherwise, the `node.anchor` value will be set to `name`,
       * or if an anchor with that name is already present in the document,
       * `name` will be used as a prefix for a new unique anchor.
       * If `name` is undefined, the generated anchor will use 'a' as a prefix.
       */
      createAlias(node, name) {
        if (!node.anchor) {
          const prev = anchors.anchorNames(this);
          node.anchor = // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          !name || prev.has(name) ? anchors.findNewAnchor(name || "a", prev) : name;
        }
        return new Alias.Alias(node.anchor);
      }
      createNode(value, replacer, options) {
        let _replacer = void 0;
        if (typeof replacer === "function") {
          value = replacer.call({ "": value }, "", value);
          _replacer = replacer;
        } else if (Array.isArray(replacer)) {
          const keyToStr = (v) => typeof v === "number" || v instanceof String || v instanceof Number;
          const asStr = replacer.filter(keyToStr).map(String);
          if (asStr.length > 0)
            replacer = replacer.concat(asStr);
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(
          this,
          // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          anchorPrefix || "a"
        );
        const ctx = {
          aliasDuplicateObjects: aliasDuplicateObjects ?? true,
          keepUndefined: keepUndefined ?? false,
          onAnchor,
          onTagObj,
          replacer: _replacer,
          schema: this.schema,
          sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity3.isCollection(node))
          node.flow = true;
        setAnchors();
        return node;
      }
      /**
       * Convert a key and a value into a `Pair` using the current schema,
       * recursively wrapping all values as `Scalar` or `Collection` nodes.
       */
      createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path7) {
        if (Collection.isEmptyPath(path7)) {
          if (this.contents == null)
            return false;
          this.contents = null;
          return true;
        }
        return assertCollection(this.contents) ? this.contents.deleteIn(path7) : false;
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      get(key, keepScalar) {
        return identity3.isCollection(this.contents) ? this.contents.get(key, keepScalar) : void 0;
      }
      /**
       * Returns item at `path`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path7, keepScalar) {
        if (Collection.isEmptyPath(path7))
          return !keepScalar && identity3.isScalar(this.contents) ? this.contents.value : this.contents;
        return identity3.isCollection(this.contents) ? this.contents.getIn(path7, keepScalar) : void 0;
      }
      /**
       * Checks if the document includes a value with the key `key`.
       */
      has(key) {
        return identity3.isCollection(this.contents) ? this.contents.has(key) : false;
      }
      /**
       * Checks if the document includes a value at `path`.
       */
      hasIn(path7) {
        if (Collection.isEmptyPath(path7))
          return this.contents !== void 0;
        return identity3.isCollection(this.contents) ? this.contents.hasIn(path7) : false;
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      set(key, value) {
        if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, [key], value);
        } else if (assertCollection(this.contents)) {
          this.contents.set(key, value);
        }
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path7, value) {
        if (Collection.isEmptyPath(path7)) {
          this.contents = value;
        } else if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, Array.from(path7), value);
        } else if (assertCollection(this.contents)) {
          this.contents.setIn(path7, value);
        }
      }
      /**
       * Change the YAML version and schema used by the document.
       * A `null` version disables support for directives, explicit tags, anchors, and aliases.
       * It also requires the `schema` option to be given as a `Schema` instance value.
       *
       * Overrides all previously set schema options.
       */
      setSchema(version, options = {}) {
        if (typeof version === "number")
          version = String(version);
        let opt;
        switch (version) {
          case "1.1":
            if (this.directives)
              this.directives.yaml.version = "1.1";
            else
              this.directives = new directives.Directives({ version: "1.1" });
            opt = { resolveKnownTags: false, schema: "yaml-1.1" };
            break;
          case "1.2":
          case "next":
            if (this.directives)
              this.directives.yaml.version = version;
            else
              this.directives = new directives.Directives({ version });
            opt = { resolveKnownTags: true, schema: "core" };
            break;
          case null:
            if (this.directives)
              delete this.directives;
            opt = null;
            break;
          default: {
            const sv = JSON.stringify(version);
            throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
          }
        }
        if (options.schema instanceof Object)
          this.schema = options.schema;
        else if (opt)
          this.schema = new Schema.Schema(Object.assign(opt, options));
        else
          throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
      }
      // json & jsonArg are only used from toJSON()
      toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc: this,
          keep: !json,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? "", ctx);
        if (typeof onAnchor === "function")
          for (const { count: count2, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count2);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
      /**
       * A JSON representation of the document `contents`.
       *
       * @param jsonArg Used by `JSON.stringify` to indicate the array index or
       *   property name.
       */
      toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
      }
      /** A YAML representation of the document. */
      toString(options = {}) {
        if (this.errors.length > 0)
          throw new Error("Document with errors cannot be stringified");
        if ("indent" in options && (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
          const s = JSON.stringify(options.indent);
          throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
      }
    };
    function assertCollection(contents) {
      if (identity3.isCollection(contents))
        return true;
      throw new Error("Expected a YAML collection as document contents");
    }
    exports.Document = Document;
  }
});

// node_modules/yaml/dist/errors.js
var require_errors = __commonJS({
  "node_modules/yaml/dist/errors.js"(exports) {
    "use strict";
    var YAMLError = class extends Error {
      constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
      }
    };
    var YAMLParseError = class extends YAMLError {
      constructor(pos, code, message) {
        super("YAMLParseError", pos, code, message);
      }
    };
    var YAMLWarning = class extends YAMLError {
      constructor(pos, code, message) {
        super("YAMLWarning", pos, code, message);
      }
    };
    var prettifyError = (src, lc) => (error) => {
      if (error.pos[0] === -1)
        return;
      error.linePos = error.pos.map((pos) => lc.linePos(pos));
      const { line, col } = error.linePos[0];
      error.message += ` at line ${line}, column ${col}`;
      let ci = col - 1;
      let lineStr = src.substring(lc.lineStarts[line - 1], lc.lineStarts[line]).replace(/[\n\r]+$/, "");
      if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = "\u2026" + lineStr.substring(trimStart);
        ci -= trimStart - 1;
      }
      if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + "\u2026";
      if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
          prev = prev.substring(0, 79) + "\u2026\n";
        lineStr = prev + lineStr;
      }
      if (/[^ ]/.test(lineStr)) {
        let count2 = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
          count2 = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = " ".repeat(ci) + "^".repeat(count2);
        error.message += `:

${lineStr}
${pointer}
`;
      }
    };
    exports.YAMLError = YAMLError;
    exports.YAMLParseError = YAMLParseError;
    exports.YAMLWarning = YAMLWarning;
    exports.prettifyError = prettifyError;
  }
});

// node_modules/yaml/dist/compose/resolve-props.js
var require_resolve_props = __commonJS({
  "node_modules/yaml/dist/compose/resolve-props.js"(exports) {
    "use strict";
    function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
      let spaceBefore = false;
      let atNewline = startOnNewline;
      let hasSpace = startOnNewline;
      let comment = "";
      let commentSep = "";
      let hasNewline = false;
      let reqSpace = false;
      let tab = null;
      let anchor = null;
      let tag = null;
      let newlineAfterProp = null;
      let comma = null;
      let found = null;
      let start = null;
      for (const token of tokens) {
        if (reqSpace) {
          if (token.type !== "space" && token.type !== "newline" && token.type !== "comma")
            onError(token.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
          reqSpace = false;
        }
        if (tab) {
          if (atNewline && token.type !== "comment" && token.type !== "newline") {
            onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
          }
          tab = null;
        }
        switch (token.type) {
          case "space":
            if (!flow && (indicator !== "doc-start" || next?.type !== "flow-collection") && token.source.includes("	")) {
              tab = token;
            }
            hasSpace = true;
            break;
          case "comment": {
            if (!hasSpace)
              onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
            const cb = token.source.substring(1) || " ";
            if (!comment)
              comment = cb;
            else
              comment += commentSep + cb;
            commentSep = "";
            atNewline = false;
            break;
          }
          case "newline":
            if (atNewline) {
              if (comment)
                comment += token.source;
              else if (!found || indicator !== "seq-item-ind")
                spaceBefore = true;
            } else
              commentSep += token.source;
            atNewline = true;
            hasNewline = true;
            if (anchor || tag)
              newlineAfterProp = token;
            hasSpace = true;
            break;
          case "anchor":
            if (anchor)
              onError(token, "MULTIPLE_ANCHORS", "A node can have at most one anchor");
            if (token.source.endsWith(":"))
              onError(token.offset + token.source.length - 1, "BAD_ALIAS", "Anchor ending in : is ambiguous", true);
            anchor = token;
            start ?? (start = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          case "tag": {
            if (tag)
              onError(token, "MULTIPLE_TAGS", "A node can have at most one tag");
            tag = token;
            start ?? (start = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          }
          case indicator:
            if (anchor || tag)
              onError(token, "BAD_PROP_ORDER", `Anchors and tags must be after the ${token.source} indicator`);
            if (found)
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.source} in ${flow ?? "collection"}`);
            found = token;
            atNewline = indicator === "seq-item-ind" || indicator === "explicit-key-ind";
            hasSpace = false;
            break;
          case "comma":
            if (flow) {
              if (comma)
                onError(token, "UNEXPECTED_TOKEN", `Unexpected , in ${flow}`);
              comma = token;
              atNewline = false;
              hasSpace = false;
              break;
            }
          // else fallthrough
          default:
            onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.type} token`);
            atNewline = false;
            hasSpace = false;
        }
      }
      const last = tokens[tokens.length - 1];
      const end = last ? last.offset + last.source.length : offset;
      if (reqSpace && next && next.type !== "space" && next.type !== "newline" && next.type !== "comma" && (next.type !== "scalar" || next.source !== "")) {
        onError(next.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
      }
      if (tab && (atNewline && tab.indent <= parentIndent || next?.type === "block-map" || next?.type === "block-seq"))
        onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
      return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
      };
    }
    exports.resolveProps = resolveProps;
  }
});

// node_modules/yaml/dist/compose/util-contains-newline.js
var require_util_contains_newline = __commonJS({
  "node_modules/yaml/dist/compose/util-contains-newline.js"(exports) {
    "use strict";
    function containsNewline(key) {
      if (!key)
        return null;
      switch (key.type) {
        case "alias":
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          if (key.source.includes("\n"))
            return true;
          if (key.end) {
            for (const st of key.end)
              if (st.type === "newline")
                return true;
          }
          return false;
        case "flow-collection":
          for (const it of key.items) {
            for (const st of it.start)
              if (st.type === "newline")
                return true;
            if (it.sep) {
              for (const st of it.sep)
                if (st.type === "newline")
                  return true;
            }
            if (containsNewline(it.key) || containsNewline(it.value))
              return true;
          }
          return false;
        default:
          return true;
      }
    }
    exports.containsNewline = containsNewline;
  }
});

// node_modules/yaml/dist/compose/util-flow-indent-check.js
var require_util_flow_indent_check = __commonJS({
  "node_modules/yaml/dist/compose/util-flow-indent-check.js"(exports) {
    "use strict";
    var utilContainsNewline = require_util_contains_newline();
    function flowIndentCheck(indent, fc, onError) {
      if (fc?.type === "flow-collection") {
        const end = fc.end[0];
        if (end.indent === indent && (end.source === "]" || end.source === "}") && utilContainsNewline.containsNewline(fc)) {
          const msg = "Flow end indicator should be more indented than parent";
          onError(end, "BAD_INDENT", msg, true);
        }
      }
    }
    exports.flowIndentCheck = flowIndentCheck;
  }
});

// node_modules/yaml/dist/compose/util-map-includes.js
var require_util_map_includes = __commonJS({
  "node_modules/yaml/dist/compose/util-map-includes.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    function mapIncludes(ctx, items, search) {
      const { uniqueKeys } = ctx.options;
      if (uniqueKeys === false)
        return false;
      const isEqual = typeof uniqueKeys === "function" ? uniqueKeys : (a2, b) => a2 === b || identity3.isScalar(a2) && identity3.isScalar(b) && a2.value === b.value;
      return items.some((pair) => isEqual(pair.key, search));
    }
    exports.mapIncludes = mapIncludes;
  }
});

// node_modules/yaml/dist/compose/resolve-block-map.js
var require_resolve_block_map = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-map.js"(exports) {
    "use strict";
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    var utilMapIncludes = require_util_map_includes();
    var startColMsg = "All mapping items must start at the same column";
    function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
      const map = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      let offset = bm.offset;
      let commentEnd = null;
      for (const collItem of bm.items) {
        const { start, key, sep: sep5, value } = collItem;
        const keyProps = resolveProps.resolveProps(start, {
          indicator: "explicit-key-ind",
          next: key ?? sep5?.[0],
          offset,
          onError,
          parentIndent: bm.indent,
          startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
          if (key) {
            if (key.type === "block-seq")
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "A block sequence may not be used as an implicit map key");
            else if ("indent" in key && key.indent !== bm.indent)
              onError(offset, "BAD_INDENT", startColMsg);
          }
          if (!keyProps.anchor && !keyProps.tag && !sep5) {
            commentEnd = keyProps.end;
            if (keyProps.comment) {
              if (map.comment)
                map.comment += "\n" + keyProps.comment;
              else
                map.comment = keyProps.comment;
            }
            continue;
          }
          if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
            onError(key ?? start[start.length - 1], "MULTILINE_IMPLICIT_KEY", "Implicit keys need to be on a single line");
          }
        } else if (keyProps.found?.indent !== bm.indent) {
          onError(offset, "BAD_INDENT", startColMsg);
        }
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key ? composeNode(ctx, key, keyProps, onError) : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
          onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
        const valueProps = resolveProps.resolveProps(sep5 ?? [], {
          indicator: "map-value-ind",
          next: value,
          offset: keyNode.range[2],
          onError,
          parentIndent: bm.indent,
          startOnNewline: !key || key.type === "block-scalar"
        });
        offset = valueProps.end;
        if (valueProps.found) {
          if (implicitKey) {
            if (value?.type === "block-map" && !valueProps.hasNewline)
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "Nested mappings are not allowed in compact mappings");
            if (ctx.options.strict && keyProps.start < valueProps.found.offset - 1024)
              onError(keyNode.range, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit block mapping key");
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : composeEmptyNode(ctx, offset, sep5, null, valueProps, onError);
          if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
          offset = valueNode.range[2];
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        } else {
          if (implicitKey)
            onError(keyNode.range, "MISSING_CHAR", "Implicit map keys need to be followed by map values");
          if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        }
      }
      if (commentEnd && commentEnd < offset)
        onError(commentEnd, "IMPOSSIBLE", "Map comment with trailing content");
      map.range = [bm.offset, offset, commentEnd ?? offset];
      return map;
    }
    exports.resolveBlockMap = resolveBlockMap;
  }
});

// node_modules/yaml/dist/compose/resolve-block-seq.js
var require_resolve_block_seq = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-seq.js"(exports) {
    "use strict";
    var YAMLSeq = require_YAMLSeq();
    var resolveProps = require_resolve_props();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
      const seq = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = bs.offset;
      let commentEnd = null;
      for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
          indicator: "seq-item-ind",
          next: value,
          offset,
          onError,
          parentIndent: bs.indent,
          startOnNewline: true
        });
        if (!props.found) {
          if (props.anchor || props.tag || value) {
            if (value?.type === "block-seq")
              onError(props.end, "BAD_INDENT", "All sequence items must start at the same column");
            else
              onError(offset, "MISSING_CHAR", "Sequence item without - indicator");
          } else {
            commentEnd = props.end;
            if (props.comment)
              seq.comment = props.comment;
            continue;
          }
        }
        const node = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
      }
      seq.range = [bs.offset, offset, commentEnd ?? offset];
      return seq;
    }
    exports.resolveBlockSeq = resolveBlockSeq;
  }
});

// node_modules/yaml/dist/compose/resolve-end.js
var require_resolve_end = __commonJS({
  "node_modules/yaml/dist/compose/resolve-end.js"(exports) {
    "use strict";
    function resolveEnd(end, offset, reqSpace, onError) {
      let comment = "";
      if (end) {
        let hasSpace = false;
        let sep5 = "";
        for (const token of end) {
          const { source, type } = token;
          switch (type) {
            case "space":
              hasSpace = true;
              break;
            case "comment": {
              if (reqSpace && !hasSpace)
                onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
              const cb = source.substring(1) || " ";
              if (!comment)
                comment = cb;
              else
                comment += sep5 + cb;
              sep5 = "";
              break;
            }
            case "newline":
              if (comment)
                sep5 += source;
              hasSpace = true;
              break;
            default:
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${type} at node end`);
          }
          offset += source.length;
        }
      }
      return { comment, offset };
    }
    exports.resolveEnd = resolveEnd;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-collection.js
var require_resolve_flow_collection = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-collection.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilMapIncludes = require_util_map_includes();
    var blockMsg = "Block collections are not allowed within flow collections";
    var isBlock = (token) => token && (token.type === "block-map" || token.type === "block-seq");
    function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
      const isMap2 = fc.start.source === "{";
      const fcName = isMap2 ? "flow map" : "flow sequence";
      const NodeClass = tag?.nodeClass ?? (isMap2 ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq);
      const coll = new NodeClass(ctx.schema);
      coll.flow = true;
      const atRoot = ctx.atRoot;
      if (atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = fc.offset + fc.start.source.length;
      for (let i2 = 0; i2 < fc.items.length; ++i2) {
        const collItem = fc.items[i2];
        const { start, key, sep: sep5, value } = collItem;
        const props = resolveProps.resolveProps(start, {
          flow: fcName,
          indicator: "explicit-key-ind",
          next: key ?? sep5?.[0],
          offset,
          onError,
          parentIndent: fc.indent,
          startOnNewline: false
        });
        if (!props.found) {
          if (!props.anchor && !props.tag && !sep5 && !value) {
            if (i2 === 0 && props.comma)
              onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
            else if (i2 < fc.items.length - 1)
              onError(props.start, "UNEXPECTED_TOKEN", `Unexpected empty item in ${fcName}`);
            if (props.comment) {
              if (coll.comment)
                coll.comment += "\n" + props.comment;
              else
                coll.comment = props.comment;
            }
            offset = props.end;
            continue;
          }
          if (!isMap2 && ctx.options.strict && utilContainsNewline.containsNewline(key))
            onError(
              key,
              // checked by containsNewline()
              "MULTILINE_IMPLICIT_KEY",
              "Implicit keys of flow sequence pairs need to be on a single line"
            );
        }
        if (i2 === 0) {
          if (props.comma)
            onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
        } else {
          if (!props.comma)
            onError(props.start, "MISSING_CHAR", `Missing , between ${fcName} items`);
          if (props.comment) {
            let prevItemComment = "";
            loop: for (const st of start) {
              switch (st.type) {
                case "comma":
                case "space":
                  break;
                case "comment":
                  prevItemComment = st.source.substring(1);
                  break loop;
                default:
                  break loop;
              }
            }
            if (prevItemComment) {
              let prev = coll.items[coll.items.length - 1];
              if (identity3.isPair(prev))
                prev = prev.value ?? prev.key;
              if (prev.comment)
                prev.comment += "\n" + prevItemComment;
              else
                prev.comment = prevItemComment;
              props.comment = props.comment.substring(prevItemComment.length + 1);
            }
          }
        }
        if (!isMap2 && !sep5 && !props.found) {
          const valueNode = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, sep5, null, props, onError);
          coll.items.push(valueNode);
          offset = valueNode.range[2];
          if (isBlock(value))
            onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
        } else {
          ctx.atKey = true;
          const keyStart = props.end;
          const keyNode = key ? composeNode(ctx, key, props, onError) : composeEmptyNode(ctx, keyStart, start, null, props, onError);
          if (isBlock(key))
            onError(keyNode.range, "BLOCK_IN_FLOW", blockMsg);
          ctx.atKey = false;
          const valueProps = resolveProps.resolveProps(sep5 ?? [], {
            flow: fcName,
            indicator: "map-value-ind",
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
          });
          if (valueProps.found) {
            if (!isMap2 && !props.found && ctx.options.strict) {
              if (sep5)
                for (const st of sep5) {
                  if (st === valueProps.found)
                    break;
                  if (st.type === "newline") {
                    onError(st, "MULTILINE_IMPLICIT_KEY", "Implicit keys of flow sequence pairs need to be on a single line");
                    break;
                  }
                }
              if (props.start < valueProps.found.offset - 1024)
                onError(valueProps.found, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit flow sequence key");
            }
          } else if (value) {
            if ("source" in value && value.source?.[0] === ":")
              onError(value, "MISSING_CHAR", `Missing space after : in ${fcName}`);
            else
              onError(valueProps.start, "MISSING_CHAR", `Missing , or : between ${fcName} items`);
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : valueProps.found ? composeEmptyNode(ctx, valueProps.end, sep5, null, valueProps, onError) : null;
          if (valueNode) {
            if (isBlock(value))
              onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
          } else if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          if (isMap2) {
            const map = coll;
            if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
              onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
            map.items.push(pair);
          } else {
            const map = new YAMLMap.YAMLMap(ctx.schema);
            map.flow = true;
            map.items.push(pair);
            const endRange = (valueNode ?? keyNode).range;
            map.range = [keyNode.range[0], endRange[1], endRange[2]];
            coll.items.push(map);
          }
          offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
      }
      const expectedEnd = isMap2 ? "}" : "]";
      const [ce, ...ee] = fc.end;
      let cePos = offset;
      if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
      else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot ? `${name} must end with a ${expectedEnd}` : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? "MISSING_CHAR" : "BAD_INDENT", msg);
        if (ce && ce.source.length !== 1)
          ee.unshift(ce);
      }
      if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
          if (coll.comment)
            coll.comment += "\n" + end.comment;
          else
            coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
      } else {
        coll.range = [fc.offset, cePos, cePos];
      }
      return coll;
    }
    exports.resolveFlowCollection = resolveFlowCollection;
  }
});

// node_modules/yaml/dist/compose/compose-collection.js
var require_compose_collection = __commonJS({
  "node_modules/yaml/dist/compose/compose-collection.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveBlockMap = require_resolve_block_map();
    var resolveBlockSeq = require_resolve_block_seq();
    var resolveFlowCollection = require_resolve_flow_collection();
    function resolveCollection(CN, ctx, token, onError, tagName, tag) {
      const coll = token.type === "block-map" ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag) : token.type === "block-seq" ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag) : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
      const Coll = coll.constructor;
      if (tagName === "!" || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
      }
      if (tagName)
        coll.tag = tagName;
      return coll;
    }
    function composeCollection(CN, ctx, token, props, onError) {
      const tagToken = props.tag;
      const tagName = !tagToken ? null : ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg));
      if (token.type === "block-seq") {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken ? anchor.offset > tagToken.offset ? anchor : tagToken : anchor ?? tagToken;
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
          const message = "Missing newline after block sequence props";
          onError(lastProp, "MISSING_CHAR", message);
        }
      }
      const expType = token.type === "block-map" ? "map" : token.type === "block-seq" ? "seq" : token.start.source === "{" ? "map" : "seq";
      if (!tagToken || !tagName || tagName === "!" || tagName === YAMLMap.YAMLMap.tagName && expType === "map" || tagName === YAMLSeq.YAMLSeq.tagName && expType === "seq") {
        return resolveCollection(CN, ctx, token, onError, tagName);
      }
      let tag = ctx.schema.tags.find((t) => t.tag === tagName && t.collection === expType);
      if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
          ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
          tag = kt;
        } else {
          if (kt) {
            onError(tagToken, "BAD_COLLECTION_TYPE", `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? "scalar"}`, true);
          } else {
            onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, true);
          }
          return resolveCollection(CN, ctx, token, onError, tagName);
        }
      }
      const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
      const res = tag.resolve?.(coll, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg), ctx.options) ?? coll;
      const node = identity3.isNode(res) ? res : new Scalar.Scalar(res);
      node.range = coll.range;
      node.tag = tagName;
      if (tag?.format)
        node.format = tag.format;
      return node;
    }
    exports.composeCollection = composeCollection;
  }
});

// node_modules/yaml/dist/compose/resolve-block-scalar.js
var require_resolve_block_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function resolveBlockScalar(ctx, scalar, onError) {
      const start = scalar.offset;
      const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
      if (!header)
        return { value: "", type: null, comment: "", range: [start, start, start] };
      const type = header.mode === ">" ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
      const lines = scalar.source ? splitLines(scalar.source) : [];
      let chompStart = lines.length;
      for (let i2 = lines.length - 1; i2 >= 0; --i2) {
        const content = lines[i2][1];
        if (content === "" || content === "\r")
          chompStart = i2;
        else
          break;
      }
      if (chompStart === 0) {
        const value2 = header.chomp === "+" && lines.length > 0 ? "\n".repeat(Math.max(1, lines.length - 1)) : "";
        let end2 = start + header.length;
        if (scalar.source)
          end2 += scalar.source.length;
        return { value: value2, type, comment: header.comment, range: [start, end2, end2] };
      }
      let trimIndent = scalar.indent + header.indent;
      let offset = scalar.offset + header.length;
      let contentStart = 0;
      for (let i2 = 0; i2 < chompStart; ++i2) {
        const [indent, content] = lines[i2];
        if (content === "" || content === "\r") {
          if (header.indent === 0 && indent.length > trimIndent)
            trimIndent = indent.length;
        } else {
          if (indent.length < trimIndent) {
            const message = "Block scalars with more-indented leading empty lines must use an explicit indentation indicator";
            onError(offset + indent.length, "MISSING_CHAR", message);
          }
          if (header.indent === 0)
            trimIndent = indent.length;
          contentStart = i2;
          if (trimIndent === 0 && !ctx.atRoot) {
            const message = "Block scalar values in collections must be indented";
            onError(offset, "BAD_INDENT", message);
          }
          break;
        }
        offset += indent.length + content.length + 1;
      }
      for (let i2 = lines.length - 1; i2 >= chompStart; --i2) {
        if (lines[i2][0].length > trimIndent)
          chompStart = i2 + 1;
      }
      let value = "";
      let sep5 = "";
      let prevMoreIndented = false;
      for (let i2 = 0; i2 < contentStart; ++i2)
        value += lines[i2][0].slice(trimIndent) + "\n";
      for (let i2 = contentStart; i2 < chompStart; ++i2) {
        let [indent, content] = lines[i2];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === "\r";
        if (crlf)
          content = content.slice(0, -1);
        if (content && indent.length < trimIndent) {
          const src = header.indent ? "explicit indentation indicator" : "first line";
          const message = `Block scalar lines must not be less indented than their ${src}`;
          onError(offset - content.length - (crlf ? 2 : 1), "BAD_INDENT", message);
          indent = "";
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
          value += sep5 + indent.slice(trimIndent) + content;
          sep5 = "\n";
        } else if (indent.length > trimIndent || content[0] === "	") {
          if (sep5 === " ")
            sep5 = "\n";
          else if (!prevMoreIndented && sep5 === "\n")
            sep5 = "\n\n";
          value += sep5 + indent.slice(trimIndent) + content;
          sep5 = "\n";
          prevMoreIndented = true;
        } else if (content === "") {
          if (sep5 === "\n")
            value += "\n";
          else
            sep5 = "\n";
        } else {
          value += sep5 + content;
          sep5 = " ";
          prevMoreIndented = false;
        }
      }
      switch (header.chomp) {
        case "-":
          break;
        case "+":
          for (let i2 = chompStart; i2 < lines.length; ++i2)
            value += "\n" + lines[i2][0].slice(trimIndent);
          if (value[value.length - 1] !== "\n")
            value += "\n";
          break;
        default:
          value += "\n";
      }
      const end = start + header.length + scalar.source.length;
      return { value, type, comment: header.comment, range: [start, end, end] };
    }
    function parseBlockScalarHeader({ offset, props }, strict, onError) {
      if (props[0].type !== "block-scalar-header") {
        onError(props[0], "IMPOSSIBLE", "Block scalar header not found");
        return null;
      }
      const { source } = props[0];
      const mode = source[0];
      let indent = 0;
      let chomp = "";
      let error = -1;
      for (let i2 = 1; i2 < source.length; ++i2) {
        const ch = source[i2];
        if (!chomp && (ch === "-" || ch === "+"))
          chomp = ch;
        else {
          const n2 = Number(ch);
          if (!indent && n2)
            indent = n2;
          else if (error === -1)
            error = offset + i2;
        }
      }
      if (error !== -1)
        onError(error, "UNEXPECTED_TOKEN", `Block scalar header includes extra characters: ${source}`);
      let hasSpace = false;
      let comment = "";
      let length = source.length;
      for (let i2 = 1; i2 < props.length; ++i2) {
        const token = props[i2];
        switch (token.type) {
          case "space":
            hasSpace = true;
          // fallthrough
          case "newline":
            length += token.source.length;
            break;
          case "comment":
            if (strict && !hasSpace) {
              const message = "Comments must be separated from other tokens by white space characters";
              onError(token, "MISSING_CHAR", message);
            }
            length += token.source.length;
            comment = token.source.substring(1);
            break;
          case "error":
            onError(token, "UNEXPECTED_TOKEN", token.message);
            length += token.source.length;
            break;
          /* istanbul ignore next should not happen */
          default: {
            const message = `Unexpected token in block scalar header: ${token.type}`;
            onError(token, "UNEXPECTED_TOKEN", message);
            const ts = token.source;
            if (ts && typeof ts === "string")
              length += ts.length;
          }
        }
      }
      return { mode, indent, chomp, comment, length };
    }
    function splitLines(source) {
      const split = source.split(/\n( *)/);
      const first = split[0];
      const m = first.match(/^( *)/);
      const line0 = m?.[1] ? [m[1], first.slice(m[1].length)] : ["", first];
      const lines = [line0];
      for (let i2 = 1; i2 < split.length; i2 += 2)
        lines.push([split[i2], split[i2 + 1]]);
      return lines;
    }
    exports.resolveBlockScalar = resolveBlockScalar;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-scalar.js
var require_resolve_flow_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var resolveEnd = require_resolve_end();
    function resolveFlowScalar(scalar, strict, onError) {
      const { offset, type, source, end } = scalar;
      let _type;
      let value;
      const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
      switch (type) {
        case "scalar":
          _type = Scalar.Scalar.PLAIN;
          value = plainValue(source, _onError);
          break;
        case "single-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_SINGLE;
          value = singleQuotedValue(source, _onError);
          break;
        case "double-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_DOUBLE;
          value = doubleQuotedValue(source, _onError);
          break;
        /* istanbul ignore next should not happen */
        default:
          onError(scalar, "UNEXPECTED_TOKEN", `Expected a flow scalar value, but found: ${type}`);
          return {
            value: "",
            type: null,
            comment: "",
            range: [offset, offset + source.length, offset + source.length]
          };
      }
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
      return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
      };
    }
    function plainValue(source, onError) {
      let badChar = "";
      switch (source[0]) {
        /* istanbul ignore next should not happen */
        case "	":
          badChar = "a tab character";
          break;
        case ",":
          badChar = "flow indicator character ,";
          break;
        case "%":
          badChar = "directive indicator character %";
          break;
        case "|":
        case ">": {
          badChar = `block scalar indicator ${source[0]}`;
          break;
        }
        case "@":
        case "`": {
          badChar = `reserved character ${source[0]}`;
          break;
        }
      }
      if (badChar)
        onError(0, "BAD_SCALAR_START", `Plain value cannot start with ${badChar}`);
      return unfoldLines(source);
    }
    function singleQuotedValue(source, onError) {
      if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, "MISSING_CHAR", "Missing closing 'quote");
      return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
    }
    function unfoldLines(source) {
      const line = /(.*?)\r?\n/sy;
      let match = line.exec(source);
      if (!match)
        return source;
      let trimEnd, trimBoth;
      try {
        trimEnd = new RegExp("(?<![ 	])[ 	]+$");
        trimBoth = new RegExp("^[ 	]+|(?<![ 	])[ 	]+$", "g");
      } catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
      }
      let res = match[1].replace(trimEnd, "");
      let sep5 = " ";
      let pos = line.lastIndex;
      while (match = line.exec(source)) {
        const lm = match[1].replace(trimBoth, "");
        if (lm === "") {
          if (sep5 === "\n")
            res += sep5;
          else
            sep5 = "\n";
        } else {
          res += sep5 + lm;
          sep5 = " ";
        }
        pos = line.lastIndex;
      }
      const last = /[ \t]*(.*)/sy;
      last.lastIndex = pos;
      match = last.exec(source);
      return res + sep5 + (match?.[1] ?? "");
    }
    function doubleQuotedValue(source, onError) {
      let res = "";
      for (let i2 = 1; i2 < source.length - 1; ++i2) {
        const ch = source[i2];
        if (ch === "\r" && source[i2 + 1] === "\n")
          continue;
        if (ch === "\n") {
          const { fold, offset } = foldNewline(source, i2);
          res += fold;
          i2 = offset;
        } else if (ch === "\\") {
          let next = source[++i2];
          const cc = escapeCodes[next];
          if (cc)
            res += cc;
          else if (next === "\n") {
            next = source[i2 + 1];
            while (next === " " || next === "	")
              next = source[++i2 + 1];
          } else if (next === "\r" && source[i2 + 1] === "\n") {
            next = source[++i2 + 1];
            while (next === " " || next === "	")
              next = source[++i2 + 1];
          } else if (next === "x" || next === "u" || next === "U") {
            const length = next === "x" ? 2 : next === "u" ? 4 : 8;
            res += parseCharCode(source, i2 + 1, length, onError);
            i2 += length;
          } else {
            const raw = source.substr(i2 - 1, 2);
            onError(i2 - 1, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
            res += raw;
          }
        } else if (ch === " " || ch === "	") {
          const wsStart = i2;
          let next = source[i2 + 1];
          while (next === " " || next === "	")
            next = source[++i2 + 1];
          if (next !== "\n" && !(next === "\r" && source[i2 + 2] === "\n"))
            res += i2 > wsStart ? source.slice(wsStart, i2 + 1) : ch;
        } else {
          res += ch;
        }
      }
      if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, "MISSING_CHAR", 'Missing closing "quote');
      return res;
    }
    function foldNewline(source, offset) {
      let fold = "";
      let ch = source[offset + 1];
      while (ch === " " || ch === "	" || ch === "\n" || ch === "\r") {
        if (ch === "\r" && source[offset + 2] !== "\n")
          break;
        if (ch === "\n")
          fold += "\n";
        offset += 1;
        ch = source[offset + 1];
      }
      if (!fold)
        fold = " ";
      return { fold, offset };
    }
    var escapeCodes = {
      "0": "\0",
      // null character
      a: "\x07",
      // bell character
      b: "\b",
      // backspace
      e: "\x1B",
      // escape character
      f: "\f",
      // form feed
      n: "\n",
      // line feed
      r: "\r",
      // carriage return
      t: "	",
      // horizontal tab
      v: "\v",
      // vertical tab
      N: "\x85",
      // Unicode next line
      _: "\xA0",
      // Unicode non-breaking space
      L: "\u2028",
      // Unicode line separator
      P: "\u2029",
      // Unicode paragraph separator
      " ": " ",
      '"': '"',
      "/": "/",
      "\\": "\\",
      "	": "	"
    };
    function parseCharCode(source, offset, length, onError) {
      const cc = source.substr(offset, length);
      const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
      const code = ok ? parseInt(cc, 16) : NaN;
      try {
        return String.fromCodePoint(code);
      } catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
        return raw;
      }
    }
    exports.resolveFlowScalar = resolveFlowScalar;
  }
});

// node_modules/yaml/dist/compose/compose-scalar.js
var require_compose_scalar = __commonJS({
  "node_modules/yaml/dist/compose/compose-scalar.js"(exports) {
    "use strict";
    var identity3 = require_identity();
    var Scalar = require_Scalar();
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    function composeScalar(ctx, token, tagToken, onError) {
      const { value, type, comment, range } = token.type === "block-scalar" ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError) : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
      const tagName = tagToken ? ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg)) : null;
      let tag;
      if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity3.SCALAR];
      } else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
      else if (token.type === "scalar")
        tag = findScalarTagByTest(ctx, value, token, onError);
      else
        tag = ctx.schema[identity3.SCALAR];
      let scalar;
      try {
        const res = tag.resolve(value, (msg) => onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg), ctx.options);
        scalar = identity3.isScalar(res) ? res : new Scalar.Scalar(res);
      } catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg);
        scalar = new Scalar.Scalar(value);
      }
      scalar.range = range;
      scalar.source = value;
      if (type)
        scalar.type = type;
      if (tagName)
        scalar.tag = tagName;
      if (tag.format)
        scalar.format = tag.format;
      if (comment)
        scalar.comment = comment;
      return scalar;
    }
    function findScalarTagByName(schema, value, tagName, tagToken, onError) {
      if (tagName === "!")
        return schema[identity3.SCALAR];
      const matchWithTest = [];
      for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
          if (tag.default && tag.test)
            matchWithTest.push(tag);
          else
            return tag;
        }
      }
      for (const tag of matchWithTest)
        if (tag.test?.test(value))
          return tag;
      const kt = schema.knownTags[tagName];
      if (kt && !kt.collection) {
        schema.tags.push(Object.assign({}, kt, { default: false, test: void 0 }));
        return kt;
      }
      onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, tagName !== "tag:yaml.org,2002:str");
      return schema[identity3.SCALAR];
    }
    function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
      const tag = schema.tags.find((tag2) => (tag2.default === true || atKey && tag2.default === "key") && tag2.test?.test(value)) || schema[identity3.SCALAR];
      if (schema.compat) {
        const compat = schema.compat.find((tag2) => tag2.default && tag2.test?.test(value)) ?? schema[identity3.SCALAR];
        if (tag.tag !== compat.tag) {
          const ts = directives.tagString(tag.tag);
          const cs = directives.tagString(compat.tag);
          const msg = `Value may be parsed as either ${ts} or ${cs}`;
          onError(token, "TAG_RESOLVE_FAILED", msg, true);
        }
      }
      return tag;
    }
    exports.composeScalar = composeScalar;
  }
});

// node_modules/yaml/dist/compose/util-empty-scalar-position.js
var require_util_empty_scalar_position = __commonJS({
  "node_modules/yaml/dist/compose/util-empty-scalar-position.js"(exports) {
    "use strict";
    function emptyScalarPosition(offset, before, pos) {
      if (before) {
        pos ?? (pos = before.length);
        for (let i2 = pos - 1; i2 >= 0; --i2) {
          let st = before[i2];
          switch (st.type) {
            case "space":
            case "comment":
            case "newline":
              offset -= st.source.length;
              continue;
          }
          st = before[++i2];
          while (st?.type === "space") {
            offset += st.source.length;
            st = before[++i2];
          }
          break;
        }
      }
      return offset;
    }
    exports.emptyScalarPosition = emptyScalarPosition;
  }
});

// node_modules/yaml/dist/compose/compose-node.js
var require_compose_node = __commonJS({
  "node_modules/yaml/dist/compose/compose-node.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity3 = require_identity();
    var composeCollection = require_compose_collection();
    var composeScalar = require_compose_scalar();
    var resolveEnd = require_resolve_end();
    var utilEmptyScalarPosition = require_util_empty_scalar_position();
    var CN = { composeNode, composeEmptyNode };
    function composeNode(ctx, token, props, onError) {
      const atKey = ctx.atKey;
      const { spaceBefore, comment, anchor, tag } = props;
      let node;
      let isSrcToken = true;
      switch (token.type) {
        case "alias":
          node = composeAlias(ctx, token, onError);
          if (anchor || tag)
            onError(token, "ALIAS_PROPS", "An alias node must not specify any properties");
          break;
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "block-scalar":
          node = composeScalar.composeScalar(ctx, token, tag, onError);
          if (anchor)
            node.anchor = anchor.source.substring(1);
          break;
        case "block-map":
        case "block-seq":
        case "flow-collection":
          try {
            node = composeCollection.composeCollection(CN, ctx, token, props, onError);
            if (anchor)
              node.anchor = anchor.source.substring(1);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            onError(token, "RESOURCE_EXHAUSTION", message);
          }
          break;
        default: {
          const message = token.type === "error" ? token.message : `Unsupported token (type: ${token.type})`;
          onError(token, "UNEXPECTED_TOKEN", message);
          isSrcToken = false;
        }
      }
      node ?? (node = composeEmptyNode(ctx, token.offset, void 0, null, props, onError));
      if (anchor && node.anchor === "")
        onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      if (atKey && ctx.options.stringKeys && (!identity3.isScalar(node) || typeof node.value !== "string" || node.tag && node.tag !== "tag:yaml.org,2002:str")) {
        const msg = "With stringKeys, all keys must be strings";
        onError(tag ?? token, "NON_STRING_KEY", msg);
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        if (token.type === "scalar" && token.source === "")
          node.comment = comment;
        else
          node.commentBefore = comment;
      }
      if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
      return node;
    }
    function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
      const token = {
        type: "scalar",
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ""
      };
      const node = composeScalar.composeScalar(ctx, token, tag, onError);
      if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === "")
          onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        node.comment = comment;
        node.range[2] = end;
      }
      return node;
    }
    function composeAlias({ options }, { offset, source, end }, onError) {
      const alias = new Alias.Alias(source.substring(1));
      if (alias.source === "")
        onError(offset, "BAD_ALIAS", "Alias cannot be an empty string");
      if (alias.source.endsWith(":"))
        onError(offset + source.length - 1, "BAD_ALIAS", "Alias ending in : is ambiguous", true);
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
      alias.range = [offset, valueEnd, re.offset];
      if (re.comment)
        alias.comment = re.comment;
      return alias;
    }
    exports.composeEmptyNode = composeEmptyNode;
    exports.composeNode = composeNode;
  }
});

// node_modules/yaml/dist/compose/compose-doc.js
var require_compose_doc = __commonJS({
  "node_modules/yaml/dist/compose/compose-doc.js"(exports) {
    "use strict";
    var Document = require_Document();
    var composeNode = require_compose_node();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    function composeDoc(options, directives, { offset, start, value, end }, onError) {
      const opts = Object.assign({ _directives: directives }, options);
      const doc = new Document.Document(void 0, opts);
      const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
      };
      const props = resolveProps.resolveProps(start, {
        indicator: "doc-start",
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
      });
      if (props.found) {
        doc.directives.docStart = true;
        if (value && (value.type === "block-map" || value.type === "block-seq") && !props.hasNewline)
          onError(props.end, "MISSING_CHAR", "Block collection cannot start on same line with directives-end marker");
      }
      doc.contents = value ? composeNode.composeNode(ctx, value, props, onError) : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
      const contentEnd = doc.contents.range[2];
      const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
      if (re.comment)
        doc.comment = re.comment;
      doc.range = [offset, contentEnd, re.offset];
      return doc;
    }
    exports.composeDoc = composeDoc;
  }
});

// node_modules/yaml/dist/compose/composer.js
var require_composer = __commonJS({
  "node_modules/yaml/dist/compose/composer.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var directives = require_directives();
    var Document = require_Document();
    var errors = require_errors();
    var identity3 = require_identity();
    var composeDoc = require_compose_doc();
    var resolveEnd = require_resolve_end();
    function getErrorPos(src) {
      if (typeof src === "number")
        return [src, src + 1];
      if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
      const { offset, source } = src;
      return [offset, offset + (typeof source === "string" ? source.length : 1)];
    }
    function parsePrelude(prelude) {
      let comment = "";
      let atComment = false;
      let afterEmptyLine = false;
      for (let i2 = 0; i2 < prelude.length; ++i2) {
        const source = prelude[i2];
        switch (source[0]) {
          case "#":
            comment += (comment === "" ? "" : afterEmptyLine ? "\n\n" : "\n") + (source.substring(1) || " ");
            atComment = true;
            afterEmptyLine = false;
            break;
          case "%":
            if (prelude[i2 + 1]?.[0] !== "#")
              i2 += 1;
            atComment = false;
            break;
          default:
            if (!atComment)
              afterEmptyLine = true;
            atComment = false;
        }
      }
      return { comment, afterEmptyLine };
    }
    var Composer = class {
      constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
          const pos = getErrorPos(source);
          if (warning)
            this.warnings.push(new errors.YAMLWarning(pos, code, message));
          else
            this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        this.directives = new directives.Directives({ version: options.version || "1.2" });
        this.options = options;
      }
      decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        if (comment) {
          const dc = doc.contents;
          if (afterDoc) {
            doc.comment = doc.comment ? `${doc.comment}
${comment}` : comment;
          } else if (afterEmptyLine || doc.directives.docStart || !dc) {
            doc.commentBefore = comment;
          } else if (identity3.isCollection(dc) && !dc.flow && dc.items.length > 0) {
            let it = dc.items[0];
            if (identity3.isPair(it))
              it = it.key;
            const cb = it.commentBefore;
            it.commentBefore = cb ? `${comment}
${cb}` : comment;
          } else {
            const cb = dc.commentBefore;
            dc.commentBefore = cb ? `${comment}
${cb}` : comment;
          }
        }
        if (afterDoc) {
          for (let i2 = 0; i2 < this.errors.length; ++i2)
            doc.errors.push(this.errors[i2]);
          for (let i2 = 0; i2 < this.warnings.length; ++i2)
            doc.warnings.push(this.warnings[i2]);
        } else {
          doc.errors = this.errors;
          doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
      }
      /**
       * Current stream status information.
       *
       * Mostly useful at the end of input for an empty stream.
       */
      streamInfo() {
        return {
          comment: parsePrelude(this.prelude).comment,
          directives: this.directives,
          errors: this.errors,
          warnings: this.warnings
        };
      }
      /**
       * Compose tokens into documents.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
          yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
      }
      /** Advance the composer by one CST token. */
      *next(token) {
        if (node_process.env.LOG_STREAM)
          console.dir(token, { depth: null });
        switch (token.type) {
          case "directive":
            this.directives.add(token.source, (offset, message, warning) => {
              const pos = getErrorPos(token);
              pos[0] += offset;
              this.onError(pos, "BAD_DIRECTIVE", message, warning);
            });
            this.prelude.push(token.source);
            this.atDirectives = true;
            break;
          case "document": {
            const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
            if (this.atDirectives && !doc.directives.docStart)
              this.onError(token, "MISSING_CHAR", "Missing directives-end/doc-start indicator line");
            this.decorate(doc, false);
            if (this.doc)
              yield this.doc;
            this.doc = doc;
            this.atDirectives = false;
            break;
          }
          case "byte-order-mark":
          case "space":
            break;
          case "comment":
          case "newline":
            this.prelude.push(token.source);
            break;
          case "error": {
            const msg = token.source ? `${token.message}: ${JSON.stringify(token.source)}` : token.message;
            const error = new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg);
            if (this.atDirectives || !this.doc)
              this.errors.push(error);
            else
              this.doc.errors.push(error);
            break;
          }
          case "doc-end": {
            if (!this.doc) {
              const msg = "Unexpected doc-end without preceding document";
              this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg));
              break;
            }
            this.doc.directives.docEnd = true;
            const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
            this.decorate(this.doc, true);
            if (end.comment) {
              const dc = this.doc.comment;
              this.doc.comment = dc ? `${dc}
${end.comment}` : end.comment;
            }
            this.doc.range[2] = end.offset;
            break;
          }
          default:
            this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", `Unsupported token ${token.type}`));
        }
      }
      /**
       * Call at end of input to yield any remaining document.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
          this.decorate(this.doc, true);
          yield this.doc;
          this.doc = null;
        } else if (forceDoc) {
          const opts = Object.assign({ _directives: this.directives }, this.options);
          const doc = new Document.Document(void 0, opts);
          if (this.atDirectives)
            this.onError(endOffset, "MISSING_CHAR", "Missing directives-end indicator line");
          doc.range = [0, endOffset, endOffset];
          this.decorate(doc, false);
          yield doc;
        }
      }
    };
    exports.Composer = Composer;
  }
});

// node_modules/yaml/dist/parse/cst-scalar.js
var require_cst_scalar = __commonJS({
  "node_modules/yaml/dist/parse/cst-scalar.js"(exports) {
    "use strict";
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    var errors = require_errors();
    var stringifyString = require_stringifyString();
    function resolveAsScalar(token, strict = true, onError) {
      if (token) {
        const _onError = (pos, code, message) => {
          const offset = typeof pos === "number" ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
          if (onError)
            onError(offset, code, message);
          else
            throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
          case "block-scalar":
            return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
      }
      return null;
    }
    function createScalarToken(value, context) {
      const { implicitKey = false, indent, inFlow = false, offset = -1, type = "PLAIN" } = context;
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      const end = context.end ?? [
        { type: "newline", offset: -1, indent, source: "\n" }
      ];
      switch (source[0]) {
        case "|":
        case ">": {
          const he = source.indexOf("\n");
          const head = source.substring(0, he);
          const body = source.substring(he + 1) + "\n";
          const props = [
            { type: "block-scalar-header", offset, indent, source: head }
          ];
          if (!addEndtoBlockProps(props, end))
            props.push({ type: "newline", offset: -1, indent, source: "\n" });
          return { type: "block-scalar", offset, indent, props, source: body };
        }
        case '"':
          return { type: "double-quoted-scalar", offset, indent, source, end };
        case "'":
          return { type: "single-quoted-scalar", offset, indent, source, end };
        default:
          return { type: "scalar", offset, indent, source, end };
      }
    }
    function setScalarValue(token, value, context = {}) {
      let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
      let indent = "indent" in token ? token.indent : null;
      if (afterKey && typeof indent === "number")
        indent += 2;
      if (!type)
        switch (token.type) {
          case "single-quoted-scalar":
            type = "QUOTE_SINGLE";
            break;
          case "double-quoted-scalar":
            type = "QUOTE_DOUBLE";
            break;
          case "block-scalar": {
            const header = token.props[0];
            if (header.type !== "block-scalar-header")
              throw new Error("Invalid block scalar header");
            type = header.source[0] === ">" ? "BLOCK_FOLDED" : "BLOCK_LITERAL";
            break;
          }
          default:
            type = "PLAIN";
        }
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      switch (source[0]) {
        case "|":
        case ">":
          setBlockScalarValue(token, source);
          break;
        case '"':
          setFlowScalarValue(token, source, "double-quoted-scalar");
          break;
        case "'":
          setFlowScalarValue(token, source, "single-quoted-scalar");
          break;
        default:
          setFlowScalarValue(token, source, "scalar");
      }
    }
    function setBlockScalarValue(token, source) {
      const he = source.indexOf("\n");
      const head = source.substring(0, he);
      const body = source.substring(he + 1) + "\n";
      if (token.type === "block-scalar") {
        const header = token.props[0];
        if (header.type !== "block-scalar-header")
          throw new Error("Invalid block scalar header");
        header.source = head;
        token.source = body;
      } else {
        const { offset } = token;
        const indent = "indent" in token ? token.indent : -1;
        const props = [
          { type: "block-scalar-header", offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, "end" in token ? token.end : void 0))
          props.push({ type: "newline", offset: -1, indent, source: "\n" });
        for (const key of Object.keys(token))
          if (key !== "type" && key !== "offset")
            delete token[key];
        Object.assign(token, { type: "block-scalar", indent, props, source: body });
      }
    }
    function addEndtoBlockProps(props, end) {
      if (end)
        for (const st of end)
          switch (st.type) {
            case "space":
            case "comment":
              props.push(st);
              break;
            case "newline":
              props.push(st);
              return true;
          }
      return false;
    }
    function setFlowScalarValue(token, source, type) {
      switch (token.type) {
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          token.type = type;
          token.source = source;
          break;
        case "block-scalar": {
          const end = token.props.slice(1);
          let oa = source.length;
          if (token.props[0].type === "block-scalar-header")
            oa -= token.props[0].source.length;
          for (const tok of end)
            tok.offset += oa;
          delete token.props;
          Object.assign(token, { type, source, end });
          break;
        }
        case "block-map":
        case "block-seq": {
          const offset = token.offset + source.length;
          const nl = { type: "newline", offset, indent: token.indent, source: "\n" };
          delete token.items;
          Object.assign(token, { type, source, end: [nl] });
          break;
        }
        default: {
          const indent = "indent" in token ? token.indent : -1;
          const end = "end" in token && Array.isArray(token.end) ? token.end.filter((st) => st.type === "space" || st.type === "comment" || st.type === "newline") : [];
          for (const key of Object.keys(token))
            if (key !== "type" && key !== "offset")
              delete token[key];
          Object.assign(token, { type, indent, source, end });
        }
      }
    }
    exports.createScalarToken = createScalarToken;
    exports.resolveAsScalar = resolveAsScalar;
    exports.setScalarValue = setScalarValue;
  }
});

// node_modules/yaml/dist/parse/cst-stringify.js
var require_cst_stringify = __commonJS({
  "node_modules/yaml/dist/parse/cst-stringify.js"(exports) {
    "use strict";
    var stringify = (cst) => "type" in cst ? stringifyToken(cst) : stringifyItem(cst);
    function stringifyToken(token) {
      switch (token.type) {
        case "block-scalar": {
          let res = "";
          for (const tok of token.props)
            res += stringifyToken(tok);
          return res + token.source;
        }
        case "block-map":
        case "block-seq": {
          let res = "";
          for (const item of token.items)
            res += stringifyItem(item);
          return res;
        }
        case "flow-collection": {
          let res = token.start.source;
          for (const item of token.items)
            res += stringifyItem(item);
          for (const st of token.end)
            res += st.source;
          return res;
        }
        case "document": {
          let res = stringifyItem(token);
          if (token.end)
            for (const st of token.end)
              res += st.source;
          return res;
        }
        default: {
          let res = token.source;
          if ("end" in token && token.end)
            for (const st of token.end)
              res += st.source;
          return res;
        }
      }
    }
    function stringifyItem({ start, key, sep: sep5, value }) {
      let res = "";
      for (const st of start)
        res += st.source;
      if (key)
        res += stringifyToken(key);
      if (sep5)
        for (const st of sep5)
          res += st.source;
      if (value)
        res += stringifyToken(value);
      return res;
    }
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/parse/cst-visit.js
var require_cst_visit = __commonJS({
  "node_modules/yaml/dist/parse/cst-visit.js"(exports) {
    "use strict";
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove item");
    function visit(cst, visitor) {
      if ("type" in cst && cst.type === "document")
        cst = { start: cst.start, value: cst.value };
      _visit(Object.freeze([]), cst, visitor);
    }
    visit.BREAK = BREAK;
    visit.SKIP = SKIP;
    visit.REMOVE = REMOVE;
    visit.itemAtPath = (cst, path7) => {
      let item = cst;
      for (const [field, index] of path7) {
        const tok = item?.[field];
        if (tok && "items" in tok) {
          item = tok.items[index];
        } else
          return void 0;
      }
      return item;
    };
    visit.parentCollection = (cst, path7) => {
      const parent = visit.itemAtPath(cst, path7.slice(0, -1));
      const field = path7[path7.length - 1][0];
      const coll = parent?.[field];
      if (coll && "items" in coll)
        return coll;
      throw new Error("Parent collection not found");
    };
    function _visit(path7, item, visitor) {
      let ctrl = visitor(item, path7);
      if (typeof ctrl === "symbol")
        return ctrl;
      for (const field of ["key", "value"]) {
        const token = item[field];
        if (token && "items" in token) {
          for (let i2 = 0; i2 < token.items.length; ++i2) {
            const ci = _visit(Object.freeze(path7.concat([[field, i2]])), token.items[i2], visitor);
            if (typeof ci === "number")
              i2 = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              token.items.splice(i2, 1);
              i2 -= 1;
            }
          }
          if (typeof ctrl === "function" && field === "key")
            ctrl = ctrl(item, path7);
        }
      }
      return typeof ctrl === "function" ? ctrl(item, path7) : ctrl;
    }
    exports.visit = visit;
  }
});

// node_modules/yaml/dist/parse/cst.js
var require_cst = __commonJS({
  "node_modules/yaml/dist/parse/cst.js"(exports) {
    "use strict";
    var cstScalar = require_cst_scalar();
    var cstStringify = require_cst_stringify();
    var cstVisit = require_cst_visit();
    var BOM = "\uFEFF";
    var DOCUMENT = "";
    var FLOW_END = "";
    var SCALAR = "";
    var isCollection = (token) => !!token && "items" in token;
    var isScalar = (token) => !!token && (token.type === "scalar" || token.type === "single-quoted-scalar" || token.type === "double-quoted-scalar" || token.type === "block-scalar");
    function prettyToken(token) {
      switch (token) {
        case BOM:
          return "<BOM>";
        case DOCUMENT:
          return "<DOC>";
        case FLOW_END:
          return "<FLOW_END>";
        case SCALAR:
          return "<SCALAR>";
        default:
          return JSON.stringify(token);
      }
    }
    function tokenType(source) {
      switch (source) {
        case BOM:
          return "byte-order-mark";
        case DOCUMENT:
          return "doc-mode";
        case FLOW_END:
          return "flow-error-end";
        case SCALAR:
          return "scalar";
        case "---":
          return "doc-start";
        case "...":
          return "doc-end";
        case "":
        case "\n":
        case "\r\n":
          return "newline";
        case "-":
          return "seq-item-ind";
        case "?":
          return "explicit-key-ind";
        case ":":
          return "map-value-ind";
        case "{":
          return "flow-map-start";
        case "}":
          return "flow-map-end";
        case "[":
          return "flow-seq-start";
        case "]":
          return "flow-seq-end";
        case ",":
          return "comma";
      }
      switch (source[0]) {
        case " ":
        case "	":
          return "space";
        case "#":
          return "comment";
        case "%":
          return "directive-line";
        case "*":
          return "alias";
        case "&":
          return "anchor";
        case "!":
          return "tag";
        case "'":
          return "single-quoted-scalar";
        case '"':
          return "double-quoted-scalar";
        case "|":
        case ">":
          return "block-scalar-header";
      }
      return null;
    }
    exports.createScalarToken = cstScalar.createScalarToken;
    exports.resolveAsScalar = cstScalar.resolveAsScalar;
    exports.setScalarValue = cstScalar.setScalarValue;
    exports.stringify = cstStringify.stringify;
    exports.visit = cstVisit.visit;
    exports.BOM = BOM;
    exports.DOCUMENT = DOCUMENT;
    exports.FLOW_END = FLOW_END;
    exports.SCALAR = SCALAR;
    exports.isCollection = isCollection;
    exports.isScalar = isScalar;
    exports.prettyToken = prettyToken;
    exports.tokenType = tokenType;
  }
});

// node_modules/yaml/dist/parse/lexer.js
var require_lexer = __commonJS({
  "node_modules/yaml/dist/parse/lexer.js"(exports) {
    "use strict";
    var cst = require_cst();
    function isEmpty(ch) {
      switch (ch) {
        case void 0:
        case " ":
        case "\n":
        case "\r":
        case "	":
          return true;
        default:
          return false;
      }
    }
    var hexDigits = new Set("0123456789ABCDEFabcdef");
    var tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
    var flowIndicatorChars = new Set(",[]{}");
    var invalidAnchorChars = new Set(" ,[]{}\n\r	");
    var isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
    var Lexer = class {
      constructor() {
        this.atEnd = false;
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        this.buffer = "";
        this.flowKey = false;
        this.flowLevel = 0;
        this.indentNext = 0;
        this.indentValue = 0;
        this.lineEndPos = null;
        this.next = null;
        this.pos = 0;
      }
      /**
       * Generate YAML tokens from the `source` string. If `incomplete`,
       * a part of the last line may be left as a buffer for the next call.
       *
       * @returns A generator of lexical tokens
       */
      *lex(source, incomplete = false) {
        if (source) {
          if (typeof source !== "string")
            throw TypeError("source is not a string");
          this.buffer = this.buffer ? this.buffer + source : source;
          this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? "stream";
        while (next && (incomplete || this.hasChars(1)))
          next = yield* this.parseNext(next);
      }
      atLineEnd() {
        let i2 = this.pos;
        let ch = this.buffer[i2];
        while (ch === " " || ch === "	")
          ch = this.buffer[++i2];
        if (!ch || ch === "#" || ch === "\n")
          return true;
        if (ch === "\r")
          return this.buffer[i2 + 1] === "\n";
        return false;
      }
      charAt(n2) {
        return this.buffer[this.pos + n2];
      }
      continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
          let indent = 0;
          while (ch === " ")
            ch = this.buffer[++indent + offset];
          if (ch === "\r") {
            const next = this.buffer[indent + offset + 1];
            if (next === "\n" || !next && !this.atEnd)
              return offset + indent + 1;
          }
          return ch === "\n" || indent >= this.indentNext || !ch && !this.atEnd ? offset + indent : -1;
        }
        if (ch === "-" || ch === ".") {
          const dt = this.buffer.substr(offset, 3);
          if ((dt === "---" || dt === "...") && isEmpty(this.buffer[offset + 3]))
            return -1;
        }
        return offset;
      }
      getLine() {
        let end = this.lineEndPos;
        if (typeof end !== "number" || end !== -1 && end < this.pos) {
          end = this.buffer.indexOf("\n", this.pos);
          this.lineEndPos = end;
        }
        if (end === -1)
          return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === "\r")
          end -= 1;
        return this.buffer.substring(this.pos, end);
      }
      hasChars(n2) {
        return this.pos + n2 <= this.buffer.length;
      }
      setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
      }
      peek(n2) {
        return this.buffer.substr(this.pos, n2);
      }
      *parseNext(next) {
        switch (next) {
          case "stream":
            return yield* this.parseStream();
          case "line-start":
            return yield* this.parseLineStart();
          case "block-start":
            return yield* this.parseBlockStart();
          case "doc":
            return yield* this.parseDocument();
          case "flow":
            return yield* this.parseFlowCollection();
          case "quoted-scalar":
            return yield* this.parseQuotedScalar();
          case "block-scalar":
            return yield* this.parseBlockScalar();
          case "plain-scalar":
            return yield* this.parsePlainScalar();
        }
      }
      *parseStream() {
        let line = this.getLine();
        if (line === null)
          return this.setNext("stream");
        if (line[0] === cst.BOM) {
          yield* this.pushCount(1);
          line = line.substring(1);
        }
        if (line[0] === "%") {
          let dirEnd = line.length;
          let cs = line.indexOf("#");
          while (cs !== -1) {
            const ch = line[cs - 1];
            if (ch === " " || ch === "	") {
              dirEnd = cs - 1;
              break;
            } else {
              cs = line.indexOf("#", cs + 1);
            }
          }
          while (true) {
            const ch = line[dirEnd - 1];
            if (ch === " " || ch === "	")
              dirEnd -= 1;
            else
              break;
          }
          const n2 = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
          yield* this.pushCount(line.length - n2);
          this.pushNewline();
          return "stream";
        }
        if (this.atLineEnd()) {
          const sp = yield* this.pushSpaces(true);
          yield* this.pushCount(line.length - sp);
          yield* this.pushNewline();
          return "stream";
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
      }
      *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
          return this.setNext("line-start");
        if (ch === "-" || ch === ".") {
          if (!this.atEnd && !this.hasChars(4))
            return this.setNext("line-start");
          const s = this.peek(3);
          if ((s === "---" || s === "...") && isEmpty(this.charAt(3))) {
            yield* this.pushCount(3);
            this.indentValue = 0;
            this.indentNext = 0;
            return s === "---" ? "doc" : "stream";
          }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
          this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
      }
      *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
          return this.setNext("block-start");
        if ((ch0 === "-" || ch0 === "?" || ch0 === ":") && isEmpty(ch1)) {
          const n2 = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
          this.indentNext = this.indentValue + 1;
          this.indentValue += n2;
          return "block-start";
        }
        return "doc";
      }
      *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
          return this.setNext("doc");
        let n2 = yield* this.pushIndicators();
        switch (line[n2]) {
          case "#":
            yield* this.pushCount(line.length - n2);
          // fallthrough
          case void 0:
            yield* this.pushNewline();
            return yield* this.parseLineStart();
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel = 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            return "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "doc";
          case '"':
          case "'":
            return yield* this.parseQuotedScalar();
          case "|":
          case ">":
            n2 += yield* this.parseBlockScalarHeader();
            n2 += yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - n2);
            yield* this.pushNewline();
            return yield* this.parseBlockScalar();
          default:
            return yield* this.parsePlainScalar();
        }
      }
      *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
          nl = yield* this.pushNewline();
          if (nl > 0) {
            sp = yield* this.pushSpaces(false);
            this.indentValue = indent = sp;
          } else {
            sp = 0;
          }
          sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
          return this.setNext("flow");
        if (indent !== -1 && indent < this.indentNext && line[0] !== "#" || indent === 0 && (line.startsWith("---") || line.startsWith("...")) && isEmpty(line[3])) {
          const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (line[0] === "]" || line[0] === "}");
          if (!atFlowEndMarker) {
            this.flowLevel = 0;
            yield cst.FLOW_END;
            return yield* this.parseLineStart();
          }
        }
        let n2 = 0;
        while (line[n2] === ",") {
          n2 += yield* this.pushCount(1);
          n2 += yield* this.pushSpaces(true);
          this.flowKey = false;
        }
        n2 += yield* this.pushIndicators();
        switch (line[n2]) {
          case void 0:
            return "flow";
          case "#":
            yield* this.pushCount(line.length - n2);
            return "flow";
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel += 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            this.flowKey = true;
            this.flowLevel -= 1;
            return this.flowLevel ? "flow" : "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "flow";
          case '"':
          case "'":
            this.flowKey = true;
            return yield* this.parseQuotedScalar();
          case ":": {
            const next = this.charAt(1);
            if (this.flowKey || isEmpty(next) || next === ",") {
              this.flowKey = false;
              yield* this.pushCount(1);
              yield* this.pushSpaces(true);
              return "flow";
            }
          }
          // fallthrough
          default:
            this.flowKey = false;
            return yield* this.parsePlainScalar();
        }
      }
      *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
          while (end !== -1 && this.buffer[end + 1] === "'")
            end = this.buffer.indexOf("'", end + 2);
        } else {
          while (end !== -1) {
            let n2 = 0;
            while (this.buffer[end - 1 - n2] === "\\")
              n2 += 1;
            if (n2 % 2 === 0)
              break;
            end = this.buffer.indexOf('"', end + 1);
          }
        }
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf("\n", this.pos);
        if (nl !== -1) {
          while (nl !== -1) {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = qb.indexOf("\n", cs);
          }
          if (nl !== -1) {
            end = nl - (qb[nl - 1] === "\r" ? 2 : 1);
          }
        }
        if (end === -1) {
          if (!this.atEnd)
            return this.setNext("quoted-scalar");
          end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? "flow" : "doc";
      }
      *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i2 = this.pos;
        while (true) {
          const ch = this.buffer[++i2];
          if (ch === "+")
            this.blockScalarKeep = true;
          else if (ch > "0" && ch <= "9")
            this.blockScalarIndent = Number(ch) - 1;
          else if (ch !== "-")
            break;
        }
        return yield* this.pushUntil((ch) => isEmpty(ch) || ch === "#");
      }
      *parseBlockScalar() {
        let nl = this.pos - 1;
        let indent = 0;
        let ch;
        loop: for (let i3 = this.pos; ch = this.buffer[i3]; ++i3) {
          switch (ch) {
            case " ":
              indent += 1;
              break;
            case "\n":
              nl = i3;
              indent = 0;
              break;
            case "\r": {
              const next = this.buffer[i3 + 1];
              if (!next && !this.atEnd)
                return this.setNext("block-scalar");
              if (next === "\n")
                break;
            }
            // fallthrough
            default:
              break loop;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("block-scalar");
        if (indent >= this.indentNext) {
          if (this.blockScalarIndent === -1)
            this.indentNext = indent;
          else {
            this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
          }
          do {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = this.buffer.indexOf("\n", cs);
          } while (nl !== -1);
          if (nl === -1) {
            if (!this.atEnd)
              return this.setNext("block-scalar");
            nl = this.buffer.length;
          }
        }
        let i2 = nl + 1;
        ch = this.buffer[i2];
        while (ch === " ")
          ch = this.buffer[++i2];
        if (ch === "	") {
          while (ch === "	" || ch === " " || ch === "\r" || ch === "\n")
            ch = this.buffer[++i2];
          nl = i2 - 1;
        } else if (!this.blockScalarKeep) {
          do {
            let i3 = nl - 1;
            let ch2 = this.buffer[i3];
            if (ch2 === "\r")
              ch2 = this.buffer[--i3];
            const lastChar = i3;
            while (ch2 === " ")
              ch2 = this.buffer[--i3];
            if (ch2 === "\n" && i3 >= this.pos && i3 + 1 + indent > lastChar)
              nl = i3;
            else
              break;
          } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
      }
      *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i2 = this.pos - 1;
        let ch;
        while (ch = this.buffer[++i2]) {
          if (ch === ":") {
            const next = this.buffer[i2 + 1];
            if (isEmpty(next) || inFlow && flowIndicatorChars.has(next))
              break;
            end = i2;
          } else if (isEmpty(ch)) {
            let next = this.buffer[i2 + 1];
            if (ch === "\r") {
              if (next === "\n") {
                i2 += 1;
                ch = "\n";
                next = this.buffer[i2 + 1];
              } else
                end = i2;
            }
            if (next === "#" || inFlow && flowIndicatorChars.has(next))
              break;
            if (ch === "\n") {
              const cs = this.continueScalar(i2 + 1);
              if (cs === -1)
                break;
              i2 = Math.max(i2, cs - 2);
            }
          } else {
            if (inFlow && flowIndicatorChars.has(ch))
              break;
            end = i2;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("plain-scalar");
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? "flow" : "doc";
      }
      *pushCount(n2) {
        if (n2 > 0) {
          yield this.buffer.substr(this.pos, n2);
          this.pos += n2;
          return n2;
        }
        return 0;
      }
      *pushToIndex(i2, allowEmpty) {
        const s = this.buffer.slice(this.pos, i2);
        if (s) {
          yield s;
          this.pos += s.length;
          return s.length;
        } else if (allowEmpty)
          yield "";
        return 0;
      }
      *pushIndicators() {
        let n2 = 0;
        loop: while (true) {
          switch (this.charAt(0)) {
            case "!":
              n2 += yield* this.pushTag();
              n2 += yield* this.pushSpaces(true);
              continue loop;
            case "&":
              n2 += yield* this.pushUntil(isNotAnchorChar);
              n2 += yield* this.pushSpaces(true);
              continue loop;
            case "-":
            // this is an error
            case "?":
            // this is an error outside flow collections
            case ":": {
              const inFlow = this.flowLevel > 0;
              const ch1 = this.charAt(1);
              if (isEmpty(ch1) || inFlow && flowIndicatorChars.has(ch1)) {
                if (!inFlow)
                  this.indentNext = this.indentValue + 1;
                else if (this.flowKey)
                  this.flowKey = false;
                n2 += yield* this.pushCount(1);
                n2 += yield* this.pushSpaces(true);
                continue loop;
              }
            }
          }
          break loop;
        }
        return n2;
      }
      *pushTag() {
        if (this.charAt(1) === "<") {
          let i2 = this.pos + 2;
          let ch = this.buffer[i2];
          while (!isEmpty(ch) && ch !== ">")
            ch = this.buffer[++i2];
          return yield* this.pushToIndex(ch === ">" ? i2 + 1 : i2, false);
        } else {
          let i2 = this.pos + 1;
          let ch = this.buffer[i2];
          while (ch) {
            if (tagChars.has(ch))
              ch = this.buffer[++i2];
            else if (ch === "%" && hexDigits.has(this.buffer[i2 + 1]) && hexDigits.has(this.buffer[i2 + 2])) {
              ch = this.buffer[i2 += 3];
            } else
              break;
          }
          return yield* this.pushToIndex(i2, false);
        }
      }
      *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === "\n")
          return yield* this.pushCount(1);
        else if (ch === "\r" && this.charAt(1) === "\n")
          return yield* this.pushCount(2);
        else
          return 0;
      }
      *pushSpaces(allowTabs) {
        let i2 = this.pos - 1;
        let ch;
        do {
          ch = this.buffer[++i2];
        } while (ch === " " || allowTabs && ch === "	");
        const n2 = i2 - this.pos;
        if (n2 > 0) {
          yield this.buffer.substr(this.pos, n2);
          this.pos = i2;
        }
        return n2;
      }
      *pushUntil(test) {
        let i2 = this.pos;
        let ch = this.buffer[i2];
        while (!test(ch))
          ch = this.buffer[++i2];
        return yield* this.pushToIndex(i2, false);
      }
    };
    exports.Lexer = Lexer;
  }
});

// node_modules/yaml/dist/parse/line-counter.js
var require_line_counter = __commonJS({
  "node_modules/yaml/dist/parse/line-counter.js"(exports) {
    "use strict";
    var LineCounter2 = class {
      constructor() {
        this.lineStarts = [];
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        this.linePos = (offset) => {
          let low = 0;
          let high = this.lineStarts.length;
          while (low < high) {
            const mid = low + high >> 1;
            if (this.lineStarts[mid] < offset)
              low = mid + 1;
            else
              high = mid;
          }
          if (this.lineStarts[low] === offset)
            return { line: low + 1, col: 1 };
          if (low === 0)
            return { line: 0, col: offset };
          const start = this.lineStarts[low - 1];
          return { line: low, col: offset - start + 1 };
        };
      }
    };
    exports.LineCounter = LineCounter2;
  }
});

// node_modules/yaml/dist/parse/parser.js
var require_parser = __commonJS({
  "node_modules/yaml/dist/parse/parser.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var cst = require_cst();
    var lexer = require_lexer();
    function includesToken(list, type) {
      for (let i2 = 0; i2 < list.length; ++i2)
        if (list[i2].type === type)
          return true;
      return false;
    }
    function findNonEmptyIndex(list) {
      for (let i2 = 0; i2 < list.length; ++i2) {
        switch (list[i2].type) {
          case "space":
          case "comment":
          case "newline":
            break;
          default:
            return i2;
        }
      }
      return -1;
    }
    function isFlowToken(token) {
      switch (token?.type) {
        case "alias":
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "flow-collection":
          return true;
        default:
          return false;
      }
    }
    function getPrevProps(parent) {
      switch (parent.type) {
        case "document":
          return parent.start;
        case "block-map": {
          const it = parent.items[parent.items.length - 1];
          return it.sep ?? it.start;
        }
        case "block-seq":
          return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
          return [];
      }
    }
    function getFirstKeyStartProps(prev) {
      if (prev.length === 0)
        return [];
      let i2 = prev.length;
      loop: while (--i2 >= 0) {
        switch (prev[i2].type) {
          case "doc-start":
          case "explicit-key-ind":
          case "map-value-ind":
          case "seq-item-ind":
          case "newline":
            break loop;
        }
      }
      while (prev[++i2]?.type === "space") {
      }
      return prev.splice(i2, prev.length);
    }
    function arrayPushArray(target, source) {
      if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
      else
        for (let i2 = 0; i2 < source.length; ++i2)
          target.push(source[i2]);
    }
    function fixFlowSeqItems(fc) {
      if (fc.start.type === "flow-seq-start") {
        for (const it of fc.items) {
          if (it.sep && !it.value && !includesToken(it.start, "explicit-key-ind") && !includesToken(it.sep, "map-value-ind")) {
            if (it.key)
              it.value = it.key;
            delete it.key;
            if (isFlowToken(it.value)) {
              if (it.value.end)
                arrayPushArray(it.value.end, it.sep);
              else
                it.value.end = it.sep;
            } else
              arrayPushArray(it.start, it.sep);
            delete it.sep;
          }
        }
      }
    }
    var Parser2 = class {
      /**
       * @param onNewLine - If defined, called separately with the start position of
       *   each new line (in `parse()`, including the start of input).
       */
      constructor(onNewLine) {
        this.atNewLine = true;
        this.atScalar = false;
        this.indent = 0;
        this.offset = 0;
        this.onKeyLine = false;
        this.stack = [];
        this.source = "";
        this.type = "";
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
      }
      /**
       * Parse `source` as a YAML stream.
       * If `incomplete`, a part of the last line may be left as a buffer for the next call.
       *
       * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
       *
       * @returns A generator of tokens representing each directive, document, and other structure.
       */
      *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
          this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
          yield* this.next(lexeme);
        if (!incomplete)
          yield* this.end();
      }
      /**
       * Advance the parser by the `source` of one lexical token.
       */
      *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
          console.log("|", cst.prettyToken(source));
        if (this.atScalar) {
          this.atScalar = false;
          yield* this.step();
          this.offset += source.length;
          return;
        }
        const type = cst.tokenType(source);
        if (!type) {
          const message = `Not a YAML token: ${source}`;
          yield* this.pop({ type: "error", offset: this.offset, message, source });
          this.offset += source.length;
        } else if (type === "scalar") {
          this.atNewLine = false;
          this.atScalar = true;
          this.type = "scalar";
        } else {
          this.type = type;
          yield* this.step();
          switch (type) {
            case "newline":
              this.atNewLine = true;
              this.indent = 0;
              if (this.onNewLine)
                this.onNewLine(this.offset + source.length);
              break;
            case "space":
              if (this.atNewLine && source[0] === " ")
                this.indent += source.length;
              break;
            case "explicit-key-ind":
            case "map-value-ind":
            case "seq-item-ind":
              if (this.atNewLine)
                this.indent += source.length;
              break;
            case "doc-mode":
            case "flow-error-end":
              return;
            default:
              this.atNewLine = false;
          }
          this.offset += source.length;
        }
      }
      /** Call at end of input to push out any remaining constructions */
      *end() {
        while (this.stack.length > 0)
          yield* this.pop();
      }
      get sourceToken() {
        const st = {
          type: this.type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
        return st;
      }
      *step() {
        const top = this.peek(1);
        if (this.type === "doc-end" && top?.type !== "doc-end") {
          while (this.stack.length > 0)
            yield* this.pop();
          this.stack.push({
            type: "doc-end",
            offset: this.offset,
            source: this.source
          });
          return;
        }
        if (!top)
          return yield* this.stream();
        switch (top.type) {
          case "document":
            return yield* this.document(top);
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return yield* this.scalar(top);
          case "block-scalar":
            return yield* this.blockScalar(top);
          case "block-map":
            return yield* this.blockMap(top);
          case "block-seq":
            return yield* this.blockSequence(top);
          case "flow-collection":
            return yield* this.flowCollection(top);
          case "doc-end":
            return yield* this.documentEnd(top);
        }
        yield* this.pop();
      }
      peek(n2) {
        return this.stack[this.stack.length - n2];
      }
      *pop(error) {
        const token = error ?? this.stack.pop();
        if (!token) {
          const message = "Tried to pop an empty stack";
          yield { type: "error", offset: this.offset, source: "", message };
        } else if (this.stack.length === 0) {
          yield token;
        } else {
          const top = this.peek(1);
          if (token.type === "block-scalar") {
            token.indent = "indent" in top ? top.indent : 0;
          } else if (token.type === "flow-collection" && top.type === "document") {
            token.indent = 0;
          }
          if (token.type === "flow-collection")
            fixFlowSeqItems(token);
          switch (top.type) {
            case "document":
              top.value = token;
              break;
            case "block-scalar":
              top.props.push(token);
              break;
            case "block-map": {
              const it = top.items[top.items.length - 1];
              if (it.value) {
                top.items.push({ start: [], key: token, sep: [] });
                this.onKeyLine = true;
                return;
              } else if (it.sep) {
                it.value = token;
              } else {
                Object.assign(it, { key: token, sep: [] });
                this.onKeyLine = !it.explicitKey;
                return;
              }
              break;
            }
            case "block-seq": {
              const it = top.items[top.items.length - 1];
              if (it.value)
                top.items.push({ start: [], value: token });
              else
                it.value = token;
              break;
            }
            case "flow-collection": {
              const it = top.items[top.items.length - 1];
              if (!it || it.value)
                top.items.push({ start: [], key: token, sep: [] });
              else if (it.sep)
                it.value = token;
              else
                Object.assign(it, { key: token, sep: [] });
              return;
            }
            /* istanbul ignore next should not happen */
            default:
              yield* this.pop();
              yield* this.pop(token);
          }
          if ((top.type === "document" || top.type === "block-map" || top.type === "block-seq") && (token.type === "block-map" || token.type === "block-seq")) {
            const last = token.items[token.items.length - 1];
            if (last && !last.sep && !last.value && last.start.length > 0 && findNonEmptyIndex(last.start) === -1 && (token.indent === 0 || last.start.every((st) => st.type !== "comment" || st.indent < token.indent))) {
              if (top.type === "document")
                top.end = last.start;
              else
                top.items.push({ start: last.start });
              token.items.splice(-1, 1);
            }
          }
        }
      }
      *stream() {
        switch (this.type) {
          case "directive-line":
            yield { type: "directive", offset: this.offset, source: this.source };
            return;
          case "byte-order-mark":
          case "space":
          case "comment":
          case "newline":
            yield this.sourceToken;
            return;
          case "doc-mode":
          case "doc-start": {
            const doc = {
              type: "document",
              offset: this.offset,
              start: []
            };
            if (this.type === "doc-start")
              doc.start.push(this.sourceToken);
            this.stack.push(doc);
            return;
          }
        }
        yield {
          type: "error",
          offset: this.offset,
          message: `Unexpected ${this.type} token in YAML stream`,
          source: this.source
        };
      }
      *document(doc) {
        if (doc.value)
          return yield* this.lineEnd(doc);
        switch (this.type) {
          case "doc-start": {
            if (findNonEmptyIndex(doc.start) !== -1) {
              yield* this.pop();
              yield* this.step();
            } else
              doc.start.push(this.sourceToken);
            return;
          }
          case "anchor":
          case "tag":
          case "space":
          case "comment":
          case "newline":
            doc.start.push(this.sourceToken);
            return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
          this.stack.push(bv);
        else {
          yield {
            type: "error",
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML document`,
            source: this.source
          };
        }
      }
      *scalar(scalar) {
        if (this.type === "map-value-ind") {
          const prev = getPrevProps(this.peek(2));
          const start = getFirstKeyStartProps(prev);
          let sep5;
          if (scalar.end) {
            sep5 = scalar.end;
            sep5.push(this.sourceToken);
            delete scalar.end;
          } else
            sep5 = [this.sourceToken];
          const map = {
            type: "block-map",
            offset: scalar.offset,
            indent: scalar.indent,
            items: [{ start, key: scalar, sep: sep5 }]
          };
          this.onKeyLine = true;
          this.stack[this.stack.length - 1] = map;
        } else
          yield* this.lineEnd(scalar);
      }
      *blockScalar(scalar) {
        switch (this.type) {
          case "space":
          case "comment":
          case "newline":
            scalar.props.push(this.sourceToken);
            return;
          case "scalar":
            scalar.source = this.source;
            this.atNewLine = true;
            this.indent = 0;
            if (this.onNewLine) {
              let nl = this.source.indexOf("\n") + 1;
              while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf("\n", nl) + 1;
              }
            }
            yield* this.pop();
            break;
          /* istanbul ignore next should not happen */
          default:
            yield* this.pop();
            yield* this.step();
        }
      }
      *blockMap(map) {
        const it = map.items[map.items.length - 1];
        switch (this.type) {
          case "newline":
            this.onKeyLine = false;
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              it.start.push(this.sourceToken);
            }
            return;
          case "space":
          case "comment":
            if (it.value) {
              map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              if (this.atIndentedComment(it.start, map.indent)) {
                const prev = map.items[map.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  map.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
        }
        if (this.indent >= map.indent) {
          const atMapIndent = !this.onKeyLine && this.indent === map.indent;
          const atNextItem = atMapIndent && (it.sep || it.explicitKey) && this.type !== "seq-item-ind";
          let start = [];
          if (atNextItem && it.sep && !it.value) {
            const nl = [];
            for (let i2 = 0; i2 < it.sep.length; ++i2) {
              const st = it.sep[i2];
              switch (st.type) {
                case "newline":
                  nl.push(i2);
                  break;
                case "space":
                  break;
                case "comment":
                  if (st.indent > map.indent)
                    nl.length = 0;
                  break;
                default:
                  nl.length = 0;
              }
            }
            if (nl.length >= 2)
              start = it.sep.splice(nl[1]);
          }
          switch (this.type) {
            case "anchor":
            case "tag":
              if (atNextItem || it.value) {
                start.push(this.sourceToken);
                map.items.push({ start });
                this.onKeyLine = true;
              } else if (it.sep) {
                it.sep.push(this.sourceToken);
              } else {
                it.start.push(this.sourceToken);
              }
              return;
            case "explicit-key-ind":
              if (!it.sep && !it.explicitKey) {
                it.start.push(this.sourceToken);
                it.explicitKey = true;
              } else if (atNextItem || it.value) {
                start.push(this.sourceToken);
                map.items.push({ start, explicitKey: true });
              } else {
                this.stack.push({
                  type: "block-map",
                  offset: this.offset,
                  indent: this.indent,
                  items: [{ start: [this.sourceToken], explicitKey: true }]
                });
              }
              this.onKeyLine = true;
              return;
            case "map-value-ind":
              if (it.explicitKey) {
                if (!it.sep) {
                  if (includesToken(it.start, "newline")) {
                    Object.assign(it, { key: null, sep: [this.sourceToken] });
                  } else {
                    const start2 = getFirstKeyStartProps(it.start);
                    this.stack.push({
                      type: "block-map",
                      offset: this.offset,
                      indent: this.indent,
                      items: [{ start: start2, key: null, sep: [this.sourceToken] }]
                    });
                  }
                } else if (it.value) {
                  map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                  });
                } else if (isFlowToken(it.key) && !includesToken(it.sep, "newline")) {
                  const start2 = getFirstKeyStartProps(it.start);
                  const key = it.key;
                  const sep5 = it.sep;
                  sep5.push(this.sourceToken);
                  delete it.key;
                  delete it.sep;
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: start2, key, sep: sep5 }]
                  });
                } else if (start.length > 0) {
                  it.sep = it.sep.concat(start, this.sourceToken);
                } else {
                  it.sep.push(this.sourceToken);
                }
              } else {
                if (!it.sep) {
                  Object.assign(it, { key: null, sep: [this.sourceToken] });
                } else if (it.value || atNextItem) {
                  map.items.push({ start, key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [], key: null, sep: [this.sourceToken] }]
                  });
                } else {
                  it.sep.push(this.sourceToken);
                }
              }
              this.onKeyLine = true;
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (atNextItem || it.value) {
                map.items.push({ start, key: fs, sep: [] });
                this.onKeyLine = true;
              } else if (it.sep) {
                this.stack.push(fs);
              } else {
                Object.assign(it, { key: fs, sep: [] });
                this.onKeyLine = true;
              }
              return;
            }
            default: {
              const bv = this.startBlockValue(map);
              if (bv) {
                if (bv.type === "block-seq") {
                  if (!it.explicitKey && it.sep && !includesToken(it.sep, "newline")) {
                    yield* this.pop({
                      type: "error",
                      offset: this.offset,
                      message: "Unexpected block-seq-ind on same line with key",
                      source: this.source
                    });
                    return;
                  }
                } else if (atMapIndent) {
                  map.items.push({ start });
                }
                this.stack.push(bv);
                return;
              }
            }
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
          case "newline":
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                seq.items.push({ start: [this.sourceToken] });
            } else
              it.start.push(this.sourceToken);
            return;
          case "space":
          case "comment":
            if (it.value)
              seq.items.push({ start: [this.sourceToken] });
            else {
              if (this.atIndentedComment(it.start, seq.indent)) {
                const prev = seq.items[seq.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  seq.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
          case "anchor":
          case "tag":
            if (it.value || this.indent <= seq.indent)
              break;
            it.start.push(this.sourceToken);
            return;
          case "seq-item-ind":
            if (this.indent !== seq.indent)
              break;
            if (it.value || includesToken(it.start, "seq-item-ind"))
              seq.items.push({ start: [this.sourceToken] });
            else
              it.start.push(this.sourceToken);
            return;
        }
        if (this.indent > seq.indent) {
          const bv = this.startBlockValue(seq);
          if (bv) {
            this.stack.push(bv);
            return;
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === "flow-error-end") {
          let top;
          do {
            yield* this.pop();
            top = this.peek(1);
          } while (top?.type === "flow-collection");
        } else if (fc.end.length === 0) {
          switch (this.type) {
            case "comma":
            case "explicit-key-ind":
              if (!it || it.sep)
                fc.items.push({ start: [this.sourceToken] });
              else
                it.start.push(this.sourceToken);
              return;
            case "map-value-ind":
              if (!it || it.value)
                fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                Object.assign(it, { key: null, sep: [this.sourceToken] });
              return;
            case "space":
            case "comment":
            case "newline":
            case "anchor":
            case "tag":
              if (!it || it.value)
                fc.items.push({ start: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                it.start.push(this.sourceToken);
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (!it || it.value)
                fc.items.push({ start: [], key: fs, sep: [] });
              else if (it.sep)
                this.stack.push(fs);
              else
                Object.assign(it, { key: fs, sep: [] });
              return;
            }
            case "flow-map-end":
            case "flow-seq-end":
              fc.end.push(this.sourceToken);
              return;
          }
          const bv = this.startBlockValue(fc);
          if (bv)
            this.stack.push(bv);
          else {
            yield* this.pop();
            yield* this.step();
          }
        } else {
          const parent = this.peek(2);
          if (parent.type === "block-map" && (this.type === "map-value-ind" && parent.indent === fc.indent || this.type === "newline" && !parent.items[parent.items.length - 1].sep)) {
            yield* this.pop();
            yield* this.step();
          } else if (this.type === "map-value-ind" && parent.type !== "flow-collection") {
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            fixFlowSeqItems(fc);
            const sep5 = fc.end.splice(1, fc.end.length);
            sep5.push(this.sourceToken);
            const map = {
              type: "block-map",
              offset: fc.offset,
              indent: fc.indent,
              items: [{ start, key: fc, sep: sep5 }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
          } else {
            yield* this.lineEnd(fc);
          }
        }
      }
      flowScalar(type) {
        if (this.onNewLine) {
          let nl = this.source.indexOf("\n") + 1;
          while (nl !== 0) {
            this.onNewLine(this.offset + nl);
            nl = this.source.indexOf("\n", nl) + 1;
          }
        }
        return {
          type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
      }
      startBlockValue(parent) {
        switch (this.type) {
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return this.flowScalar(this.type);
          case "block-scalar-header":
            return {
              type: "block-scalar",
              offset: this.offset,
              indent: this.indent,
              props: [this.sourceToken],
              source: ""
            };
          case "flow-map-start":
          case "flow-seq-start":
            return {
              type: "flow-collection",
              offset: this.offset,
              indent: this.indent,
              start: this.sourceToken,
              items: [],
              end: []
            };
          case "seq-item-ind":
            return {
              type: "block-seq",
              offset: this.offset,
              indent: this.indent,
              items: [{ start: [this.sourceToken] }]
            };
          case "explicit-key-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            start.push(this.sourceToken);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, explicitKey: true }]
            };
          }
          case "map-value-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, key: null, sep: [this.sourceToken] }]
            };
          }
        }
        return null;
      }
      atIndentedComment(start, indent) {
        if (this.type !== "comment")
          return false;
        if (this.indent <= indent)
          return false;
        return start.every((st) => st.type === "newline" || st.type === "space");
      }
      *documentEnd(docEnd) {
        if (this.type !== "doc-mode") {
          if (docEnd.end)
            docEnd.end.push(this.sourceToken);
          else
            docEnd.end = [this.sourceToken];
          if (this.type === "newline")
            yield* this.pop();
        }
      }
      *lineEnd(token) {
        switch (this.type) {
          case "comma":
          case "doc-start":
          case "doc-end":
          case "flow-seq-end":
          case "flow-map-end":
          case "map-value-ind":
            yield* this.pop();
            yield* this.step();
            break;
          case "newline":
            this.onKeyLine = false;
          // fallthrough
          case "space":
          case "comment":
          default:
            if (token.end)
              token.end.push(this.sourceToken);
            else
              token.end = [this.sourceToken];
            if (this.type === "newline")
              yield* this.pop();
        }
      }
    };
    exports.Parser = Parser2;
  }
});

// node_modules/yaml/dist/public-api.js
var require_public_api = __commonJS({
  "node_modules/yaml/dist/public-api.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document = require_Document();
    var errors = require_errors();
    var log = require_log();
    var identity3 = require_identity();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    function parseOptions2(options) {
      const prettyErrors = options.prettyErrors !== false;
      const lineCounter$1 = options.lineCounter || prettyErrors && new lineCounter.LineCounter() || null;
      return { lineCounter: lineCounter$1, prettyErrors };
    }
    function parseAllDocuments(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions2(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      const docs = Array.from(composer$1.compose(parser$1.parse(source)));
      if (prettyErrors && lineCounter2)
        for (const doc of docs) {
          doc.errors.forEach(errors.prettifyError(source, lineCounter2));
          doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
        }
      if (docs.length > 0)
        return docs;
      return Object.assign([], { empty: true }, composer$1.streamInfo());
    }
    function parseDocument5(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions2(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      let doc = null;
      for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
          doc = _doc;
        else if (doc.options.logLevel !== "silent") {
          doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
          break;
        }
      }
      if (prettyErrors && lineCounter2) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter2));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
      }
      return doc;
    }
    function parse2(src, reviver, options) {
      let _reviver = void 0;
      if (typeof reviver === "function") {
        _reviver = reviver;
      } else if (options === void 0 && reviver && typeof reviver === "object") {
        options = reviver;
      }
      const doc = parseDocument5(src, options);
      if (!doc)
        return null;
      doc.warnings.forEach((warning) => log.warn(doc.options.logLevel, warning));
      if (doc.errors.length > 0) {
        if (doc.options.logLevel !== "silent")
          throw doc.errors[0];
        else
          doc.errors = [];
      }
      return doc.toJS(Object.assign({ reviver: _reviver }, options));
    }
    function stringify(value, replacer, options) {
      let _replacer = null;
      if (typeof replacer === "function" || Array.isArray(replacer)) {
        _replacer = replacer;
      } else if (options === void 0 && replacer) {
        options = replacer;
      }
      if (typeof options === "string")
        options = options.length;
      if (typeof options === "number") {
        const indent = Math.round(options);
        options = indent < 1 ? void 0 : indent > 8 ? { indent: 8 } : { indent };
      }
      if (value === void 0) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
          return void 0;
      }
      if (identity3.isDocument(value) && !_replacer)
        return value.toString(options);
      return new Document.Document(value, _replacer, options).toString(options);
    }
    exports.parse = parse2;
    exports.parseAllDocuments = parseAllDocuments;
    exports.parseDocument = parseDocument5;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/index.js
var require_dist = __commonJS({
  "node_modules/yaml/dist/index.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document = require_Document();
    var Schema = require_Schema();
    var errors = require_errors();
    var Alias = require_Alias();
    var identity3 = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var cst = require_cst();
    var lexer = require_lexer();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    var publicApi = require_public_api();
    var visit = require_visit();
    exports.Composer = composer.Composer;
    exports.Document = Document.Document;
    exports.Schema = Schema.Schema;
    exports.YAMLError = errors.YAMLError;
    exports.YAMLParseError = errors.YAMLParseError;
    exports.YAMLWarning = errors.YAMLWarning;
    exports.Alias = Alias.Alias;
    exports.isAlias = identity3.isAlias;
    exports.isCollection = identity3.isCollection;
    exports.isDocument = identity3.isDocument;
    exports.isMap = identity3.isMap;
    exports.isNode = identity3.isNode;
    exports.isPair = identity3.isPair;
    exports.isScalar = identity3.isScalar;
    exports.isSeq = identity3.isSeq;
    exports.Pair = Pair.Pair;
    exports.Scalar = Scalar.Scalar;
    exports.YAMLMap = YAMLMap.YAMLMap;
    exports.YAMLSeq = YAMLSeq.YAMLSeq;
    exports.CST = cst;
    exports.Lexer = lexer.Lexer;
    exports.LineCounter = lineCounter.LineCounter;
    exports.Parser = parser.Parser;
    exports.parse = publicApi.parse;
    exports.parseAllDocuments = publicApi.parseAllDocuments;
    exports.parseDocument = publicApi.parseDocument;
    exports.stringify = publicApi.stringify;
    exports.visit = visit.visit;
    exports.visitAsync = visit.visitAsync;
  }
});

// node_modules/isexe/windows.js
var require_windows = __commonJS({
  "node_modules/isexe/windows.js"(exports, module) {
    module.exports = isexe;
    isexe.sync = sync;
    var fs = __require("fs");
    function checkPathExt(path7, options) {
      var pathext = options.pathExt !== void 0 ? options.pathExt : process.env.PATHEXT;
      if (!pathext) {
        return true;
      }
      pathext = pathext.split(";");
      if (pathext.indexOf("") !== -1) {
        return true;
      }
      for (var i2 = 0; i2 < pathext.length; i2++) {
        var p = pathext[i2].toLowerCase();
        if (p && path7.substr(-p.length).toLowerCase() === p) {
          return true;
        }
      }
      return false;
    }
    function checkStat(stat4, path7, options) {
      if (!stat4.isSymbolicLink() && !stat4.isFile()) {
        return false;
      }
      return checkPathExt(path7, options);
    }
    function isexe(path7, options, cb) {
      fs.stat(path7, function(er, stat4) {
        cb(er, er ? false : checkStat(stat4, path7, options));
      });
    }
    function sync(path7, options) {
      return checkStat(fs.statSync(path7), path7, options);
    }
  }
});

// node_modules/isexe/mode.js
var require_mode = __commonJS({
  "node_modules/isexe/mode.js"(exports, module) {
    module.exports = isexe;
    isexe.sync = sync;
    var fs = __require("fs");
    function isexe(path7, options, cb) {
      fs.stat(path7, function(er, stat4) {
        cb(er, er ? false : checkStat(stat4, options));
      });
    }
    function sync(path7, options) {
      return checkStat(fs.statSync(path7), options);
    }
    function checkStat(stat4, options) {
      return stat4.isFile() && checkMode(stat4, options);
    }
    function checkMode(stat4, options) {
      var mod = stat4.mode;
      var uid = stat4.uid;
      var gid = stat4.gid;
      var myUid = options.uid !== void 0 ? options.uid : process.getuid && process.getuid();
      var myGid = options.gid !== void 0 ? options.gid : process.getgid && process.getgid();
      var u2 = parseInt("100", 8);
      var g = parseInt("010", 8);
      var o2 = parseInt("001", 8);
      var ug = u2 | g;
      var ret = mod & o2 || mod & g && gid === myGid || mod & u2 && uid === myUid || mod & ug && myUid === 0;
      return ret;
    }
  }
});

// node_modules/isexe/index.js
var require_isexe = __commonJS({
  "node_modules/isexe/index.js"(exports, module) {
    var fs = __require("fs");
    var core;
    if (process.platform === "win32" || global.TESTING_WINDOWS) {
      core = require_windows();
    } else {
      core = require_mode();
    }
    module.exports = isexe;
    isexe.sync = sync;
    function isexe(path7, options, cb) {
      if (typeof options === "function") {
        cb = options;
        options = {};
      }
      if (!cb) {
        if (typeof Promise !== "function") {
          throw new TypeError("callback not provided");
        }
        return new Promise(function(resolve11, reject) {
          isexe(path7, options || {}, function(er, is) {
            if (er) {
              reject(er);
            } else {
              resolve11(is);
            }
          });
        });
      }
      core(path7, options || {}, function(er, is) {
        if (er) {
          if (er.code === "EACCES" || options && options.ignoreErrors) {
            er = null;
            is = false;
          }
        }
        cb(er, is);
      });
    }
    function sync(path7, options) {
      try {
        return core.sync(path7, options || {});
      } catch (er) {
        if (options && options.ignoreErrors || er.code === "EACCES") {
          return false;
        } else {
          throw er;
        }
      }
    }
  }
});

// node_modules/which/which.js
var require_which = __commonJS({
  "node_modules/which/which.js"(exports, module) {
    var isWindows = process.platform === "win32" || process.env.OSTYPE === "cygwin" || process.env.OSTYPE === "msys";
    var path7 = __require("path");
    var COLON = isWindows ? ";" : ":";
    var isexe = require_isexe();
    var getNotFoundError = (cmd) => Object.assign(new Error(`not found: ${cmd}`), { code: "ENOENT" });
    var getPathInfo = (cmd, opt) => {
      const colon = opt.colon || COLON;
      const pathEnv = cmd.match(/\//) || isWindows && cmd.match(/\\/) ? [""] : [
        // windows always checks the cwd first
        ...isWindows ? [process.cwd()] : [],
        ...(opt.path || process.env.PATH || /* istanbul ignore next: very unusual */
        "").split(colon)
      ];
      const pathExtExe = isWindows ? opt.pathExt || process.env.PATHEXT || ".EXE;.CMD;.BAT;.COM" : "";
      const pathExt = isWindows ? pathExtExe.split(colon) : [""];
      if (isWindows) {
        if (cmd.indexOf(".") !== -1 && pathExt[0] !== "")
          pathExt.unshift("");
      }
      return {
        pathEnv,
        pathExt,
        pathExtExe
      };
    };
    var which = (cmd, opt, cb) => {
      if (typeof opt === "function") {
        cb = opt;
        opt = {};
      }
      if (!opt)
        opt = {};
      const { pathEnv, pathExt, pathExtExe } = getPathInfo(cmd, opt);
      const found = [];
      const step = (i2) => new Promise((resolve11, reject) => {
        if (i2 === pathEnv.length)
          return opt.all && found.length ? resolve11(found) : reject(getNotFoundError(cmd));
        const ppRaw = pathEnv[i2];
        const pathPart = /^".*"$/.test(ppRaw) ? ppRaw.slice(1, -1) : ppRaw;
        const pCmd = path7.join(pathPart, cmd);
        const p = !pathPart && /^\.[\\\/]/.test(cmd) ? cmd.slice(0, 2) + pCmd : pCmd;
        resolve11(subStep(p, i2, 0));
      });
      const subStep = (p, i2, ii) => new Promise((resolve11, reject) => {
        if (ii === pathExt.length)
          return resolve11(step(i2 + 1));
        const ext = pathExt[ii];
        isexe(p + ext, { pathExt: pathExtExe }, (er, is) => {
          if (!er && is) {
            if (opt.all)
              found.push(p + ext);
            else
              return resolve11(p + ext);
          }
          return resolve11(subStep(p, i2, ii + 1));
        });
      });
      return cb ? step(0).then((res) => cb(null, res), cb) : step(0);
    };
    var whichSync = (cmd, opt) => {
      opt = opt || {};
      const { pathEnv, pathExt, pathExtExe } = getPathInfo(cmd, opt);
      const found = [];
      for (let i2 = 0; i2 < pathEnv.length; i2++) {
        const ppRaw = pathEnv[i2];
        const pathPart = /^".*"$/.test(ppRaw) ? ppRaw.slice(1, -1) : ppRaw;
        const pCmd = path7.join(pathPart, cmd);
        const p = !pathPart && /^\.[\\\/]/.test(cmd) ? cmd.slice(0, 2) + pCmd : pCmd;
        for (let j = 0; j < pathExt.length; j++) {
          const cur = p + pathExt[j];
          try {
            const is = isexe.sync(cur, { pathExt: pathExtExe });
            if (is) {
              if (opt.all)
                found.push(cur);
              else
                return cur;
            }
          } catch (ex) {
          }
        }
      }
      if (opt.all && found.length)
        return found;
      if (opt.nothrow)
        return null;
      throw getNotFoundError(cmd);
    };
    module.exports = which;
    which.sync = whichSync;
  }
});

// node_modules/path-key/index.js
var require_path_key = __commonJS({
  "node_modules/path-key/index.js"(exports, module) {
    "use strict";
    var pathKey2 = (options = {}) => {
      const environment = options.env || process.env;
      const platform3 = options.platform || process.platform;
      if (platform3 !== "win32") {
        return "PATH";
      }
      return Object.keys(environment).reverse().find((key) => key.toUpperCase() === "PATH") || "Path";
    };
    module.exports = pathKey2;
    module.exports.default = pathKey2;
  }
});

// node_modules/cross-spawn/lib/util/resolveCommand.js
var require_resolveCommand = __commonJS({
  "node_modules/cross-spawn/lib/util/resolveCommand.js"(exports, module) {
    "use strict";
    var path7 = __require("path");
    var which = require_which();
    var getPathKey = require_path_key();
    function resolveCommandAttempt(parsed, withoutPathExt) {
      const env = parsed.options.env || process.env;
      const cwd = process.cwd();
      const hasCustomCwd = parsed.options.cwd != null;
      const shouldSwitchCwd = hasCustomCwd && process.chdir !== void 0 && !process.chdir.disabled;
      if (shouldSwitchCwd) {
        try {
          process.chdir(parsed.options.cwd);
        } catch (err) {
        }
      }
      let resolved;
      try {
        resolved = which.sync(parsed.command, {
          path: env[getPathKey({ env })],
          pathExt: withoutPathExt ? path7.delimiter : void 0
        });
      } catch (e) {
      } finally {
        if (shouldSwitchCwd) {
          process.chdir(cwd);
        }
      }
      if (resolved) {
        resolved = path7.resolve(hasCustomCwd ? parsed.options.cwd : "", resolved);
      }
      return resolved;
    }
    function resolveCommand(parsed) {
      return resolveCommandAttempt(parsed) || resolveCommandAttempt(parsed, true);
    }
    module.exports = resolveCommand;
  }
});

// node_modules/cross-spawn/lib/util/escape.js
var require_escape = __commonJS({
  "node_modules/cross-spawn/lib/util/escape.js"(exports, module) {
    "use strict";
    var metaCharsRegExp = /([()\][%!^"`<>&|;, *?])/g;
    function escapeCommand(arg) {
      arg = arg.replace(metaCharsRegExp, "^$1");
      return arg;
    }
    function escapeArgument(arg, doubleEscapeMetaChars) {
      arg = `${arg}`;
      arg = arg.replace(/(?=(\\+?)?)\1"/g, '$1$1\\"');
      arg = arg.replace(/(?=(\\+?)?)\1$/, "$1$1");
      arg = `"${arg}"`;
      arg = arg.replace(metaCharsRegExp, "^$1");
      if (doubleEscapeMetaChars) {
        arg = arg.replace(metaCharsRegExp, "^$1");
      }
      return arg;
    }
    module.exports.command = escapeCommand;
    module.exports.argument = escapeArgument;
  }
});

// node_modules/shebang-regex/index.js
var require_shebang_regex = __commonJS({
  "node_modules/shebang-regex/index.js"(exports, module) {
    "use strict";
    module.exports = /^#!(.*)/;
  }
});

// node_modules/shebang-command/index.js
var require_shebang_command = __commonJS({
  "node_modules/shebang-command/index.js"(exports, module) {
    "use strict";
    var shebangRegex = require_shebang_regex();
    module.exports = (string = "") => {
      const match = string.match(shebangRegex);
      if (!match) {
        return null;
      }
      const [path7, argument] = match[0].replace(/#! ?/, "").split(" ");
      const binary = path7.split("/").pop();
      if (binary === "env") {
        return argument;
      }
      return argument ? `${binary} ${argument}` : binary;
    };
  }
});

// node_modules/cross-spawn/lib/util/readShebang.js
var require_readShebang = __commonJS({
  "node_modules/cross-spawn/lib/util/readShebang.js"(exports, module) {
    "use strict";
    var fs = __require("fs");
    var shebangCommand = require_shebang_command();
    function readShebang(command) {
      const size = 150;
      const buffer = Buffer.alloc(size);
      let fd;
      try {
        fd = fs.openSync(command, "r");
        fs.readSync(fd, buffer, 0, size, 0);
        fs.closeSync(fd);
      } catch (e) {
      }
      return shebangCommand(buffer.toString());
    }
    module.exports = readShebang;
  }
});

// node_modules/cross-spawn/lib/parse.js
var require_parse = __commonJS({
  "node_modules/cross-spawn/lib/parse.js"(exports, module) {
    "use strict";
    var path7 = __require("path");
    var resolveCommand = require_resolveCommand();
    var escape = require_escape();
    var readShebang = require_readShebang();
    var isWin = process.platform === "win32";
    var isExecutableRegExp = /\.(?:com|exe)$/i;
    var isCmdShimRegExp = /node_modules[\\/].bin[\\/][^\\/]+\.cmd$/i;
    function detectShebang(parsed) {
      parsed.file = resolveCommand(parsed);
      const shebang = parsed.file && readShebang(parsed.file);
      if (shebang) {
        parsed.args.unshift(parsed.file);
        parsed.command = shebang;
        return resolveCommand(parsed);
      }
      return parsed.file;
    }
    function parseNonShell(parsed) {
      if (!isWin) {
        return parsed;
      }
      const commandFile = detectShebang(parsed);
      const needsShell = !isExecutableRegExp.test(commandFile);
      if (parsed.options.forceShell || needsShell) {
        const needsDoubleEscapeMetaChars = isCmdShimRegExp.test(commandFile);
        parsed.command = path7.normalize(parsed.command);
        parsed.command = escape.command(parsed.command);
        parsed.args = parsed.args.map((arg) => escape.argument(arg, needsDoubleEscapeMetaChars));
        const shellCommand = [parsed.command].concat(parsed.args).join(" ");
        parsed.args = ["/d", "/s", "/c", `"${shellCommand}"`];
        parsed.command = process.env.comspec || "cmd.exe";
        parsed.options.windowsVerbatimArguments = true;
      }
      return parsed;
    }
    function parse2(command, args, options) {
      if (args && !Array.isArray(args)) {
        options = args;
        args = null;
      }
      args = args ? args.slice(0) : [];
      options = Object.assign({}, options);
      const parsed = {
        command,
        args,
        options,
        file: void 0,
        original: {
          command,
          args
        }
      };
      return options.shell ? parsed : parseNonShell(parsed);
    }
    module.exports = parse2;
  }
});

// node_modules/cross-spawn/lib/enoent.js
var require_enoent = __commonJS({
  "node_modules/cross-spawn/lib/enoent.js"(exports, module) {
    "use strict";
    var isWin = process.platform === "win32";
    function notFoundError(original, syscall) {
      return Object.assign(new Error(`${syscall} ${original.command} ENOENT`), {
        code: "ENOENT",
        errno: "ENOENT",
        syscall: `${syscall} ${original.command}`,
        path: original.command,
        spawnargs: original.args
      });
    }
    function hookChildProcess(cp2, parsed) {
      if (!isWin) {
        return;
      }
      const originalEmit = cp2.emit;
      cp2.emit = function(name, arg1) {
        if (name === "exit") {
          const err = verifyENOENT(arg1, parsed);
          if (err) {
            return originalEmit.call(cp2, "error", err);
          }
        }
        return originalEmit.apply(cp2, arguments);
      };
    }
    function verifyENOENT(status, parsed) {
      if (isWin && status === 1 && !parsed.file) {
        return notFoundError(parsed.original, "spawn");
      }
      return null;
    }
    function verifyENOENTSync(status, parsed) {
      if (isWin && status === 1 && !parsed.file) {
        return notFoundError(parsed.original, "spawnSync");
      }
      return null;
    }
    module.exports = {
      hookChildProcess,
      verifyENOENT,
      verifyENOENTSync,
      notFoundError
    };
  }
});

// node_modules/cross-spawn/index.js
var require_cross_spawn = __commonJS({
  "node_modules/cross-spawn/index.js"(exports, module) {
    "use strict";
    var cp2 = __require("child_process");
    var parse2 = require_parse();
    var enoent = require_enoent();
    function spawn2(command, args, options) {
      const parsed = parse2(command, args, options);
      const spawned = cp2.spawn(parsed.command, parsed.args, parsed.options);
      enoent.hookChildProcess(spawned, parsed);
      return spawned;
    }
    function spawnSync2(command, args, options) {
      const parsed = parse2(command, args, options);
      const result = cp2.spawnSync(parsed.command, parsed.args, parsed.options);
      result.error = result.error || enoent.verifyENOENTSync(result.status, parsed);
      return result;
    }
    module.exports = spawn2;
    module.exports.spawn = spawn2;
    module.exports.sync = spawnSync2;
    module.exports._parse = parse2;
    module.exports._enoent = enoent;
  }
});

// src/domain/model/frontend.ts
var FRONTENDS = ["pip", "build", "uv"];
var Frontend = external_exports.enum(FRONTENDS);

// src/domain/config/schema.ts
var DEFAULT_PRIMARY_INDEX = "https://pypi.org/simple";
var DEFAULT_LIMITS = { unitTimeoutMinutes: 180, maxAttempts: 4 };
var RequirementSource = external_exports.union([
  external_exports.strictObject({ file: external_exports.string().min(1).describe("A pip requirements file (may -r/-c include others).") }),
  external_exports.strictObject({ lock: external_exports.string().min(1).describe("A fully pinned requirements file (every line ==): used as is, no resolution.") }),
  external_exports.strictObject({ packages: external_exports.array(external_exports.string().min(1)).min(1).describe("Inline PEP 508 requirements.") })
]);
var ExtraIndex = external_exports.union([
  external_exports.string().url(),
  external_exports.strictObject({
    url: external_exports.string().url(),
    usernameEnv: external_exports.string().optional().describe("Name of the environment variable holding the user name."),
    passwordEnv: external_exports.string().optional().describe("Name of the environment variable holding the password or token.")
  })
]);
var ExcludeRule = external_exports.union([external_exports.string().min(1), external_exports.strictObject({ pattern: external_exports.string().min(1), reason: external_exports.string().optional() })]);
var RefineryConfig = external_exports.strictObject({
  $schema: external_exports.string().optional(),
  version: external_exports.literal(1).default(1).describe("Config format version."),
  requirements: external_exports.array(RequirementSource).default([]).describe("Where the packages to provide come from."),
  targets: external_exports.strictObject({
    python: external_exports.array(PythonVersion).min(1).default(["3.12"]).describe("CPython minor versions to build for."),
    platform: external_exports.enum(PLATFORM_POLICIES).default("manylinux_2_28").describe("Platform policy of the wheels (s390x).")
  }).prefault({}),
  indexes: external_exports.strictObject({
    primary: external_exports.string().url().default(DEFAULT_PRIMARY_INDEX).describe("Like pip --index-url."),
    extra: external_exports.array(ExtraIndex).default([]).describe("Like pip --extra-index-url; files of all indexes are merged."),
    primaryUsernameEnv: external_exports.string().optional(),
    primaryPasswordEnv: external_exports.string().optional()
  }).prefault({}),
  expansion: external_exports.strictObject({
    maxDepth: external_exports.number().int().min(0).default(25).describe("Dependencies deeper than this are cut (0 = only what you list)."),
    maxPackages: external_exports.number().int().min(1).default(1e3).describe("At most this many packages per target; the rest are cut, deepest first.")
  }).prefault({}),
  include: external_exports.array(external_exports.string().min(1)).default([]).describe("If set, only packages matching one of these glob patterns are built."),
  exclude: external_exports.array(ExcludeRule).default([]).describe("Packages never built (glob patterns on normalized names, optional ==version)."),
  preset: external_exports.string().optional().describe("Container preset for builds (default: the preset named like targets.platform; debian-12 for linux)."),
  compiler: Compiler.default("turbo").describe(
    "turbo: compile C, C++ and Rust with the host's s390x cross compilers inside the emulated container where the build machine has the turbo toolchain and the preset allows it (else emulated); emulated: everything under QEMU."
  ),
  frontend: Frontend.default("pip").describe(
    "PEP 517 frontend: pip (pip wheel), build (python -m build) or uv (uv build; the turbo toolchain's static x86_64 uv makes the isolated build env natively in the emulated container). The hints' patterns were proven on pip's output."
  ),
  presets: external_exports.record(external_exports.string().regex(/^[A-Za-z0-9._-]+$/), PresetOverride).default({}).describe("Extra presets, or overrides of shipped ones (seeds/presets.yml); `extends` names a base preset."),
  runners: external_exports.strictObject({
    native: external_exports.array(external_exports.string()).default([]).describe("runs-on labels of native s390x runners; when set, units run there."),
    qemu: external_exports.array(external_exports.string()).min(1).default(["ubuntu-latest"]).describe("runs-on labels of x86 runners that build under QEMU.")
  }).prefault({}),
  limits: external_exports.strictObject({
    maxJobsPerMatrix: external_exports.number().int().min(1).max(256).default(256).describe("GitHub allows 256 jobs per matrix."),
    maxOutputBytes: external_exports.number().int().min(1024).default(9e5).describe("Job outputs are capped at 1 MB by GitHub."),
    maxUnits: external_exports.number().int().min(1).default(2e3),
    unitTimeoutMinutes: external_exports.number().min(1).default(DEFAULT_LIMITS.unitTimeoutMinutes).describe("A unit (all its attempts) is stopped after this long."),
    maxAttempts: external_exports.number().int().min(1).max(20).default(DEFAULT_LIMITS.maxAttempts).describe("Attempts per unit, hint retries and transient retries included."),
    maxParallel: external_exports.number().int().min(1).max(256).default(20).describe("Build jobs GitHub runs at once (the workflow max-parallel); each wave is packed into at most this many batches."),
    jobTimeoutMinutes: external_exports.number().min(1).default(360).describe("The runner's job time limit (360 on GitHub-hosted runners): a batch stays under it."),
    maxPageBytes: external_exports.number().int().min(1024).default(64 * 1024 ** 2).describe("Largest index page (or PEP 658 metadata file) read, in bytes after decompression (default 64 MiB)."),
    maxDownloadBytes: external_exports.number().int().min(1024).default(2 * 1024 ** 3).describe("Largest distribution (sdist, wheel) downloaded, in bytes after decompression (default 2 GiB).")
  }).prefault({}),
  build: external_exports.strictObject({
    passEnv: external_exports.array(external_exports.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a variable name (letters, digits, _)")).default([]).describe(
      "Variables of refinery's environment that builds may see, besides PATH, HOME, locale, TMPDIR, proxies and CA bundles (cibuildwheel's environment-pass). Nothing else of the environment reaches build code."
    )
  }).prefault({}),
  state: external_exports.strictObject({ dir: external_exports.string().default(".refinery") }).prefault({}),
  cacheDir: external_exports.string().optional().describe("HTTP and download cache (default: ~/.cache/refinery).")
});
function httpLimits(config) {
  return { maxPageBytes: config.limits.maxPageBytes, maxDownloadBytes: config.limits.maxDownloadBytes };
}
function effectivePreset(config) {
  if (config.preset) return config.preset;
  return config.targets.platform === "linux" ? "debian-12" : config.targets.platform;
}

// src/domain/config/load.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";
var DEFAULT_CONFIG_FILE = "refinery.yml";
function parseConfig(text, file) {
  const lineCounter = new import_yaml.LineCounter();
  const doc = (0, import_yaml.parseDocument)(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line2 = err.linePos?.[0]?.line;
    throw new RefineryError("config", `not valid YAML: ${err.message.split("\n")[0]}`, {
      location: { file, ...line2 ? { line: line2 } : {} },
      fix: "fix the YAML syntax at that line"
    });
  }
  const raw = doc.toJS() ?? {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new RefineryError("config", "the top level must be a mapping of keys (requirements, targets, ...)", {
      location: { file, line: 1 }
    });
  }
  const parsed = RefineryConfig.safeParse(raw, { jitless: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const issuePath = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
  const path7 = issuePath.map(String);
  const line = lineOf(doc.contents, issuePath, lineCounter);
  throw new RefineryError("config", describeIssue(issue), {
    location: { file, ...line ? { line } : {}, field: path7.join(".") || "(top level)" },
    fix: "see schema/refinery.schema.json or docs/config.md for the allowed fields"
  });
}
async function loadConfigFile(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new RefineryError("config", `cannot read config: ${e.code ?? String(e)}`, {
      location: { file },
      fix: "pass --config with an existing file, or run without --config to use defaults"
    });
  }
  return parseConfig(text, file);
}
function describeIssue(issue) {
  if (issue.code === "unrecognized_keys") return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
  if (issue.code === "invalid_union") return "not one of the allowed forms (for requirements: {file}, {lock} or {packages})";
  return issue.message;
}
function lineOf(root, path7, lc) {
  let node = root;
  let best = node?.range ? lc.linePos(node.range[0]).line : void 0;
  for (const key of path7) {
    if ((0, import_yaml.isMap)(node)) {
      const pair = node.items.find((p) => p.key?.value === key);
      if (!pair) break;
      const keyNode = pair.key;
      if (keyNode?.range) best = lc.linePos(keyNode.range[0]).line;
      node = pair.value;
    } else if ((0, import_yaml.isSeq)(node) && typeof key === "number") {
      node = node.items[key];
    } else break;
    if (node?.range) best = lc.linePos(node.range[0]).line;
  }
  return best;
}

// src/domain/config/flags.ts
function applyFlags(config, flags) {
  const out = structuredClone(config);
  if (flags.requirements?.length) out.requirements = flags.requirements.map((file) => ({ file }));
  if (flags.indexUrl && flags.indexUrl !== out.indexes.primary) {
    out.indexes.primary = flags.indexUrl;
    delete out.indexes.primaryUsernameEnv;
    delete out.indexes.primaryPasswordEnv;
  }
  if (flags.extraIndexUrl?.length) out.indexes.extra = [...flags.extraIndexUrl];
  if (flags.python?.length) out.targets.python = [...new Set(flags.python)];
  if (flags.platform) out.targets.platform = flags.platform;
  return out;
}

// src/domain/executors/container.ts
import { existsSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";

// src/adapters/process.ts
import { randomBytes } from "node:crypto";

// node_modules/is-plain-obj/index.js
function isPlainObject(value) {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return (prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null) && !(Symbol.toStringTag in value) && !(Symbol.iterator in value);
}

// node_modules/execa/lib/arguments/file-url.js
import { fileURLToPath } from "node:url";
var safeNormalizeFileUrl = (file, name) => {
  const fileString = normalizeFileUrl(normalizeDenoExecPath(file));
  if (typeof fileString !== "string") {
    throw new TypeError(`${name} must be a string or a file URL: ${fileString}.`);
  }
  return fileString;
};
var normalizeDenoExecPath = (file) => isDenoExecPath(file) ? file.toString() : file;
var isDenoExecPath = (file) => typeof file !== "string" && file && Object.getPrototypeOf(file) === String.prototype;
var normalizeFileUrl = (file) => file instanceof URL ? fileURLToPath(file) : file;

// node_modules/execa/lib/methods/parameters.js
var normalizeParameters = (rawFile, rawArguments = [], rawOptions = {}) => {
  const filePath = safeNormalizeFileUrl(rawFile, "First argument");
  const [commandArguments, options] = isPlainObject(rawArguments) ? [[], rawArguments] : [rawArguments, rawOptions];
  if (!Array.isArray(commandArguments)) {
    throw new TypeError(`Second argument must be either an array of arguments or an options object: ${commandArguments}`);
  }
  if (commandArguments.some((commandArgument) => typeof commandArgument === "object" && commandArgument !== null)) {
    throw new TypeError(`Second argument must be an array of strings: ${commandArguments}`);
  }
  const normalizedArguments = commandArguments.map(String);
  const nullByteArgument = normalizedArguments.find((normalizedArgument) => normalizedArgument.includes("\0"));
  if (nullByteArgument !== void 0) {
    throw new TypeError(`Arguments cannot contain null bytes ("\\0"): ${nullByteArgument}`);
  }
  if (!isPlainObject(options)) {
    throw new TypeError(`Last argument must be an options object: ${options}`);
  }
  return [filePath, normalizedArguments, options];
};

// node_modules/execa/lib/methods/template.js
import { ChildProcess } from "node:child_process";

// node_modules/execa/lib/utils/uint-array.js
import { StringDecoder } from "node:string_decoder";
var { toString: objectToString } = Object.prototype;
var isArrayBuffer = (value) => objectToString.call(value) === "[object ArrayBuffer]";
var isUint8Array = (value) => objectToString.call(value) === "[object Uint8Array]";
var bufferToUint8Array = (buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
var textEncoder = new TextEncoder();
var stringToUint8Array = (string) => textEncoder.encode(string);
var textDecoder = new TextDecoder();
var uint8ArrayToString = (uint8Array) => textDecoder.decode(uint8Array);
var joinToString = (uint8ArraysOrStrings, encoding) => {
  const strings = uint8ArraysToStrings(uint8ArraysOrStrings, encoding);
  return strings.join("");
};
var uint8ArraysToStrings = (uint8ArraysOrStrings, encoding) => {
  if (encoding === "utf8" && uint8ArraysOrStrings.every((uint8ArrayOrString) => typeof uint8ArrayOrString === "string")) {
    return uint8ArraysOrStrings;
  }
  const decoder = new StringDecoder(encoding);
  const strings = uint8ArraysOrStrings.map((uint8ArrayOrString) => typeof uint8ArrayOrString === "string" ? stringToUint8Array(uint8ArrayOrString) : uint8ArrayOrString).map((uint8Array) => decoder.write(uint8Array));
  const finalString = decoder.end();
  return finalString === "" ? strings : [...strings, finalString];
};
var joinToUint8Array = (uint8ArraysOrStrings) => {
  if (uint8ArraysOrStrings.length === 1 && isUint8Array(uint8ArraysOrStrings[0])) {
    return uint8ArraysOrStrings[0];
  }
  return concatUint8Arrays(stringsToUint8Arrays(uint8ArraysOrStrings));
};
var stringsToUint8Arrays = (uint8ArraysOrStrings) => uint8ArraysOrStrings.map((uint8ArrayOrString) => typeof uint8ArrayOrString === "string" ? stringToUint8Array(uint8ArrayOrString) : uint8ArrayOrString);
var concatUint8Arrays = (uint8Arrays) => {
  const result = new Uint8Array(getJoinLength(uint8Arrays));
  let index = 0;
  for (const uint8Array of uint8Arrays) {
    result.set(uint8Array, index);
    index += uint8Array.length;
  }
  return result;
};
var getJoinLength = (uint8Arrays) => {
  let joinLength = 0;
  for (const uint8Array of uint8Arrays) {
    joinLength += uint8Array.length;
  }
  return joinLength;
};

// node_modules/execa/lib/methods/template.js
var isTemplateString = (templates) => Array.isArray(templates) && Array.isArray(templates.raw);
var parseTemplates = (templates, expressions) => {
  let tokens = [];
  for (const [index, template] of templates.entries()) {
    tokens = parseTemplate({
      templates,
      expressions,
      tokens,
      index,
      template
    });
  }
  if (tokens.length === 0) {
    throw new TypeError("Template script must not be empty");
  }
  const [file, ...commandArguments] = tokens;
  return [file, commandArguments, {}];
};
var parseTemplate = ({ templates, expressions, tokens, index, template }) => {
  if (template === void 0) {
    throw new TypeError(`Invalid backslash sequence: ${templates.raw[index]}`);
  }
  const { nextTokens, leadingWhitespaces, trailingWhitespaces } = splitByWhitespaces(template, templates.raw[index]);
  const newTokens = concatTokens(tokens, nextTokens, leadingWhitespaces);
  if (index === expressions.length) {
    return newTokens;
  }
  const expression = expressions[index];
  const expressionTokens = Array.isArray(expression) ? expression.map((expression2) => parseExpression(expression2)) : [parseExpression(expression)];
  return concatTokens(newTokens, expressionTokens, trailingWhitespaces);
};
var splitByWhitespaces = (template, rawTemplate) => {
  if (rawTemplate.length === 0) {
    return { nextTokens: [], leadingWhitespaces: false, trailingWhitespaces: false };
  }
  const nextTokens = [];
  let templateStart = 0;
  const leadingWhitespaces = DELIMITERS.has(rawTemplate[0]);
  for (let templateIndex = 0, rawIndex = 0; templateIndex < template.length; templateIndex += 1, rawIndex += 1) {
    const rawCharacter = rawTemplate[rawIndex];
    if (DELIMITERS.has(rawCharacter)) {
      if (templateStart !== templateIndex) {
        nextTokens.push(template.slice(templateStart, templateIndex));
      }
      templateStart = templateIndex + 1;
    } else if (rawCharacter === "\\") {
      const nextRawCharacter = rawTemplate[rawIndex + 1];
      if (nextRawCharacter === "\n") {
        templateIndex -= 1;
        rawIndex += 1;
      } else if (nextRawCharacter === "u" && rawTemplate[rawIndex + 2] === "{") {
        rawIndex = rawTemplate.indexOf("}", rawIndex + 3);
      } else {
        rawIndex += ESCAPE_LENGTH[nextRawCharacter] ?? 1;
      }
    }
  }
  const trailingWhitespaces = templateStart === template.length;
  if (!trailingWhitespaces) {
    nextTokens.push(template.slice(templateStart));
  }
  return { nextTokens, leadingWhitespaces, trailingWhitespaces };
};
var DELIMITERS = /* @__PURE__ */ new Set([" ", "	", "\r", "\n"]);
var ESCAPE_LENGTH = { x: 3, u: 5 };
var concatTokens = (tokens, nextTokens, isSeparated) => isSeparated || tokens.length === 0 || nextTokens.length === 0 ? [...tokens, ...nextTokens] : [
  ...tokens.slice(0, -1),
  `${tokens.at(-1)}${nextTokens[0]}`,
  ...nextTokens.slice(1)
];
var parseExpression = (expression) => {
  const typeOfExpression = typeof expression;
  if (typeOfExpression === "string") {
    return expression;
  }
  if (typeOfExpression === "number") {
    return String(expression);
  }
  if (isPlainObject(expression) && ("stdout" in expression || "isMaxBuffer" in expression)) {
    return getSubprocessResult(expression);
  }
  if (expression instanceof ChildProcess || Object.prototype.toString.call(expression) === "[object Promise]") {
    throw new TypeError("Unexpected subprocess in template expression. Please use ${await subprocess} instead of ${subprocess}.");
  }
  throw new TypeError(`Unexpected "${typeOfExpression}" in template expression`);
};
var getSubprocessResult = ({ stdout }) => {
  if (typeof stdout === "string") {
    return stdout;
  }
  if (isUint8Array(stdout)) {
    return uint8ArrayToString(stdout);
  }
  if (stdout === void 0) {
    throw new TypeError(`Missing result.stdout in template expression. This is probably due to the previous subprocess' "stdout" option.`);
  }
  throw new TypeError(`Unexpected "${typeof stdout}" stdout in template expression`);
};

// node_modules/execa/lib/methods/main-sync.js
import { spawnSync } from "node:child_process";

// node_modules/execa/lib/arguments/specific.js
import { debuglog } from "node:util";

// node_modules/execa/lib/utils/standard-stream.js
import process2 from "node:process";
var isStandardStream = (stream) => STANDARD_STREAMS.includes(stream);
var STANDARD_STREAMS = [process2.stdin, process2.stdout, process2.stderr];
var STANDARD_STREAMS_ALIASES = ["stdin", "stdout", "stderr"];
var getStreamName = (fdNumber) => STANDARD_STREAMS_ALIASES[fdNumber] ?? `stdio[${fdNumber}]`;

// node_modules/execa/lib/arguments/specific.js
var normalizeFdSpecificOptions = (options) => {
  const optionsCopy = { ...options };
  for (const optionName of FD_SPECIFIC_OPTIONS) {
    optionsCopy[optionName] = normalizeFdSpecificOption(options, optionName);
  }
  return optionsCopy;
};
var normalizeFdSpecificOption = (options, optionName) => {
  const optionBaseArray = Array.from({ length: getStdioLength(options) + 1 });
  const optionArray = normalizeFdSpecificValue(options[optionName], optionBaseArray, optionName);
  return addDefaultValue(optionArray, optionName);
};
var getStdioLength = ({ stdio }) => Array.isArray(stdio) ? Math.max(stdio.length, STANDARD_STREAMS_ALIASES.length) : STANDARD_STREAMS_ALIASES.length;
var normalizeFdSpecificValue = (optionValue, optionArray, optionName) => isPlainObject(optionValue) ? normalizeOptionObject(optionValue, optionArray, optionName) : optionArray.fill(optionValue);
var normalizeOptionObject = (optionValue, optionArray, optionName) => {
  for (const fdName of Object.keys(optionValue).sort(compareFdName)) {
    for (const fdNumber of parseFdName(fdName, optionName, optionArray)) {
      optionArray[fdNumber] = optionValue[fdName];
    }
  }
  return optionArray;
};
var compareFdName = (fdNameA, fdNameB) => getFdNameOrder(fdNameA) < getFdNameOrder(fdNameB) ? 1 : -1;
var getFdNameOrder = (fdName) => {
  if (fdName === "stdout" || fdName === "stderr") {
    return 0;
  }
  return fdName === "all" ? 2 : 1;
};
var parseFdName = (fdName, optionName, optionArray) => {
  if (fdName === "ipc") {
    return [optionArray.length - 1];
  }
  const fdNumber = parseFd(fdName);
  if (fdNumber === void 0 || fdNumber === 0) {
    throw new TypeError(`"${optionName}.${fdName}" is invalid.
It must be "${optionName}.stdout", "${optionName}.stderr", "${optionName}.all", "${optionName}.ipc", or "${optionName}.fd3", "${optionName}.fd4" (and so on).`);
  }
  if (fdNumber >= optionArray.length) {
    throw new TypeError(`"${optionName}.${fdName}" is invalid: that file descriptor does not exist.
Please set the "stdio" option to ensure that file descriptor exists.`);
  }
  return fdNumber === "all" ? [1, 2] : [fdNumber];
};
var parseFd = (fdName) => {
  if (fdName === "all") {
    return fdName;
  }
  if (STANDARD_STREAMS_ALIASES.includes(fdName)) {
    return STANDARD_STREAMS_ALIASES.indexOf(fdName);
  }
  const regexpResult = FD_REGEXP.exec(fdName);
  if (regexpResult !== null) {
    return Number(regexpResult[1]);
  }
};
var FD_REGEXP = /^fd(\d+)$/;
var addDefaultValue = (optionArray, optionName) => optionArray.map((optionValue) => optionValue === void 0 ? DEFAULT_OPTIONS[optionName] : optionValue);
var verboseDefault = debuglog("execa").enabled ? "full" : "none";
var DEFAULT_OPTIONS = {
  lines: false,
  buffer: true,
  maxBuffer: 1e3 * 1e3 * 100,
  verbose: verboseDefault,
  stripFinalNewline: true
};
var FD_SPECIFIC_OPTIONS = ["lines", "buffer", "maxBuffer", "verbose", "stripFinalNewline"];
var getFdSpecificValue = (optionArray, fdNumber) => fdNumber === "ipc" ? optionArray.at(-1) : optionArray[fdNumber];

// node_modules/execa/lib/verbose/values.js
var isVerbose = ({ verbose }, fdNumber) => getFdVerbose(verbose, fdNumber) !== "none";
var isFullVerbose = ({ verbose }, fdNumber) => !["none", "short"].includes(getFdVerbose(verbose, fdNumber));
var getVerboseFunction = ({ verbose }, fdNumber) => {
  const fdVerbose = getFdVerbose(verbose, fdNumber);
  return isVerboseFunction(fdVerbose) ? fdVerbose : void 0;
};
var getFdVerbose = (verbose, fdNumber) => fdNumber === void 0 ? getFdGenericVerbose(verbose) : getFdSpecificValue(verbose, fdNumber);
var getFdGenericVerbose = (verbose) => verbose.find((fdVerbose) => isVerboseFunction(fdVerbose)) ?? VERBOSE_VALUES.findLast((fdVerbose) => verbose.includes(fdVerbose));
var isVerboseFunction = (fdVerbose) => typeof fdVerbose === "function";
var VERBOSE_VALUES = ["none", "short", "full"];

// node_modules/execa/lib/verbose/log.js
import { inspect } from "node:util";

// node_modules/execa/lib/arguments/escape.js
import { platform } from "node:process";
import { stripVTControlCharacters } from "node:util";
var joinCommand = (filePath, rawArguments) => {
  const fileAndArguments = [filePath, ...rawArguments];
  const command = fileAndArguments.join(" ");
  const escapedCommand = fileAndArguments.map((fileAndArgument) => quoteString(escapeControlCharacters(fileAndArgument))).join(" ");
  return { command, escapedCommand };
};
var escapeLines = (lines) => stripVTControlCharacters(lines).split("\n").map((line) => escapeControlCharacters(line)).join("\n");
var escapeControlCharacters = (line) => line.replaceAll(SPECIAL_CHAR_REGEXP, (character) => escapeControlCharacter(character));
var escapeControlCharacter = (character) => {
  const commonEscape = COMMON_ESCAPES[character];
  if (commonEscape !== void 0) {
    return commonEscape;
  }
  const codepoint = character.codePointAt(0);
  const codepointHex = codepoint.toString(16);
  return codepoint <= ASTRAL_START ? `\\u${codepointHex.padStart(4, "0")}` : `\\U${codepointHex}`;
};
var getSpecialCharRegExp = () => {
  try {
    return new RegExp("\\p{Separator}|\\p{Other}", "gu");
  } catch {
    return /[\s\u0000-\u001F\u007F-\u009F\u00AD]/g;
  }
};
var SPECIAL_CHAR_REGEXP = getSpecialCharRegExp();
var COMMON_ESCAPES = {
  " ": " ",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "	": "\\t"
};
var ASTRAL_START = 65535;
var quoteString = (escapedArgument) => {
  if (NO_ESCAPE_REGEXP.test(escapedArgument)) {
    return escapedArgument;
  }
  return platform === "win32" ? `"${escapedArgument.replaceAll('"', '""')}"` : `'${escapedArgument.replaceAll("'", "'\\''")}'`;
};
var NO_ESCAPE_REGEXP = /^[\w./-]+$/;

// node_modules/is-unicode-supported/index.js
import process3 from "node:process";
function isUnicodeSupported() {
  const { env } = process3;
  const { TERM, TERM_PROGRAM } = env;
  if (process3.platform !== "win32") {
    return TERM !== "linux";
  }
  return Boolean(env.WT_SESSION) || Boolean(env.TERMINUS_SUBLIME) || env.ConEmuTask === "{cmd::Cmder}" || TERM_PROGRAM === "Terminus-Sublime" || TERM_PROGRAM === "vscode" || TERM === "xterm-256color" || TERM === "alacritty" || TERM === "rxvt-unicode" || TERM === "rxvt-unicode-256color" || env.TERMINAL_EMULATOR === "JetBrains-JediTerm";
}

// node_modules/figures/index.js
var common = {
  circleQuestionMark: "(?)",
  questionMarkPrefix: "(?)",
  square: "\u2588",
  squareDarkShade: "\u2593",
  squareMediumShade: "\u2592",
  squareLightShade: "\u2591",
  squareTop: "\u2580",
  squareBottom: "\u2584",
  squareLeft: "\u258C",
  squareRight: "\u2590",
  squareCenter: "\u25A0",
  bullet: "\u25CF",
  dot: "\u2024",
  ellipsis: "\u2026",
  pointerSmall: "\u203A",
  triangleUp: "\u25B2",
  triangleUpSmall: "\u25B4",
  triangleDown: "\u25BC",
  triangleDownSmall: "\u25BE",
  triangleLeftSmall: "\u25C2",
  triangleRightSmall: "\u25B8",
  home: "\u2302",
  heart: "\u2665",
  musicNote: "\u266A",
  musicNoteBeamed: "\u266B",
  arrowUp: "\u2191",
  arrowDown: "\u2193",
  arrowLeft: "\u2190",
  arrowRight: "\u2192",
  arrowLeftRight: "\u2194",
  arrowUpDown: "\u2195",
  almostEqual: "\u2248",
  notEqual: "\u2260",
  lessOrEqual: "\u2264",
  greaterOrEqual: "\u2265",
  identical: "\u2261",
  infinity: "\u221E",
  subscriptZero: "\u2080",
  subscriptOne: "\u2081",
  subscriptTwo: "\u2082",
  subscriptThree: "\u2083",
  subscriptFour: "\u2084",
  subscriptFive: "\u2085",
  subscriptSix: "\u2086",
  subscriptSeven: "\u2087",
  subscriptEight: "\u2088",
  subscriptNine: "\u2089",
  oneHalf: "\xBD",
  oneThird: "\u2153",
  oneQuarter: "\xBC",
  oneFifth: "\u2155",
  oneSixth: "\u2159",
  oneEighth: "\u215B",
  twoThirds: "\u2154",
  twoFifths: "\u2156",
  threeQuarters: "\xBE",
  threeFifths: "\u2157",
  threeEighths: "\u215C",
  fourFifths: "\u2158",
  fiveSixths: "\u215A",
  fiveEighths: "\u215D",
  sevenEighths: "\u215E",
  line: "\u2500",
  lineBold: "\u2501",
  lineDouble: "\u2550",
  lineDashed0: "\u2504",
  lineDashed1: "\u2505",
  lineDashed2: "\u2508",
  lineDashed3: "\u2509",
  lineDashed4: "\u254C",
  lineDashed5: "\u254D",
  lineDashed6: "\u2574",
  lineDashed7: "\u2576",
  lineDashed8: "\u2578",
  lineDashed9: "\u257A",
  lineDashed10: "\u257C",
  lineDashed11: "\u257E",
  lineDashed12: "\u2212",
  lineDashed13: "\u2013",
  lineDashed14: "\u2010",
  lineDashed15: "\u2043",
  lineVertical: "\u2502",
  lineVerticalBold: "\u2503",
  lineVerticalDouble: "\u2551",
  lineVerticalDashed0: "\u2506",
  lineVerticalDashed1: "\u2507",
  lineVerticalDashed2: "\u250A",
  lineVerticalDashed3: "\u250B",
  lineVerticalDashed4: "\u254E",
  lineVerticalDashed5: "\u254F",
  lineVerticalDashed6: "\u2575",
  lineVerticalDashed7: "\u2577",
  lineVerticalDashed8: "\u2579",
  lineVerticalDashed9: "\u257B",
  lineVerticalDashed10: "\u257D",
  lineVerticalDashed11: "\u257F",
  lineDownLeft: "\u2510",
  lineDownLeftArc: "\u256E",
  lineDownBoldLeftBold: "\u2513",
  lineDownBoldLeft: "\u2512",
  lineDownLeftBold: "\u2511",
  lineDownDoubleLeftDouble: "\u2557",
  lineDownDoubleLeft: "\u2556",
  lineDownLeftDouble: "\u2555",
  lineDownRight: "\u250C",
  lineDownRightArc: "\u256D",
  lineDownBoldRightBold: "\u250F",
  lineDownBoldRight: "\u250E",
  lineDownRightBold: "\u250D",
  lineDownDoubleRightDouble: "\u2554",
  lineDownDoubleRight: "\u2553",
  lineDownRightDouble: "\u2552",
  lineUpLeft: "\u2518",
  lineUpLeftArc: "\u256F",
  lineUpBoldLeftBold: "\u251B",
  lineUpBoldLeft: "\u251A",
  lineUpLeftBold: "\u2519",
  lineUpDoubleLeftDouble: "\u255D",
  lineUpDoubleLeft: "\u255C",
  lineUpLeftDouble: "\u255B",
  lineUpRight: "\u2514",
  lineUpRightArc: "\u2570",
  lineUpBoldRightBold: "\u2517",
  lineUpBoldRight: "\u2516",
  lineUpRightBold: "\u2515",
  lineUpDoubleRightDouble: "\u255A",
  lineUpDoubleRight: "\u2559",
  lineUpRightDouble: "\u2558",
  lineUpDownLeft: "\u2524",
  lineUpBoldDownBoldLeftBold: "\u252B",
  lineUpBoldDownBoldLeft: "\u2528",
  lineUpDownLeftBold: "\u2525",
  lineUpBoldDownLeftBold: "\u2529",
  lineUpDownBoldLeftBold: "\u252A",
  lineUpDownBoldLeft: "\u2527",
  lineUpBoldDownLeft: "\u2526",
  lineUpDoubleDownDoubleLeftDouble: "\u2563",
  lineUpDoubleDownDoubleLeft: "\u2562",
  lineUpDownLeftDouble: "\u2561",
  lineUpDownRight: "\u251C",
  lineUpBoldDownBoldRightBold: "\u2523",
  lineUpBoldDownBoldRight: "\u2520",
  lineUpDownRightBold: "\u251D",
  lineUpBoldDownRightBold: "\u2521",
  lineUpDownBoldRightBold: "\u2522",
  lineUpDownBoldRight: "\u251F",
  lineUpBoldDownRight: "\u251E",
  lineUpDoubleDownDoubleRightDouble: "\u2560",
  lineUpDoubleDownDoubleRight: "\u255F",
  lineUpDownRightDouble: "\u255E",
  lineDownLeftRight: "\u252C",
  lineDownBoldLeftBoldRightBold: "\u2533",
  lineDownLeftBoldRightBold: "\u252F",
  lineDownBoldLeftRight: "\u2530",
  lineDownBoldLeftBoldRight: "\u2531",
  lineDownBoldLeftRightBold: "\u2532",
  lineDownLeftRightBold: "\u252E",
  lineDownLeftBoldRight: "\u252D",
  lineDownDoubleLeftDoubleRightDouble: "\u2566",
  lineDownDoubleLeftRight: "\u2565",
  lineDownLeftDoubleRightDouble: "\u2564",
  lineUpLeftRight: "\u2534",
  lineUpBoldLeftBoldRightBold: "\u253B",
  lineUpLeftBoldRightBold: "\u2537",
  lineUpBoldLeftRight: "\u2538",
  lineUpBoldLeftBoldRight: "\u2539",
  lineUpBoldLeftRightBold: "\u253A",
  lineUpLeftRightBold: "\u2536",
  lineUpLeftBoldRight: "\u2535",
  lineUpDoubleLeftDoubleRightDouble: "\u2569",
  lineUpDoubleLeftRight: "\u2568",
  lineUpLeftDoubleRightDouble: "\u2567",
  lineUpDownLeftRight: "\u253C",
  lineUpBoldDownBoldLeftBoldRightBold: "\u254B",
  lineUpDownBoldLeftBoldRightBold: "\u2548",
  lineUpBoldDownLeftBoldRightBold: "\u2547",
  lineUpBoldDownBoldLeftRightBold: "\u254A",
  lineUpBoldDownBoldLeftBoldRight: "\u2549",
  lineUpBoldDownLeftRight: "\u2540",
  lineUpDownBoldLeftRight: "\u2541",
  lineUpDownLeftBoldRight: "\u253D",
  lineUpDownLeftRightBold: "\u253E",
  lineUpBoldDownBoldLeftRight: "\u2542",
  lineUpDownLeftBoldRightBold: "\u253F",
  lineUpBoldDownLeftBoldRight: "\u2543",
  lineUpBoldDownLeftRightBold: "\u2544",
  lineUpDownBoldLeftBoldRight: "\u2545",
  lineUpDownBoldLeftRightBold: "\u2546",
  lineUpDoubleDownDoubleLeftDoubleRightDouble: "\u256C",
  lineUpDoubleDownDoubleLeftRight: "\u256B",
  lineUpDownLeftDoubleRightDouble: "\u256A",
  lineCross: "\u2573",
  lineBackslash: "\u2572",
  lineSlash: "\u2571"
};
var specialMainSymbols = {
  tick: "\u2714",
  info: "\u2139",
  warning: "\u26A0",
  cross: "\u2718",
  squareSmall: "\u25FB",
  squareSmallFilled: "\u25FC",
  circle: "\u25EF",
  circleFilled: "\u25C9",
  circleDotted: "\u25CC",
  circleDouble: "\u25CE",
  circleCircle: "\u24DE",
  circleCross: "\u24E7",
  circlePipe: "\u24BE",
  radioOn: "\u25C9",
  radioOff: "\u25EF",
  checkboxOn: "\u2612",
  checkboxOff: "\u2610",
  checkboxCircleOn: "\u24E7",
  checkboxCircleOff: "\u24BE",
  pointer: "\u276F",
  triangleUpOutline: "\u25B3",
  triangleLeft: "\u25C0",
  triangleRight: "\u25B6",
  lozenge: "\u25C6",
  lozengeOutline: "\u25C7",
  hamburger: "\u2630",
  smiley: "\u32E1",
  mustache: "\u0DF4",
  star: "\u2605",
  play: "\u25B6",
  nodejs: "\u2B22",
  oneSeventh: "\u2150",
  oneNinth: "\u2151",
  oneTenth: "\u2152"
};
var specialFallbackSymbols = {
  tick: "\u221A",
  info: "i",
  warning: "\u203C",
  cross: "\xD7",
  squareSmall: "\u25A1",
  squareSmallFilled: "\u25A0",
  circle: "( )",
  circleFilled: "(*)",
  circleDotted: "( )",
  circleDouble: "( )",
  circleCircle: "(\u25CB)",
  circleCross: "(\xD7)",
  circlePipe: "(\u2502)",
  radioOn: "(*)",
  radioOff: "( )",
  checkboxOn: "[\xD7]",
  checkboxOff: "[ ]",
  checkboxCircleOn: "(\xD7)",
  checkboxCircleOff: "( )",
  pointer: ">",
  triangleUpOutline: "\u2206",
  triangleLeft: "\u25C4",
  triangleRight: "\u25BA",
  lozenge: "\u2666",
  lozengeOutline: "\u25CA",
  hamburger: "\u2261",
  smiley: "\u263A",
  mustache: "\u250C\u2500\u2510",
  star: "\u2736",
  play: "\u25BA",
  nodejs: "\u2666",
  oneSeventh: "1/7",
  oneNinth: "1/9",
  oneTenth: "1/10"
};
var mainSymbols = { ...common, ...specialMainSymbols };
var fallbackSymbols = { ...common, ...specialFallbackSymbols };
var shouldUseMain = isUnicodeSupported();
var figures = shouldUseMain ? mainSymbols : fallbackSymbols;
var figures_default = figures;
var replacements = Object.entries(specialMainSymbols);

// node_modules/yoctocolors/base.js
import tty from "node:tty";
var hasColors = tty?.WriteStream?.prototype?.hasColors?.() ?? false;
var format = (open2, close) => {
  if (!hasColors) {
    return (input) => input;
  }
  const openCode = `\x1B[${open2}m`;
  const closeCode = `\x1B[${close}m`;
  return (input) => {
    const string = input + "";
    let index = string.indexOf(closeCode);
    if (index === -1) {
      return openCode + string + closeCode;
    }
    let result = openCode;
    let lastIndex = 0;
    const reopenOnNestedClose = close === 22;
    const replaceCode = (reopenOnNestedClose ? closeCode : "") + openCode;
    while (index !== -1) {
      result += string.slice(lastIndex, index) + replaceCode;
      lastIndex = index + closeCode.length;
      index = string.indexOf(closeCode, lastIndex);
    }
    result += string.slice(lastIndex) + closeCode;
    return result;
  };
};
var reset = format(0, 0);
var bold = format(1, 22);
var dim = format(2, 22);
var italic = format(3, 23);
var underline = format(4, 24);
var underlineDouble = format("4:2", 24);
var underlineCurly = format("4:3", 24);
var underlineDotted = format("4:4", 24);
var underlineDashed = format("4:5", 24);
var overline = format(53, 55);
var inverse = format(7, 27);
var hidden = format(8, 28);
var strikethrough = format(9, 29);
var black = format(30, 39);
var red = format(31, 39);
var green = format(32, 39);
var yellow = format(33, 39);
var blue = format(34, 39);
var magenta = format(35, 39);
var cyan = format(36, 39);
var white = format(37, 39);
var gray = format(90, 39);
var bgBlack = format(40, 49);
var bgRed = format(41, 49);
var bgGreen = format(42, 49);
var bgYellow = format(43, 49);
var bgBlue = format(44, 49);
var bgMagenta = format(45, 49);
var bgCyan = format(46, 49);
var bgWhite = format(47, 49);
var bgGray = format(100, 49);
var redBright = format(91, 39);
var greenBright = format(92, 39);
var yellowBright = format(93, 39);
var blueBright = format(94, 39);
var magentaBright = format(95, 39);
var cyanBright = format(96, 39);
var whiteBright = format(97, 39);
var bgRedBright = format(101, 49);
var bgGreenBright = format(102, 49);
var bgYellowBright = format(103, 49);
var bgBlueBright = format(104, 49);
var bgMagentaBright = format(105, 49);
var bgCyanBright = format(106, 49);
var bgWhiteBright = format(107, 49);
var underlineBlack = format("58;5;0", 59);
var underlineRed = format("58;5;1", 59);
var underlineGreen = format("58;5;2", 59);
var underlineYellow = format("58;5;3", 59);
var underlineBlue = format("58;5;4", 59);
var underlineMagenta = format("58;5;5", 59);
var underlineCyan = format("58;5;6", 59);
var underlineWhite = format("58;5;7", 59);
var underlineGray = format("58;5;8", 59);
var underlineRedBright = format("58;5;9", 59);
var underlineGreenBright = format("58;5;10", 59);
var underlineYellowBright = format("58;5;11", 59);
var underlineBlueBright = format("58;5;12", 59);
var underlineMagentaBright = format("58;5;13", 59);
var underlineCyanBright = format("58;5;14", 59);
var underlineWhiteBright = format("58;5;15", 59);

// node_modules/execa/lib/verbose/default.js
var defaultVerboseFunction = ({
  type,
  message,
  timestamp,
  piped,
  commandId,
  result: { failed = false } = {},
  options: { reject = true }
}) => {
  const timestampString = serializeTimestamp(timestamp);
  const icon = ICONS[type]({ failed, reject, piped });
  const color = COLORS[type]({ reject });
  return `${gray(`[${timestampString}]`)} ${gray(`[${commandId}]`)} ${color(icon)} ${color(message)}`;
};
var serializeTimestamp = (timestamp) => `${padField(timestamp.getHours(), 2)}:${padField(timestamp.getMinutes(), 2)}:${padField(timestamp.getSeconds(), 2)}.${padField(timestamp.getMilliseconds(), 3)}`;
var padField = (field, padding) => String(field).padStart(padding, "0");
var getFinalIcon = ({ failed, reject }) => {
  if (!failed) {
    return figures_default.tick;
  }
  return reject ? figures_default.cross : figures_default.warning;
};
var ICONS = {
  command: ({ piped }) => piped ? "|" : "$",
  output: () => " ",
  ipc: () => "*",
  error: getFinalIcon,
  duration: getFinalIcon
};
var identity = (string) => string;
var COLORS = {
  command: () => bold,
  output: () => identity,
  ipc: () => identity,
  error: ({ reject }) => reject ? redBright : yellowBright,
  duration: () => gray
};

// node_modules/execa/lib/verbose/custom.js
var applyVerboseOnLines = (printedLines, verboseInfo, fdNumber) => {
  const verboseFunction = getVerboseFunction(verboseInfo, fdNumber);
  return printedLines.map(({ verboseLine, verboseObject }) => applyVerboseFunction(verboseLine, verboseObject, verboseFunction)).filter((printedLine) => printedLine !== void 0).map((printedLine) => appendNewline(printedLine)).join("");
};
var applyVerboseFunction = (verboseLine, verboseObject, verboseFunction) => {
  if (verboseFunction === void 0) {
    return verboseLine;
  }
  const printedLine = verboseFunction(verboseLine, verboseObject);
  if (typeof printedLine === "string") {
    return printedLine;
  }
};
var appendNewline = (printedLine) => printedLine.endsWith("\n") ? printedLine : `${printedLine}
`;

// node_modules/execa/lib/verbose/log.js
var verboseLog = ({ type, verboseMessage, fdNumber, verboseInfo, result }) => {
  const verboseObject = getVerboseObject({ type, result, verboseInfo });
  const printedLines = getPrintedLines(verboseMessage, verboseObject);
  const finalLines = applyVerboseOnLines(printedLines, verboseInfo, fdNumber);
  if (finalLines !== "") {
    console.warn(finalLines.slice(0, -1));
  }
};
var getVerboseObject = ({
  type,
  result,
  verboseInfo: { escapedCommand, commandId, rawOptions: { piped = false, ...options } }
}) => ({
  type,
  escapedCommand,
  commandId: `${commandId}`,
  timestamp: /* @__PURE__ */ new Date(),
  piped,
  result,
  options
});
var getPrintedLines = (verboseMessage, verboseObject) => verboseMessage.split("\n").map((message) => getPrintedLine({ ...verboseObject, message }));
var getPrintedLine = (verboseObject) => {
  const verboseLine = defaultVerboseFunction(verboseObject);
  return { verboseLine, verboseObject };
};
var serializeVerboseMessage = (message) => {
  const messageString = typeof message === "string" ? message : inspect(message);
  const escapedMessage = escapeLines(messageString);
  return escapedMessage.replaceAll("	", " ".repeat(TAB_SIZE));
};
var TAB_SIZE = 2;

// node_modules/execa/lib/verbose/start.js
var logCommand = (escapedCommand, verboseInfo) => {
  if (!isVerbose(verboseInfo)) {
    return;
  }
  verboseLog({
    type: "command",
    verboseMessage: escapedCommand,
    verboseInfo
  });
};

// node_modules/execa/lib/verbose/info.js
var getVerboseInfo = (verbose, escapedCommand, rawOptions) => {
  validateVerbose(verbose);
  const commandId = getCommandId(verbose);
  return {
    verbose,
    escapedCommand,
    commandId,
    rawOptions
  };
};
var getCommandId = (verbose) => isVerbose({ verbose }) ? COMMAND_ID++ : void 0;
var COMMAND_ID = 0n;
var validateVerbose = (verbose) => {
  for (const fdVerbose of verbose) {
    if (fdVerbose === false) {
      throw new TypeError(`The "verbose: false" option was renamed to "verbose: 'none'".`);
    }
    if (fdVerbose === true) {
      throw new TypeError(`The "verbose: true" option was renamed to "verbose: 'short'".`);
    }
    if (!VERBOSE_VALUES.includes(fdVerbose) && !isVerboseFunction(fdVerbose)) {
      const allowedValues = VERBOSE_VALUES.map((allowedValue) => `'${allowedValue}'`).join(", ");
      throw new TypeError(`The "verbose" option must not be ${fdVerbose}. Allowed values are: ${allowedValues} or a function.`);
    }
  }
};

// node_modules/execa/lib/return/duration.js
import { hrtime } from "node:process";
var getStartTime = () => hrtime.bigint();
var getDurationMs = (startTime) => Number(hrtime.bigint() - startTime) / 1e6;

// node_modules/execa/lib/arguments/command.js
var handleCommand = (filePath, rawArguments, rawOptions) => {
  const startTime = getStartTime();
  const { command, escapedCommand } = joinCommand(filePath, rawArguments);
  const verbose = normalizeFdSpecificOption(rawOptions, "verbose");
  const verboseInfo = getVerboseInfo(verbose, escapedCommand, { ...rawOptions });
  logCommand(escapedCommand, verboseInfo);
  return {
    command,
    escapedCommand,
    startTime,
    verboseInfo
  };
};

// node_modules/execa/lib/arguments/options.js
var import_cross_spawn = __toESM(require_cross_spawn(), 1);
import path5 from "node:path";
import process6 from "node:process";

// node_modules/npm-run-path/index.js
import process4 from "node:process";
import path2 from "node:path";

// node_modules/npm-run-path/node_modules/path-key/index.js
function pathKey(options = {}) {
  const {
    env = process.env,
    platform: platform3 = process.platform
  } = options;
  if (platform3 !== "win32") {
    return "PATH";
  }
  return Object.keys(env).reverse().find((key) => key.toUpperCase() === "PATH") || "Path";
}

// node_modules/unicorn-magic/node.js
import { promisify } from "node:util";
import { execFile as execFileCallback, execFileSync as execFileSyncOriginal } from "node:child_process";
import path from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";
var execFileOriginal = promisify(execFileCallback);
function toPath(urlOrPath) {
  return urlOrPath instanceof URL ? fileURLToPath2(urlOrPath) : urlOrPath;
}
function traversePathUp(startPath) {
  return {
    *[Symbol.iterator]() {
      let currentPath = path.resolve(toPath(startPath));
      let previousPath;
      while (previousPath !== currentPath) {
        yield currentPath;
        previousPath = currentPath;
        currentPath = path.resolve(currentPath, "..");
      }
    }
  };
}
var TEN_MEGABYTES_IN_BYTES = 10 * 1024 * 1024;

// node_modules/npm-run-path/index.js
var npmRunPath = ({
  cwd = process4.cwd(),
  path: pathOption = process4.env[pathKey()],
  preferLocal = true,
  execPath: execPath2 = process4.execPath,
  addExecPath = true
} = {}) => {
  const cwdPath = path2.resolve(toPath(cwd));
  const result = [];
  const pathParts = pathOption.split(path2.delimiter);
  if (preferLocal) {
    applyPreferLocal(result, pathParts, cwdPath);
  }
  if (addExecPath) {
    applyExecPath(result, pathParts, execPath2, cwdPath);
  }
  return pathOption === "" || pathOption === path2.delimiter ? `${result.join(path2.delimiter)}${pathOption}` : [...result, pathOption].join(path2.delimiter);
};
var applyPreferLocal = (result, pathParts, cwdPath) => {
  for (const directory of traversePathUp(cwdPath)) {
    const pathPart = path2.join(directory, "node_modules/.bin");
    if (!pathParts.includes(pathPart)) {
      result.push(pathPart);
    }
  }
};
var applyExecPath = (result, pathParts, execPath2, cwdPath) => {
  const pathPart = path2.resolve(cwdPath, toPath(execPath2), "..");
  if (!pathParts.includes(pathPart)) {
    result.push(pathPart);
  }
};
var npmRunPathEnv = ({ env = process4.env, ...options } = {}) => {
  env = { ...env };
  const pathName = pathKey({ env });
  options.path = env[pathName];
  env[pathName] = npmRunPath(options);
  return env;
};

// node_modules/execa/lib/terminate/kill.js
import { setTimeout as setTimeout2 } from "node:timers/promises";

// node_modules/execa/lib/return/final-error.js
var getFinalError = (originalError, message, isSync) => {
  const ErrorClass = isSync ? ExecaSyncError : ExecaError;
  const options = originalError instanceof DiscardedError ? {} : { cause: originalError };
  return new ErrorClass(message, options);
};
var DiscardedError = class extends Error {
};
var setErrorName = (ErrorClass, value) => {
  Object.defineProperty(ErrorClass.prototype, "name", {
    value,
    writable: true,
    enumerable: false,
    configurable: true
  });
  Object.defineProperty(ErrorClass.prototype, execaErrorSymbol, {
    value: true,
    writable: false,
    enumerable: false,
    configurable: false
  });
};
var isExecaError = (error) => isErrorInstance(error) && execaErrorSymbol in error;
var execaErrorSymbol = /* @__PURE__ */ Symbol("isExecaError");
var isErrorInstance = (value) => Object.prototype.toString.call(value) === "[object Error]";
var ExecaError = class extends Error {
};
setErrorName(ExecaError, ExecaError.name);
var ExecaSyncError = class extends Error {
};
setErrorName(ExecaSyncError, ExecaSyncError.name);

// node_modules/execa/lib/terminate/signal.js
import { constants as constants3 } from "node:os";

// node_modules/human-signals/build/src/main.js
import { constants as constants2 } from "node:os";

// node_modules/human-signals/build/src/realtime.js
var getRealtimeSignals = () => {
  const length = SIGRTMAX - SIGRTMIN + 1;
  return Array.from({ length }, getRealtimeSignal);
};
var getRealtimeSignal = (value, index) => ({
  name: `SIGRT${index + 1}`,
  number: SIGRTMIN + index,
  action: "terminate",
  description: "Application-specific signal (realtime)",
  standard: "posix"
});
var SIGRTMIN = 34;
var SIGRTMAX = 64;

// node_modules/human-signals/build/src/signals.js
import { constants } from "node:os";

// node_modules/human-signals/build/src/core.js
var SIGNALS = [
  {
    name: "SIGHUP",
    number: 1,
    action: "terminate",
    description: "Terminal closed",
    standard: "posix"
  },
  {
    name: "SIGINT",
    number: 2,
    action: "terminate",
    description: "User interruption with CTRL-C",
    standard: "ansi"
  },
  {
    name: "SIGQUIT",
    number: 3,
    action: "core",
    description: "User interruption with CTRL-\\",
    standard: "posix"
  },
  {
    name: "SIGILL",
    number: 4,
    action: "core",
    description: "Invalid machine instruction",
    standard: "ansi"
  },
  {
    name: "SIGTRAP",
    number: 5,
    action: "core",
    description: "Debugger breakpoint",
    standard: "posix"
  },
  {
    name: "SIGABRT",
    number: 6,
    action: "core",
    description: "Aborted",
    standard: "ansi"
  },
  {
    name: "SIGIOT",
    number: 6,
    action: "core",
    description: "Aborted",
    standard: "bsd"
  },
  {
    name: "SIGBUS",
    number: 7,
    action: "core",
    description: "Bus error due to misaligned, non-existing address or paging error",
    standard: "bsd"
  },
  {
    name: "SIGEMT",
    number: 7,
    action: "terminate",
    description: "Command should be emulated but is not implemented",
    standard: "other"
  },
  {
    name: "SIGFPE",
    number: 8,
    action: "core",
    description: "Floating point arithmetic error",
    standard: "ansi"
  },
  {
    name: "SIGKILL",
    number: 9,
    action: "terminate",
    description: "Forced termination",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGUSR1",
    number: 10,
    action: "terminate",
    description: "Application-specific signal",
    standard: "posix"
  },
  {
    name: "SIGSEGV",
    number: 11,
    action: "core",
    description: "Segmentation fault",
    standard: "ansi"
  },
  {
    name: "SIGUSR2",
    number: 12,
    action: "terminate",
    description: "Application-specific signal",
    standard: "posix"
  },
  {
    name: "SIGPIPE",
    number: 13,
    action: "terminate",
    description: "Broken pipe or socket",
    standard: "posix"
  },
  {
    name: "SIGALRM",
    number: 14,
    action: "terminate",
    description: "Timeout or timer",
    standard: "posix"
  },
  {
    name: "SIGTERM",
    number: 15,
    action: "terminate",
    description: "Termination",
    standard: "ansi"
  },
  {
    name: "SIGSTKFLT",
    number: 16,
    action: "terminate",
    description: "Stack is empty or overflowed",
    standard: "other"
  },
  {
    name: "SIGCHLD",
    number: 17,
    action: "ignore",
    description: "Child process terminated, paused or unpaused",
    standard: "posix"
  },
  {
    name: "SIGCLD",
    number: 17,
    action: "ignore",
    description: "Child process terminated, paused or unpaused",
    standard: "other"
  },
  {
    name: "SIGCONT",
    number: 18,
    action: "unpause",
    description: "Unpaused",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGSTOP",
    number: 19,
    action: "pause",
    description: "Paused",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGTSTP",
    number: 20,
    action: "pause",
    description: 'Paused using CTRL-Z or "suspend"',
    standard: "posix"
  },
  {
    name: "SIGTTIN",
    number: 21,
    action: "pause",
    description: "Background process cannot read terminal input",
    standard: "posix"
  },
  {
    name: "SIGBREAK",
    number: 21,
    action: "terminate",
    description: "User interruption with CTRL-BREAK",
    standard: "other"
  },
  {
    name: "SIGTTOU",
    number: 22,
    action: "pause",
    description: "Background process cannot write to terminal output",
    standard: "posix"
  },
  {
    name: "SIGURG",
    number: 23,
    action: "ignore",
    description: "Socket received out-of-band data",
    standard: "bsd"
  },
  {
    name: "SIGXCPU",
    number: 24,
    action: "core",
    description: "Process timed out",
    standard: "bsd"
  },
  {
    name: "SIGXFSZ",
    number: 25,
    action: "core",
    description: "File too big",
    standard: "bsd"
  },
  {
    name: "SIGVTALRM",
    number: 26,
    action: "terminate",
    description: "Timeout or timer",
    standard: "bsd"
  },
  {
    name: "SIGPROF",
    number: 27,
    action: "terminate",
    description: "Timeout or timer",
    standard: "bsd"
  },
  {
    name: "SIGWINCH",
    number: 28,
    action: "ignore",
    description: "Terminal window size changed",
    standard: "bsd"
  },
  {
    name: "SIGIO",
    number: 29,
    action: "terminate",
    description: "I/O is available",
    standard: "other"
  },
  {
    name: "SIGPOLL",
    number: 29,
    action: "terminate",
    description: "Watched event",
    standard: "other"
  },
  {
    name: "SIGINFO",
    number: 29,
    action: "ignore",
    description: "Request for process information",
    standard: "other"
  },
  {
    name: "SIGPWR",
    number: 30,
    action: "terminate",
    description: "Device running out of power",
    standard: "systemv"
  },
  {
    name: "SIGSYS",
    number: 31,
    action: "core",
    description: "Invalid system call",
    standard: "other"
  },
  {
    name: "SIGUNUSED",
    number: 31,
    action: "terminate",
    description: "Invalid system call",
    standard: "other"
  }
];

// node_modules/human-signals/build/src/signals.js
var getSignals = () => {
  const realtimeSignals = getRealtimeSignals();
  const signals2 = [...SIGNALS, ...realtimeSignals].map(normalizeSignal);
  return signals2;
};
var normalizeSignal = ({
  name,
  number: defaultNumber,
  description,
  action,
  forced = false,
  standard
}) => {
  const {
    signals: { [name]: constantSignal }
  } = constants;
  const supported = constantSignal !== void 0;
  const number = supported ? constantSignal : defaultNumber;
  return { name, number, description, supported, action, forced, standard };
};

// node_modules/human-signals/build/src/main.js
var getSignalsByName = () => {
  const signals2 = getSignals();
  return Object.fromEntries(signals2.map(getSignalByName));
};
var getSignalByName = ({
  name,
  number,
  description,
  supported,
  action,
  forced,
  standard
}) => [name, { name, number, description, supported, action, forced, standard }];
var signalsByName = getSignalsByName();
var getSignalsByNumber = () => {
  const signals2 = getSignals();
  const length = SIGRTMAX + 1;
  const signalsA = Array.from(
    { length },
    (value, number) => getSignalByNumber(number, signals2)
  );
  return Object.assign({}, ...signalsA);
};
var getSignalByNumber = (number, signals2) => {
  const signal = findSignalByNumber(number, signals2);
  if (signal === void 0) {
    return {};
  }
  const { name, description, supported, action, forced, standard } = signal;
  return {
    [number]: {
      name,
      number,
      description,
      supported,
      action,
      forced,
      standard
    }
  };
};
var findSignalByNumber = (number, signals2) => {
  const signal = signals2.find(({ name }) => constants2.signals[name] === number);
  if (signal !== void 0) {
    return signal;
  }
  return signals2.find((signalA) => signalA.number === number);
};
var signalsByNumber = getSignalsByNumber();

// node_modules/execa/lib/terminate/signal.js
var normalizeKillSignal = (killSignal) => {
  const optionName = "option `killSignal`";
  if (killSignal === 0) {
    throw new TypeError(`Invalid ${optionName}: 0 cannot be used.`);
  }
  return normalizeSignal2(killSignal, optionName);
};
var normalizeSignalArgument = (signal) => signal === 0 ? signal : normalizeSignal2(signal, "`subprocess.kill()`'s argument");
var normalizeSignal2 = (signalNameOrInteger, optionName) => {
  if (Number.isInteger(signalNameOrInteger)) {
    return normalizeSignalInteger(signalNameOrInteger, optionName);
  }
  if (typeof signalNameOrInteger === "string") {
    return normalizeSignalName(signalNameOrInteger, optionName);
  }
  throw new TypeError(`Invalid ${optionName} ${String(signalNameOrInteger)}: it must be a string or an integer.
${getAvailableSignals()}`);
};
var normalizeSignalInteger = (signalInteger, optionName) => {
  if (signalsIntegerToName.has(signalInteger)) {
    return signalsIntegerToName.get(signalInteger);
  }
  throw new TypeError(`Invalid ${optionName} ${signalInteger}: this signal integer does not exist.
${getAvailableSignals()}`);
};
var getSignalsIntegerToName = () => new Map(Object.entries(constants3.signals).reverse().map(([signalName, signalInteger]) => [signalInteger, signalName]));
var signalsIntegerToName = getSignalsIntegerToName();
var normalizeSignalName = (signalName, optionName) => {
  if (signalName in constants3.signals) {
    return signalName;
  }
  if (signalName.toUpperCase() in constants3.signals) {
    throw new TypeError(`Invalid ${optionName} '${signalName}': please rename it to '${signalName.toUpperCase()}'.`);
  }
  throw new TypeError(`Invalid ${optionName} '${signalName}': this signal name does not exist.
${getAvailableSignals()}`);
};
var getAvailableSignals = () => `Available signal names: ${getAvailableSignalNames()}.
Available signal numbers: ${getAvailableSignalIntegers()}.`;
var getAvailableSignalNames = () => Object.keys(constants3.signals).sort().map((signalName) => `'${signalName}'`).join(", ");
var getAvailableSignalIntegers = () => [...new Set(Object.values(constants3.signals).sort((signalInteger, signalIntegerTwo) => signalInteger - signalIntegerTwo))].join(", ");
var getSignalDescription = (signal) => signalsByName[signal].description;

// node_modules/execa/lib/terminate/kill.js
var normalizeForceKillAfterDelay = (forceKillAfterDelay) => {
  if (forceKillAfterDelay === false) {
    return forceKillAfterDelay;
  }
  if (forceKillAfterDelay === true) {
    return DEFAULT_FORCE_KILL_TIMEOUT;
  }
  if (!Number.isFinite(forceKillAfterDelay) || forceKillAfterDelay < 0) {
    throw new TypeError(`Expected the \`forceKillAfterDelay\` option to be a non-negative integer, got \`${forceKillAfterDelay}\` (${typeof forceKillAfterDelay})`);
  }
  return forceKillAfterDelay;
};
var DEFAULT_FORCE_KILL_TIMEOUT = 1e3 * 5;
var subprocessKill = ({ kill, options: { forceKillAfterDelay, killSignal }, onInternalError, context, controller }, signalOrError, errorArgument) => {
  const { signal, error } = parseKillArguments(signalOrError, errorArgument, killSignal);
  emitKillError(error, onInternalError);
  const killResult = kill(signal);
  setKillTimeout({
    kill,
    signal,
    forceKillAfterDelay,
    killSignal,
    killResult,
    context,
    controller
  });
  return killResult;
};
var parseKillArguments = (signalOrError, errorArgument, killSignal) => {
  const [signal = killSignal, error] = isErrorInstance(signalOrError) ? [void 0, signalOrError] : [signalOrError, errorArgument];
  if (typeof signal !== "string" && !Number.isInteger(signal)) {
    throw new TypeError(`The first argument must be an error instance or a signal name string/integer: ${String(signal)}`);
  }
  if (error !== void 0 && !isErrorInstance(error)) {
    throw new TypeError(`The second argument is optional. If specified, it must be an error instance: ${error}`);
  }
  return { signal: normalizeSignalArgument(signal), error };
};
var emitKillError = (error, onInternalError) => {
  if (error !== void 0) {
    onInternalError.reject(error);
  }
};
var setKillTimeout = async ({ kill, signal, forceKillAfterDelay, killSignal, killResult, context, controller }) => {
  if (signal === killSignal && killResult) {
    killOnTimeout({
      kill,
      forceKillAfterDelay,
      context,
      controllerSignal: controller.signal
    });
  }
};
var killOnTimeout = async ({ kill, forceKillAfterDelay, context, controllerSignal }) => {
  if (forceKillAfterDelay === false) {
    return;
  }
  try {
    await setTimeout2(forceKillAfterDelay, void 0, { signal: controllerSignal });
    if (kill("SIGKILL")) {
      context.isForcefullyTerminated ??= true;
    }
  } catch {
  }
};

// node_modules/execa/lib/utils/abort-signal.js
import { once } from "node:events";
var onAbortedSignal = async (mainSignal, stopSignal) => {
  if (!mainSignal.aborted) {
    await once(mainSignal, "abort", { signal: stopSignal });
  }
};

// node_modules/execa/lib/terminate/cancel.js
var validateCancelSignal = ({ cancelSignal }) => {
  if (cancelSignal !== void 0 && Object.prototype.toString.call(cancelSignal) !== "[object AbortSignal]") {
    throw new Error(`The \`cancelSignal\` option must be an AbortSignal: ${String(cancelSignal)}`);
  }
};
var throwOnCancel = ({ subprocess, cancelSignal, gracefulCancel, context, controller }) => cancelSignal === void 0 || gracefulCancel ? [] : [terminateOnCancel(subprocess, cancelSignal, context, controller)];
var terminateOnCancel = async (subprocess, cancelSignal, context, { signal }) => {
  await onAbortedSignal(cancelSignal, signal);
  context.terminationReason ??= "cancel";
  subprocess.kill();
  throw cancelSignal.reason;
};

// node_modules/execa/lib/ipc/graceful.js
import { scheduler as scheduler2 } from "node:timers/promises";

// node_modules/execa/lib/ipc/send.js
import { promisify as promisify2 } from "node:util";

// node_modules/execa/lib/ipc/validation.js
var validateIpcMethod = ({ methodName, isSubprocess, ipc, isConnected: isConnected2 }) => {
  validateIpcOption(methodName, isSubprocess, ipc);
  validateConnection(methodName, isSubprocess, isConnected2);
};
var validateIpcOption = (methodName, isSubprocess, ipc) => {
  if (!ipc) {
    throw new Error(`${getMethodName(methodName, isSubprocess)} can only be used if the \`ipc\` option is \`true\`.`);
  }
};
var validateConnection = (methodName, isSubprocess, isConnected2) => {
  if (!isConnected2) {
    throw new Error(`${getMethodName(methodName, isSubprocess)} cannot be used: the ${getOtherProcessName(isSubprocess)} has already exited or disconnected.`);
  }
};
var throwOnEarlyDisconnect = (isSubprocess) => {
  throw new Error(`${getMethodName("getOneMessage", isSubprocess)} could not complete: the ${getOtherProcessName(isSubprocess)} exited or disconnected.`);
};
var throwOnStrictDeadlockError = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} is sending a message too, instead of listening to incoming messages.
This can be fixed by both sending a message and listening to incoming messages at the same time:

const [receivedMessage] = await Promise.all([
	${getMethodName("getOneMessage", isSubprocess)},
	${getMethodName("sendMessage", isSubprocess, "message, {strict: true}")},
]);`);
};
var getStrictResponseError = (error, isSubprocess) => new Error(`${getMethodName("sendMessage", isSubprocess)} failed when sending an acknowledgment response to the ${getOtherProcessName(isSubprocess)}.`, { cause: error });
var throwOnMissingStrict = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} is not listening to incoming messages.`);
};
var throwOnStrictDisconnect = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} exited without listening to incoming messages.`);
};
var getAbortDisconnectError = () => new Error(`\`cancelSignal\` aborted: the ${getOtherProcessName(true)} disconnected.`);
var throwOnMissingParent = () => {
  throw new Error("`getCancelSignal()` cannot be used without setting the `cancelSignal` subprocess option.");
};
var handleEpipeError = ({ error, methodName, isSubprocess }) => {
  if (error.code === "EPIPE") {
    throw new Error(`${getMethodName(methodName, isSubprocess)} cannot be used: the ${getOtherProcessName(isSubprocess)} is disconnecting.`, { cause: error });
  }
};
var handleSerializationError = ({ error, methodName, isSubprocess, message }) => {
  if (isSerializationError(error)) {
    throw new Error(`${getMethodName(methodName, isSubprocess)}'s argument type is invalid: the message cannot be serialized: ${String(message)}.`, { cause: error });
  }
};
var isSerializationError = ({ code, message }) => SERIALIZATION_ERROR_CODES.has(code) || SERIALIZATION_ERROR_MESSAGES.some((serializationErrorMessage) => message.includes(serializationErrorMessage));
var SERIALIZATION_ERROR_CODES = /* @__PURE__ */ new Set([
  // Message is `undefined`
  "ERR_MISSING_ARGS",
  // Message is a function, a bigint, a symbol
  "ERR_INVALID_ARG_TYPE"
]);
var SERIALIZATION_ERROR_MESSAGES = [
  // Message is a promise or a proxy, with `serialization: 'advanced'`
  "could not be cloned",
  // Message has cycles, with `serialization: 'json'`
  "circular structure",
  // Message has cycles inside toJSON(), with `serialization: 'json'`
  "call stack size exceeded"
];
var getMethodName = (methodName, isSubprocess, parameters = "") => methodName === "cancelSignal" ? "`cancelSignal`'s `controller.abort()`" : `${getNamespaceName(isSubprocess)}${methodName}(${parameters})`;
var getNamespaceName = (isSubprocess) => isSubprocess ? "" : "subprocess.";
var getOtherProcessName = (isSubprocess) => isSubprocess ? "parent process" : "subprocess";
var disconnect = (anyProcess) => {
  if (anyProcess.connected) {
    anyProcess.disconnect();
  }
};

// node_modules/execa/lib/utils/deferred.js
var createDeferred = () => {
  const methods = {};
  const promise = new Promise((resolve11, reject) => {
    Object.assign(methods, { resolve: resolve11, reject });
  });
  return Object.assign(promise, methods);
};

// node_modules/execa/lib/arguments/fd-options.js
var getToStream = (destination, to = "stdin") => {
  const isWritable = true;
  const { options, fileDescriptors } = SUBPROCESS_OPTIONS.get(destination);
  const fdNumber = getFdNumber(fileDescriptors, to, isWritable);
  const destinationStream = destination.stdio[fdNumber];
  if (destinationStream === null) {
    throw new TypeError(getInvalidStdioOptionMessage(fdNumber, to, options, isWritable));
  }
  return destinationStream;
};
var getFromStream = (source, from = "stdout") => {
  const isWritable = false;
  const { options, fileDescriptors } = SUBPROCESS_OPTIONS.get(source);
  const fdNumber = getFdNumber(fileDescriptors, from, isWritable);
  const sourceStream = fdNumber === "all" ? source.all : source.stdio[fdNumber];
  if (sourceStream === null || sourceStream === void 0) {
    throw new TypeError(getInvalidStdioOptionMessage(fdNumber, from, options, isWritable));
  }
  return sourceStream;
};
var SUBPROCESS_OPTIONS = /* @__PURE__ */ new WeakMap();
var getFdNumber = (fileDescriptors, fdName, isWritable) => {
  const fdNumber = parseFdNumber(fdName, isWritable);
  validateFdNumber(fdNumber, fdName, isWritable, fileDescriptors);
  return fdNumber;
};
var parseFdNumber = (fdName, isWritable) => {
  const fdNumber = parseFd(fdName);
  if (fdNumber !== void 0) {
    return fdNumber;
  }
  const { validOptions, defaultValue } = isWritable ? { validOptions: '"stdin"', defaultValue: "stdin" } : { validOptions: '"stdout", "stderr", "all"', defaultValue: "stdout" };
  throw new TypeError(`"${getOptionName(isWritable)}" must not be "${fdName}".
It must be ${validOptions} or "fd3", "fd4" (and so on).
It is optional and defaults to "${defaultValue}".`);
};
var validateFdNumber = (fdNumber, fdName, isWritable, fileDescriptors) => {
  const fileDescriptor = fileDescriptors[getUsedDescriptor(fdNumber)];
  if (fileDescriptor === void 0) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. That file descriptor does not exist.
Please set the "stdio" option to ensure that file descriptor exists.`);
  }
  if (fileDescriptor.direction === "input" && !isWritable) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. It must be a readable stream, not writable.`);
  }
  if (fileDescriptor.direction !== "input" && isWritable) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. It must be a writable stream, not readable.`);
  }
};
var getInvalidStdioOptionMessage = (fdNumber, fdName, options, isWritable) => {
  if (fdNumber === "all" && !options.all) {
    return `The "all" option must be true to use "from: 'all'".`;
  }
  const { optionName, optionValue } = getInvalidStdioOption(fdNumber, options);
  return `The "${optionName}: ${serializeOptionValue(optionValue)}" option is incompatible with using "${getOptionName(isWritable)}: ${serializeOptionValue(fdName)}".
Please set this option with "pipe" instead.`;
};
var getInvalidStdioOption = (fdNumber, { stdin, stdout, stderr, stdio }) => {
  const usedDescriptor = getUsedDescriptor(fdNumber);
  if (usedDescriptor === 0 && stdin !== void 0) {
    return { optionName: "stdin", optionValue: stdin };
  }
  if (usedDescriptor === 1 && stdout !== void 0) {
    return { optionName: "stdout", optionValue: stdout };
  }
  if (usedDescriptor === 2 && stderr !== void 0) {
    return { optionName: "stderr", optionValue: stderr };
  }
  return { optionName: `stdio[${usedDescriptor}]`, optionValue: stdio[usedDescriptor] };
};
var getUsedDescriptor = (fdNumber) => fdNumber === "all" ? 1 : fdNumber;
var getOptionName = (isWritable) => isWritable ? "to" : "from";
var serializeOptionValue = (value) => {
  if (typeof value === "string") {
    return `'${value}'`;
  }
  return typeof value === "number" ? `${value}` : "Stream";
};

// node_modules/execa/lib/ipc/strict.js
import { once as once3 } from "node:events";

// node_modules/execa/lib/utils/max-listeners.js
import { addAbortListener } from "node:events";
var incrementMaxListeners = (eventEmitter, maxListenersIncrement, signal) => {
  const maxListeners = eventEmitter.getMaxListeners();
  if (maxListeners === 0 || maxListeners === Number.POSITIVE_INFINITY) {
    return;
  }
  eventEmitter.setMaxListeners(maxListeners + maxListenersIncrement);
  addAbortListener(signal, () => {
    eventEmitter.setMaxListeners(eventEmitter.getMaxListeners() - maxListenersIncrement);
  });
};

// node_modules/execa/lib/ipc/forward.js
import { EventEmitter } from "node:events";

// node_modules/execa/lib/ipc/incoming.js
import { once as once2 } from "node:events";
import { scheduler } from "node:timers/promises";

// node_modules/execa/lib/ipc/reference.js
var addReference = (channel, reference) => {
  if (reference) {
    addReferenceCount(channel);
  }
};
var addReferenceCount = (channel) => {
  channel.refCounted();
};
var removeReference = (channel, reference) => {
  if (reference) {
    removeReferenceCount(channel);
  }
};
var removeReferenceCount = (channel) => {
  channel.unrefCounted();
};
var undoAddedReferences = (channel, isSubprocess) => {
  if (isSubprocess) {
    removeReferenceCount(channel);
    removeReferenceCount(channel);
  }
};
var redoAddedReferences = (channel, isSubprocess) => {
  if (isSubprocess) {
    addReferenceCount(channel);
    addReferenceCount(channel);
  }
};

// node_modules/execa/lib/ipc/incoming.js
var onMessage = async ({ anyProcess, channel, isSubprocess, ipcEmitter }, wrappedMessage) => {
  if (handleStrictResponse(wrappedMessage) || handleAbort(wrappedMessage)) {
    return;
  }
  if (!INCOMING_MESSAGES.has(anyProcess)) {
    INCOMING_MESSAGES.set(anyProcess, []);
  }
  const incomingMessages = INCOMING_MESSAGES.get(anyProcess);
  incomingMessages.push(wrappedMessage);
  if (incomingMessages.length > 1) {
    return;
  }
  while (incomingMessages.length > 0) {
    await waitForOutgoingMessages(anyProcess, ipcEmitter, wrappedMessage);
    await scheduler.yield();
    const message = await handleStrictRequest({
      wrappedMessage: incomingMessages[0],
      anyProcess,
      channel,
      isSubprocess,
      ipcEmitter
    });
    incomingMessages.shift();
    ipcEmitter.emit("message", message);
    ipcEmitter.emit("message:done");
  }
};
var onDisconnect = async ({ anyProcess, channel, isSubprocess, ipcEmitter, boundOnMessage }) => {
  abortOnDisconnect();
  const incomingMessages = INCOMING_MESSAGES.get(anyProcess);
  while (incomingMessages?.length > 0) {
    await once2(ipcEmitter, "message:done");
  }
  anyProcess.removeListener("message", boundOnMessage);
  redoAddedReferences(channel, isSubprocess);
  ipcEmitter.connected = false;
  ipcEmitter.emit("disconnect");
};
var INCOMING_MESSAGES = /* @__PURE__ */ new WeakMap();

// node_modules/execa/lib/ipc/forward.js
var getIpcEmitter = (anyProcess, channel, isSubprocess) => {
  if (IPC_EMITTERS.has(anyProcess)) {
    return IPC_EMITTERS.get(anyProcess);
  }
  const ipcEmitter = new EventEmitter();
  ipcEmitter.connected = true;
  IPC_EMITTERS.set(anyProcess, ipcEmitter);
  forwardEvents({
    ipcEmitter,
    anyProcess,
    channel,
    isSubprocess
  });
  return ipcEmitter;
};
var IPC_EMITTERS = /* @__PURE__ */ new WeakMap();
var forwardEvents = ({ ipcEmitter, anyProcess, channel, isSubprocess }) => {
  const boundOnMessage = onMessage.bind(void 0, {
    anyProcess,
    channel,
    isSubprocess,
    ipcEmitter
  });
  anyProcess.on("message", boundOnMessage);
  anyProcess.once("disconnect", onDisconnect.bind(void 0, {
    anyProcess,
    channel,
    isSubprocess,
    ipcEmitter,
    boundOnMessage
  }));
  undoAddedReferences(channel, isSubprocess);
};
var isConnected = (anyProcess) => {
  const ipcEmitter = IPC_EMITTERS.get(anyProcess);
  return ipcEmitter === void 0 ? anyProcess.channel !== null : ipcEmitter.connected;
};

// node_modules/execa/lib/ipc/strict.js
var handleSendStrict = ({ anyProcess, channel, isSubprocess, message, strict }) => {
  if (!strict) {
    return message;
  }
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const hasListeners = hasMessageListeners(anyProcess, ipcEmitter);
  return {
    id: count++,
    type: REQUEST_TYPE,
    message,
    hasListeners
  };
};
var count = 0n;
var validateStrictDeadlock = (outgoingMessages, wrappedMessage) => {
  if (wrappedMessage?.type !== REQUEST_TYPE || wrappedMessage.hasListeners) {
    return;
  }
  for (const { id } of outgoingMessages) {
    if (id !== void 0) {
      STRICT_RESPONSES[id].resolve({ isDeadlock: true, hasListeners: false });
    }
  }
};
var handleStrictRequest = async ({ wrappedMessage, anyProcess, channel, isSubprocess, ipcEmitter }) => {
  if (wrappedMessage?.type !== REQUEST_TYPE || !anyProcess.connected) {
    return wrappedMessage;
  }
  const { id, message } = wrappedMessage;
  const response = { id, type: RESPONSE_TYPE, message: hasMessageListeners(anyProcess, ipcEmitter) };
  try {
    await sendMessage({
      anyProcess,
      channel,
      isSubprocess,
      ipc: true
    }, response);
  } catch (error) {
    ipcEmitter.emit("strict:error", error);
  }
  return message;
};
var handleStrictResponse = (wrappedMessage) => {
  if (wrappedMessage?.type !== RESPONSE_TYPE) {
    return false;
  }
  const { id, message: hasListeners } = wrappedMessage;
  STRICT_RESPONSES[id]?.resolve({ isDeadlock: false, hasListeners });
  return true;
};
var waitForStrictResponse = async (wrappedMessage, anyProcess, isSubprocess) => {
  if (wrappedMessage?.type !== REQUEST_TYPE) {
    return;
  }
  const deferred = createDeferred();
  STRICT_RESPONSES[wrappedMessage.id] = deferred;
  const controller = new AbortController();
  try {
    const { isDeadlock, hasListeners } = await Promise.race([
      deferred,
      throwOnDisconnect(anyProcess, isSubprocess, controller)
    ]);
    if (isDeadlock) {
      throwOnStrictDeadlockError(isSubprocess);
    }
    if (!hasListeners) {
      throwOnMissingStrict(isSubprocess);
    }
  } finally {
    controller.abort();
    delete STRICT_RESPONSES[wrappedMessage.id];
  }
};
var STRICT_RESPONSES = {};
var throwOnDisconnect = async (anyProcess, isSubprocess, { signal }) => {
  incrementMaxListeners(anyProcess, 1, signal);
  await once3(anyProcess, "disconnect", { signal });
  throwOnStrictDisconnect(isSubprocess);
};
var REQUEST_TYPE = "execa:ipc:request";
var RESPONSE_TYPE = "execa:ipc:response";

// node_modules/execa/lib/ipc/outgoing.js
var startSendMessage = (anyProcess, wrappedMessage, strict) => {
  if (!OUTGOING_MESSAGES.has(anyProcess)) {
    OUTGOING_MESSAGES.set(anyProcess, /* @__PURE__ */ new Set());
  }
  const outgoingMessages = OUTGOING_MESSAGES.get(anyProcess);
  const onMessageSent = createDeferred();
  const id = strict ? wrappedMessage.id : void 0;
  const outgoingMessage = { onMessageSent, id };
  outgoingMessages.add(outgoingMessage);
  return { outgoingMessages, outgoingMessage };
};
var endSendMessage = ({ outgoingMessages, outgoingMessage }) => {
  outgoingMessages.delete(outgoingMessage);
  outgoingMessage.onMessageSent.resolve();
};
var waitForOutgoingMessages = async (anyProcess, ipcEmitter, wrappedMessage) => {
  while (!hasMessageListeners(anyProcess, ipcEmitter) && OUTGOING_MESSAGES.get(anyProcess)?.size > 0) {
    const outgoingMessages = [...OUTGOING_MESSAGES.get(anyProcess)];
    validateStrictDeadlock(outgoingMessages, wrappedMessage);
    await Promise.all(outgoingMessages.map(({ onMessageSent }) => onMessageSent));
  }
};
var OUTGOING_MESSAGES = /* @__PURE__ */ new WeakMap();
var hasMessageListeners = (anyProcess, ipcEmitter) => ipcEmitter.listenerCount("message") > getMinListenerCount(anyProcess);
var getMinListenerCount = (anyProcess) => SUBPROCESS_OPTIONS.has(anyProcess) && !getFdSpecificValue(SUBPROCESS_OPTIONS.get(anyProcess).options.buffer, "ipc") ? 1 : 0;

// node_modules/execa/lib/ipc/send.js
var sendMessage = ({ anyProcess, channel, isSubprocess, ipc }, message, { strict = false } = {}) => {
  const methodName = "sendMessage";
  validateIpcMethod({
    methodName,
    isSubprocess,
    ipc,
    isConnected: anyProcess.connected
  });
  return sendMessageAsync({
    anyProcess,
    channel,
    methodName,
    isSubprocess,
    message,
    strict
  });
};
var sendMessageAsync = async ({ anyProcess, channel, methodName, isSubprocess, message, strict }) => {
  const wrappedMessage = handleSendStrict({
    anyProcess,
    channel,
    isSubprocess,
    message,
    strict
  });
  const outgoingMessagesState = startSendMessage(anyProcess, wrappedMessage, strict);
  try {
    await sendOneMessage({
      anyProcess,
      methodName,
      isSubprocess,
      wrappedMessage,
      message
    });
  } catch (error) {
    disconnect(anyProcess);
    throw error;
  } finally {
    endSendMessage(outgoingMessagesState);
  }
};
var sendOneMessage = async ({ anyProcess, methodName, isSubprocess, wrappedMessage, message }) => {
  const sendMethod = getSendMethod(anyProcess);
  try {
    await Promise.all([
      waitForStrictResponse(wrappedMessage, anyProcess, isSubprocess),
      sendMethod(wrappedMessage)
    ]);
  } catch (error) {
    handleEpipeError({ error, methodName, isSubprocess });
    handleSerializationError({
      error,
      methodName,
      isSubprocess,
      message
    });
    throw error;
  }
};
var getSendMethod = (anyProcess) => {
  if (PROCESS_SEND_METHODS.has(anyProcess)) {
    return PROCESS_SEND_METHODS.get(anyProcess);
  }
  const sendMethod = promisify2(anyProcess.send.bind(anyProcess));
  PROCESS_SEND_METHODS.set(anyProcess, sendMethod);
  return sendMethod;
};
var PROCESS_SEND_METHODS = /* @__PURE__ */ new WeakMap();

// node_modules/execa/lib/ipc/graceful.js
var sendAbort = (subprocess, message) => {
  const methodName = "cancelSignal";
  validateConnection(methodName, false, subprocess.connected);
  return sendOneMessage({
    anyProcess: subprocess,
    methodName,
    isSubprocess: false,
    wrappedMessage: { type: GRACEFUL_CANCEL_TYPE, message },
    message
  });
};
var getCancelSignal = async ({ anyProcess, channel, isSubprocess, ipc }) => {
  await startIpc({
    anyProcess,
    channel,
    isSubprocess,
    ipc
  });
  return cancelController.signal;
};
var startIpc = async ({ anyProcess, channel, isSubprocess, ipc }) => {
  if (cancelListening) {
    return;
  }
  cancelListening = true;
  if (!ipc) {
    throwOnMissingParent();
    return;
  }
  if (channel === null) {
    abortOnDisconnect();
    return;
  }
  getIpcEmitter(anyProcess, channel, isSubprocess);
  await scheduler2.yield();
};
var cancelListening = false;
var handleAbort = (wrappedMessage) => {
  if (wrappedMessage?.type !== GRACEFUL_CANCEL_TYPE) {
    return false;
  }
  cancelController.abort(wrappedMessage.message);
  return true;
};
var GRACEFUL_CANCEL_TYPE = "execa:ipc:cancel";
var abortOnDisconnect = () => {
  cancelController.abort(getAbortDisconnectError());
};
var cancelController = new AbortController();

// node_modules/execa/lib/terminate/graceful.js
var validateGracefulCancel = ({ gracefulCancel, cancelSignal, ipc, serialization }) => {
  if (!gracefulCancel) {
    return;
  }
  if (cancelSignal === void 0) {
    throw new Error("The `cancelSignal` option must be defined when setting the `gracefulCancel` option.");
  }
  if (!ipc) {
    throw new Error("The `ipc` option cannot be false when setting the `gracefulCancel` option.");
  }
  if (serialization === "json") {
    throw new Error("The `serialization` option cannot be 'json' when setting the `gracefulCancel` option.");
  }
};
var throwOnGracefulCancel = ({
  subprocess,
  cancelSignal,
  gracefulCancel,
  forceKillAfterDelay,
  context,
  controller
}) => gracefulCancel ? [sendOnAbort({
  subprocess,
  cancelSignal,
  forceKillAfterDelay,
  context,
  controller
})] : [];
var sendOnAbort = async ({ subprocess, cancelSignal, forceKillAfterDelay, context, controller: { signal } }) => {
  await onAbortedSignal(cancelSignal, signal);
  const reason = getReason(cancelSignal);
  await sendAbort(subprocess, reason);
  killOnTimeout({
    kill: subprocess.kill,
    forceKillAfterDelay,
    context,
    controllerSignal: signal
  });
  context.terminationReason ??= "gracefulCancel";
  throw cancelSignal.reason;
};
var getReason = ({ reason }) => {
  if (!(reason instanceof DOMException)) {
    return reason;
  }
  const error = new Error(reason.message);
  Object.defineProperty(error, "stack", {
    value: reason.stack,
    enumerable: false,
    configurable: true,
    writable: true
  });
  return error;
};

// node_modules/execa/lib/terminate/timeout.js
import { setTimeout as setTimeout3 } from "node:timers/promises";
var validateTimeout = ({ timeout }) => {
  if (timeout !== void 0 && (!Number.isFinite(timeout) || timeout < 0)) {
    throw new TypeError(`Expected the \`timeout\` option to be a non-negative integer, got \`${timeout}\` (${typeof timeout})`);
  }
};
var throwOnTimeout = (subprocess, timeout, context, controller) => timeout === 0 || timeout === void 0 ? [] : [killAfterTimeout(subprocess, timeout, context, controller)];
var killAfterTimeout = async (subprocess, timeout, context, { signal }) => {
  await setTimeout3(timeout, void 0, { signal });
  context.terminationReason ??= "timeout";
  subprocess.kill();
  throw new DiscardedError();
};

// node_modules/execa/lib/methods/node.js
import { execPath, execArgv } from "node:process";
import path3 from "node:path";
var mapNode = ({ options }) => {
  if (options.node === false) {
    throw new TypeError('The "node" option cannot be false with `execaNode()`.');
  }
  return { options: { ...options, node: true } };
};
var handleNodeOption = (file, commandArguments, {
  node: shouldHandleNode = false,
  nodePath = execPath,
  nodeOptions = execArgv.filter((nodeOption) => !nodeOption.startsWith("--inspect")),
  cwd,
  execPath: formerNodePath,
  ...options
}) => {
  if (formerNodePath !== void 0) {
    throw new TypeError('The "execPath" option has been removed. Please use the "nodePath" option instead.');
  }
  const normalizedNodePath = safeNormalizeFileUrl(nodePath, 'The "nodePath" option');
  const resolvedNodePath = path3.resolve(cwd, normalizedNodePath);
  const newOptions = {
    ...options,
    nodePath: resolvedNodePath,
    node: shouldHandleNode,
    cwd
  };
  if (!shouldHandleNode) {
    return [file, commandArguments, newOptions];
  }
  if (path3.basename(file, ".exe") === "node") {
    throw new TypeError('When the "node" option is true, the first argument does not need to be "node".');
  }
  return [
    resolvedNodePath,
    [...nodeOptions, file, ...commandArguments],
    { ipc: true, ...newOptions, shell: false }
  ];
};

// node_modules/execa/lib/ipc/ipc-input.js
import { serialize } from "node:v8";
var validateIpcInputOption = ({ ipcInput, ipc, serialization }) => {
  if (ipcInput === void 0) {
    return;
  }
  if (!ipc) {
    throw new Error("The `ipcInput` option cannot be set unless the `ipc` option is `true`.");
  }
  validateIpcInput[serialization](ipcInput);
};
var validateAdvancedInput = (ipcInput) => {
  try {
    serialize(ipcInput);
  } catch (error) {
    throw new Error("The `ipcInput` option is not serializable with a structured clone.", { cause: error });
  }
};
var validateJsonInput = (ipcInput) => {
  try {
    JSON.stringify(ipcInput);
  } catch (error) {
    throw new Error("The `ipcInput` option is not serializable with JSON.", { cause: error });
  }
};
var validateIpcInput = {
  advanced: validateAdvancedInput,
  json: validateJsonInput
};
var sendIpcInput = async (subprocess, ipcInput) => {
  if (ipcInput === void 0) {
    return;
  }
  await subprocess.sendMessage(ipcInput);
};

// node_modules/execa/lib/arguments/encoding-option.js
var validateEncoding = ({ encoding }) => {
  if (ENCODINGS.has(encoding)) {
    return;
  }
  const correctEncoding = getCorrectEncoding(encoding);
  if (correctEncoding !== void 0) {
    throw new TypeError(`Invalid option \`encoding: ${serializeEncoding(encoding)}\`.
Please rename it to ${serializeEncoding(correctEncoding)}.`);
  }
  const correctEncodings = [...ENCODINGS].map((correctEncoding2) => serializeEncoding(correctEncoding2)).join(", ");
  throw new TypeError(`Invalid option \`encoding: ${serializeEncoding(encoding)}\`.
Please rename it to one of: ${correctEncodings}.`);
};
var TEXT_ENCODINGS = /* @__PURE__ */ new Set(["utf8", "utf16le"]);
var BINARY_ENCODINGS = /* @__PURE__ */ new Set(["buffer", "hex", "base64", "base64url", "latin1", "ascii"]);
var ENCODINGS = /* @__PURE__ */ new Set([...TEXT_ENCODINGS, ...BINARY_ENCODINGS]);
var getCorrectEncoding = (encoding) => {
  if (encoding === null) {
    return "buffer";
  }
  if (typeof encoding !== "string") {
    return;
  }
  const lowerEncoding = encoding.toLowerCase();
  if (lowerEncoding in ENCODING_ALIASES) {
    return ENCODING_ALIASES[lowerEncoding];
  }
  if (ENCODINGS.has(lowerEncoding)) {
    return lowerEncoding;
  }
};
var ENCODING_ALIASES = {
  // eslint-disable-next-line unicorn/text-encoding-identifier-case
  "utf-8": "utf8",
  "utf-16le": "utf16le",
  "ucs-2": "utf16le",
  ucs2: "utf16le",
  binary: "latin1"
};
var serializeEncoding = (encoding) => typeof encoding === "string" ? `"${encoding}"` : String(encoding);

// node_modules/execa/lib/arguments/cwd.js
import { statSync } from "node:fs";
import path4 from "node:path";
import process5 from "node:process";
var normalizeCwd = (cwd = getDefaultCwd()) => {
  const cwdString = safeNormalizeFileUrl(cwd, 'The "cwd" option');
  return path4.resolve(cwdString);
};
var getDefaultCwd = () => {
  try {
    return process5.cwd();
  } catch (error) {
    error.message = `The current directory does not exist.
${error.message}`;
    throw error;
  }
};
var fixCwdError = (originalMessage, cwd) => {
  if (cwd === getDefaultCwd()) {
    return originalMessage;
  }
  let cwdStat;
  try {
    cwdStat = statSync(cwd);
  } catch (error) {
    return `The "cwd" option is invalid: ${cwd}.
${error.message}
${originalMessage}`;
  }
  if (!cwdStat.isDirectory()) {
    return `The "cwd" option is not a directory: ${cwd}.
${originalMessage}`;
  }
  return originalMessage;
};

// node_modules/execa/lib/arguments/options.js
var normalizeOptions = (filePath, rawArguments, rawOptions) => {
  rawOptions.cwd = normalizeCwd(rawOptions.cwd);
  const [processedFile, processedArguments, processedOptions] = handleNodeOption(filePath, rawArguments, rawOptions);
  const { command: file, args: commandArguments, options: initialOptions } = import_cross_spawn.default._parse(processedFile, processedArguments, processedOptions);
  const fdOptions = normalizeFdSpecificOptions(initialOptions);
  const options = addDefaultOptions(fdOptions);
  validateTimeout(options);
  validateEncoding(options);
  validateIpcInputOption(options);
  validateCancelSignal(options);
  validateGracefulCancel(options);
  options.shell = normalizeFileUrl(options.shell);
  options.env = getEnv(options);
  options.killSignal = normalizeKillSignal(options.killSignal);
  options.forceKillAfterDelay = normalizeForceKillAfterDelay(options.forceKillAfterDelay);
  options.lines = options.lines.map((lines, fdNumber) => lines && !BINARY_ENCODINGS.has(options.encoding) && options.buffer[fdNumber]);
  if (process6.platform === "win32" && path5.basename(file, ".exe") === "cmd") {
    commandArguments.unshift("/q");
  }
  return { file, commandArguments, options };
};
var addDefaultOptions = ({
  extendEnv = true,
  preferLocal = false,
  cwd,
  localDir: localDirectory = cwd,
  encoding = "utf8",
  reject = true,
  cleanup = true,
  all = false,
  windowsHide = true,
  killSignal = "SIGTERM",
  forceKillAfterDelay = true,
  gracefulCancel = false,
  ipcInput,
  ipc = ipcInput !== void 0 || gracefulCancel,
  serialization = "advanced",
  ...options
}) => ({
  ...options,
  extendEnv,
  preferLocal,
  cwd,
  localDirectory,
  encoding,
  reject,
  cleanup,
  all,
  windowsHide,
  killSignal,
  forceKillAfterDelay,
  gracefulCancel,
  ipcInput,
  ipc,
  serialization
});
var getEnv = ({ env: envOption, extendEnv, preferLocal, node, localDirectory, nodePath }) => {
  const env = extendEnv ? { ...process6.env, ...envOption } : envOption;
  if (preferLocal || node) {
    return npmRunPathEnv({
      env,
      cwd: localDirectory,
      execPath: nodePath,
      preferLocal,
      addExecPath: node
    });
  }
  return env;
};

// node_modules/execa/lib/arguments/shell.js
var concatenateShell = (file, commandArguments, options) => options.shell && commandArguments.length > 0 ? [[file, ...commandArguments].join(" "), [], options] : [file, commandArguments, options];

// node_modules/execa/lib/return/message.js
import { inspect as inspect2 } from "node:util";

// node_modules/strip-final-newline/index.js
function stripFinalNewline(input) {
  if (typeof input === "string") {
    return stripFinalNewlineString(input);
  }
  if (!(ArrayBuffer.isView(input) && input.BYTES_PER_ELEMENT === 1)) {
    throw new Error("Input must be a string or a Uint8Array");
  }
  return stripFinalNewlineBinary(input);
}
var stripFinalNewlineString = (input) => input.at(-1) === LF ? input.slice(0, input.at(-2) === CR ? -2 : -1) : input;
var stripFinalNewlineBinary = (input) => input.at(-1) === LF_BINARY ? input.subarray(0, input.at(-2) === CR_BINARY ? -2 : -1) : input;
var LF = "\n";
var LF_BINARY = LF.codePointAt(0);
var CR = "\r";
var CR_BINARY = CR.codePointAt(0);

// node_modules/get-stream/source/index.js
import { on } from "node:events";
import { finished } from "node:stream/promises";

// node_modules/is-stream/index.js
function isStream(stream, { checkOpen = true } = {}) {
  return stream !== null && typeof stream === "object" && (stream.writable || stream.readable || !checkOpen || stream.writable === void 0 && stream.readable === void 0) && typeof stream.pipe === "function";
}
function isWritableStream(stream, { checkOpen = true } = {}) {
  return isStream(stream, { checkOpen }) && (stream.writable || !checkOpen) && typeof stream.write === "function" && typeof stream.end === "function" && typeof stream.writable === "boolean" && typeof stream.writableObjectMode === "boolean" && typeof stream.destroy === "function" && typeof stream.destroyed === "boolean";
}
function isReadableStream(stream, { checkOpen = true } = {}) {
  return isStream(stream, { checkOpen }) && (stream.readable || !checkOpen) && typeof stream.read === "function" && typeof stream.readable === "boolean" && typeof stream.readableObjectMode === "boolean" && typeof stream.destroy === "function" && typeof stream.destroyed === "boolean";
}
function isDuplexStream(stream, options) {
  return isWritableStream(stream, options) && isReadableStream(stream, options);
}

// node_modules/@sec-ant/readable-stream/dist/ponyfill/asyncIterator.js
var a = Object.getPrototypeOf(
  Object.getPrototypeOf(
    /* istanbul ignore next */
    async function* () {
    }
  ).prototype
);
var c = class {
  #t;
  #n;
  #r = false;
  #e = void 0;
  constructor(e, t) {
    this.#t = e, this.#n = t;
  }
  next() {
    const e = () => this.#s();
    return this.#e = this.#e ? this.#e.then(e, e) : e(), this.#e;
  }
  return(e) {
    const t = () => this.#i(e);
    return this.#e ? this.#e.then(t, t) : t();
  }
  async #s() {
    if (this.#r)
      return {
        done: true,
        value: void 0
      };
    let e;
    try {
      e = await this.#t.read();
    } catch (t) {
      throw this.#e = void 0, this.#r = true, this.#t.releaseLock(), t;
    }
    return e.done && (this.#e = void 0, this.#r = true, this.#t.releaseLock()), e;
  }
  async #i(e) {
    if (this.#r)
      return {
        done: true,
        value: e
      };
    if (this.#r = true, !this.#n) {
      const t = this.#t.cancel(e);
      return this.#t.releaseLock(), await t, {
        done: true,
        value: e
      };
    }
    return this.#t.releaseLock(), {
      done: true,
      value: e
    };
  }
};
var n = /* @__PURE__ */ Symbol();
function i() {
  return this[n].next();
}
Object.defineProperty(i, "name", { value: "next" });
function o(r) {
  return this[n].return(r);
}
Object.defineProperty(o, "name", { value: "return" });
var u = Object.create(a, {
  next: {
    enumerable: true,
    configurable: true,
    writable: true,
    value: i
  },
  return: {
    enumerable: true,
    configurable: true,
    writable: true,
    value: o
  }
});
function h({ preventCancel: r = false } = {}) {
  const e = this.getReader(), t = new c(
    e,
    r
  ), s = Object.create(u);
  return s[n] = t, s;
}

// node_modules/get-stream/source/stream.js
var getAsyncIterable = (stream) => {
  if (isReadableStream(stream, { checkOpen: false }) && nodeImports.on !== void 0) {
    return getStreamIterable(stream);
  }
  if (typeof stream?.[Symbol.asyncIterator] === "function") {
    return stream;
  }
  if (toString.call(stream) === "[object ReadableStream]") {
    return h.call(stream);
  }
  throw new TypeError("The first argument must be a Readable, a ReadableStream, or an async iterable.");
};
var { toString } = Object.prototype;
var getStreamIterable = async function* (stream) {
  const controller = new AbortController();
  const state = {};
  handleStreamEnd(stream, controller, state);
  try {
    for await (const [chunk] of nodeImports.on(stream, "data", { signal: controller.signal })) {
      yield chunk;
    }
  } catch (error) {
    if (state.error !== void 0) {
      throw state.error;
    } else if (!controller.signal.aborted) {
      throw error;
    }
  } finally {
    stream.destroy();
  }
};
var handleStreamEnd = async (stream, controller, state) => {
  try {
    await nodeImports.finished(stream, {
      cleanup: true,
      readable: true,
      writable: false,
      error: false
    });
  } catch (error) {
    state.error = error;
  } finally {
    controller.abort();
  }
};
var nodeImports = {};

// node_modules/get-stream/source/contents.js
var getStreamContents = async (stream, { init, convertChunk, getSize, truncateChunk, addChunk, getFinalChunk, finalize }, { maxBuffer = Number.POSITIVE_INFINITY } = {}) => {
  const asyncIterable = getAsyncIterable(stream);
  const state = init();
  state.length = 0;
  try {
    for await (const chunk of asyncIterable) {
      const chunkType = getChunkType(chunk);
      const convertedChunk = convertChunk[chunkType](chunk, state);
      appendChunk({
        convertedChunk,
        state,
        getSize,
        truncateChunk,
        addChunk,
        maxBuffer
      });
    }
    appendFinalChunk({
      state,
      convertChunk,
      getSize,
      truncateChunk,
      addChunk,
      getFinalChunk,
      maxBuffer
    });
    return finalize(state);
  } catch (error) {
    const normalizedError = typeof error === "object" && error !== null ? error : new Error(error);
    normalizedError.bufferedData = finalize(state);
    throw normalizedError;
  }
};
var appendFinalChunk = ({ state, getSize, truncateChunk, addChunk, getFinalChunk, maxBuffer }) => {
  const convertedChunk = getFinalChunk(state);
  if (convertedChunk !== void 0) {
    appendChunk({
      convertedChunk,
      state,
      getSize,
      truncateChunk,
      addChunk,
      maxBuffer
    });
  }
};
var appendChunk = ({ convertedChunk, state, getSize, truncateChunk, addChunk, maxBuffer }) => {
  const chunkSize = getSize(convertedChunk);
  const newLength = state.length + chunkSize;
  if (newLength <= maxBuffer) {
    addNewChunk(convertedChunk, state, addChunk, newLength);
    return;
  }
  const truncatedChunk = truncateChunk(convertedChunk, maxBuffer - state.length);
  if (truncatedChunk !== void 0) {
    addNewChunk(truncatedChunk, state, addChunk, maxBuffer);
  }
  throw new MaxBufferError();
};
var addNewChunk = (convertedChunk, state, addChunk, newLength) => {
  state.contents = addChunk(convertedChunk, state, newLength);
  state.length = newLength;
};
var getChunkType = (chunk) => {
  const typeOfChunk = typeof chunk;
  if (typeOfChunk === "string") {
    return "string";
  }
  if (typeOfChunk !== "object" || chunk === null) {
    return "others";
  }
  if (globalThis.Buffer?.isBuffer(chunk)) {
    return "buffer";
  }
  const prototypeName = objectToString2.call(chunk);
  if (prototypeName === "[object ArrayBuffer]") {
    return "arrayBuffer";
  }
  if (prototypeName === "[object DataView]") {
    return "dataView";
  }
  if (Number.isInteger(chunk.byteLength) && Number.isInteger(chunk.byteOffset) && objectToString2.call(chunk.buffer) === "[object ArrayBuffer]") {
    return "typedArray";
  }
  return "others";
};
var { toString: objectToString2 } = Object.prototype;
var MaxBufferError = class extends Error {
  name = "MaxBufferError";
  constructor() {
    super("maxBuffer exceeded");
  }
};

// node_modules/get-stream/source/utils.js
var identity2 = (value) => value;
var noop = () => void 0;
var getContentsProperty = ({ contents }) => contents;
var throwObjectStream = (chunk) => {
  throw new Error(`Streams in object mode are not supported: ${String(chunk)}`);
};
var getLengthProperty = (convertedChunk) => convertedChunk.length;

// node_modules/get-stream/source/array.js
async function getStreamAsArray(stream, options) {
  return getStreamContents(stream, arrayMethods, options);
}
var initArray = () => ({ contents: [] });
var increment = () => 1;
var addArrayChunk = (convertedChunk, { contents }) => {
  contents.push(convertedChunk);
  return contents;
};
var arrayMethods = {
  init: initArray,
  convertChunk: {
    string: identity2,
    buffer: identity2,
    arrayBuffer: identity2,
    dataView: identity2,
    typedArray: identity2,
    others: identity2
  },
  getSize: increment,
  truncateChunk: noop,
  addChunk: addArrayChunk,
  getFinalChunk: noop,
  finalize: getContentsProperty
};

// node_modules/get-stream/source/array-buffer.js
async function getStreamAsArrayBuffer(stream, options) {
  return getStreamContents(stream, arrayBufferMethods, options);
}
var initArrayBuffer = () => ({ contents: new ArrayBuffer(0) });
var useTextEncoder = (chunk) => textEncoder2.encode(chunk);
var textEncoder2 = new TextEncoder();
var useUint8Array = (chunk) => new Uint8Array(chunk);
var useUint8ArrayWithOffset = (chunk) => new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
var truncateArrayBufferChunk = (convertedChunk, chunkSize) => convertedChunk.slice(0, chunkSize);
var addArrayBufferChunk = (convertedChunk, { contents, length: previousLength }, length) => {
  const newContents = hasArrayBufferResize() ? resizeArrayBuffer(contents, length) : resizeArrayBufferSlow(contents, length);
  new Uint8Array(newContents).set(convertedChunk, previousLength);
  return newContents;
};
var resizeArrayBufferSlow = (contents, length) => {
  if (length <= contents.byteLength) {
    return contents;
  }
  const arrayBuffer = new ArrayBuffer(getNewContentsLength(length));
  new Uint8Array(arrayBuffer).set(new Uint8Array(contents), 0);
  return arrayBuffer;
};
var resizeArrayBuffer = (contents, length) => {
  if (length <= contents.maxByteLength) {
    contents.resize(length);
    return contents;
  }
  const arrayBuffer = new ArrayBuffer(length, { maxByteLength: getNewContentsLength(length) });
  new Uint8Array(arrayBuffer).set(new Uint8Array(contents), 0);
  return arrayBuffer;
};
var getNewContentsLength = (length) => SCALE_FACTOR ** Math.ceil(Math.log(length) / Math.log(SCALE_FACTOR));
var SCALE_FACTOR = 2;
var finalizeArrayBuffer = ({ contents, length }) => hasArrayBufferResize() ? contents : contents.slice(0, length);
var hasArrayBufferResize = () => "resize" in ArrayBuffer.prototype;
var arrayBufferMethods = {
  init: initArrayBuffer,
  convertChunk: {
    string: useTextEncoder,
    buffer: useUint8Array,
    arrayBuffer: useUint8Array,
    dataView: useUint8ArrayWithOffset,
    typedArray: useUint8ArrayWithOffset,
    others: throwObjectStream
  },
  getSize: getLengthProperty,
  truncateChunk: truncateArrayBufferChunk,
  addChunk: addArrayBufferChunk,
  getFinalChunk: noop,
  finalize: finalizeArrayBuffer
};

// node_modules/get-stream/source/string.js
async function getStreamAsString(stream, options) {
  return getStreamContents(stream, stringMethods, options);
}
var initString = () => ({ contents: "", textDecoder: new TextDecoder() });
var useTextDecoder = (chunk, { textDecoder: textDecoder2 }) => textDecoder2.decode(chunk, { stream: true });
var addStringChunk = (convertedChunk, { contents }) => contents + convertedChunk;
var truncateStringChunk = (convertedChunk, chunkSize) => convertedChunk.slice(0, chunkSize);
var getFinalStringChunk = ({ textDecoder: textDecoder2 }) => {
  const finalChunk = textDecoder2.decode();
  return finalChunk === "" ? void 0 : finalChunk;
};
var stringMethods = {
  init: initString,
  convertChunk: {
    string: identity2,
    buffer: useTextDecoder,
    arrayBuffer: useTextDecoder,
    dataView: useTextDecoder,
    typedArray: useTextDecoder,
    others: throwObjectStream
  },
  getSize: getLengthProperty,
  truncateChunk: truncateStringChunk,
  addChunk: addStringChunk,
  getFinalChunk: getFinalStringChunk,
  finalize: getContentsProperty
};

// node_modules/get-stream/source/index.js
Object.assign(nodeImports, { on, finished });

// node_modules/execa/lib/io/max-buffer.js
var handleMaxBuffer = ({ error, stream, readableObjectMode, lines, encoding, fdNumber }) => {
  if (!(error instanceof MaxBufferError)) {
    throw error;
  }
  if (fdNumber === "all") {
    return error;
  }
  const unit = getMaxBufferUnit(readableObjectMode, lines, encoding);
  error.maxBufferInfo = { fdNumber, unit };
  stream.destroy();
  throw error;
};
var getMaxBufferUnit = (readableObjectMode, lines, encoding) => {
  if (readableObjectMode) {
    return "objects";
  }
  if (lines) {
    return "lines";
  }
  if (encoding === "buffer") {
    return "bytes";
  }
  return "characters";
};
var checkIpcMaxBuffer = (subprocess, ipcOutput, maxBuffer) => {
  if (ipcOutput.length !== maxBuffer) {
    return;
  }
  const error = new MaxBufferError();
  error.maxBufferInfo = { fdNumber: "ipc" };
  throw error;
};
var getMaxBufferMessage = (error, maxBuffer) => {
  const { streamName, threshold, unit } = getMaxBufferInfo(error, maxBuffer);
  return `Command's ${streamName} was larger than ${threshold} ${unit}`;
};
var getMaxBufferInfo = (error, maxBuffer) => {
  if (error?.maxBufferInfo === void 0) {
    return { streamName: "output", threshold: maxBuffer[1], unit: "bytes" };
  }
  const { maxBufferInfo: { fdNumber, unit } } = error;
  delete error.maxBufferInfo;
  const threshold = getFdSpecificValue(maxBuffer, fdNumber);
  if (fdNumber === "ipc") {
    return { streamName: "IPC output", threshold, unit: "messages" };
  }
  return { streamName: getStreamName(fdNumber), threshold, unit };
};
var isMaxBufferSync = (resultError, output, maxBuffer) => resultError?.code === "ENOBUFS" && output !== null && output.some((result) => result !== null && result.length > getMaxBufferSync(maxBuffer));
var truncateMaxBufferSync = (result, isMaxBuffer, maxBuffer) => {
  if (!isMaxBuffer) {
    return result;
  }
  const maxBufferValue = getMaxBufferSync(maxBuffer);
  return result.length > maxBufferValue ? result.slice(0, maxBufferValue) : result;
};
var getMaxBufferSync = ([, stdoutMaxBuffer]) => stdoutMaxBuffer;

// node_modules/execa/lib/return/message.js
var createMessages = ({
  stdio,
  all,
  ipcOutput,
  originalError,
  signal,
  signalDescription,
  exitCode,
  escapedCommand,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  forceKillAfterDelay,
  killSignal,
  maxBuffer,
  timeout,
  cwd
}) => {
  const errorCode = originalError?.code;
  const prefix = getErrorPrefix({
    originalError,
    timedOut,
    timeout,
    isMaxBuffer,
    maxBuffer,
    errorCode,
    signal,
    signalDescription,
    exitCode,
    isCanceled,
    isGracefullyCanceled,
    isForcefullyTerminated,
    forceKillAfterDelay,
    killSignal
  });
  const originalMessage = getOriginalMessage(originalError, cwd);
  const suffix = originalMessage === void 0 ? "" : `
${originalMessage}`;
  const shortMessage = `${prefix}: ${escapedCommand}${suffix}`;
  const messageStdio = all === void 0 ? [stdio[2], stdio[1]] : [all];
  const message = [
    shortMessage,
    ...messageStdio,
    ...stdio.slice(3),
    ipcOutput.map((ipcMessage) => serializeIpcMessage(ipcMessage)).join("\n")
  ].map((messagePart) => escapeLines(stripFinalNewline(serializeMessagePart(messagePart)))).filter(Boolean).join("\n\n");
  return { originalMessage, shortMessage, message };
};
var getErrorPrefix = ({
  originalError,
  timedOut,
  timeout,
  isMaxBuffer,
  maxBuffer,
  errorCode,
  signal,
  signalDescription,
  exitCode,
  isCanceled,
  isGracefullyCanceled,
  isForcefullyTerminated,
  forceKillAfterDelay,
  killSignal
}) => {
  const forcefulSuffix = getForcefulSuffix(isForcefullyTerminated, forceKillAfterDelay);
  if (timedOut) {
    return `Command timed out after ${timeout} milliseconds${forcefulSuffix}`;
  }
  if (isGracefullyCanceled) {
    if (signal === void 0) {
      return `Command was gracefully canceled with exit code ${exitCode}`;
    }
    return isForcefullyTerminated ? `Command was gracefully canceled${forcefulSuffix}` : `Command was gracefully canceled with ${signal} (${signalDescription})`;
  }
  if (isCanceled) {
    return `Command was canceled${forcefulSuffix}`;
  }
  if (isMaxBuffer) {
    return `${getMaxBufferMessage(originalError, maxBuffer)}${forcefulSuffix}`;
  }
  if (errorCode !== void 0) {
    return `Command failed with ${errorCode}${forcefulSuffix}`;
  }
  if (isForcefullyTerminated) {
    return `Command was killed with ${killSignal} (${getSignalDescription(killSignal)})${forcefulSuffix}`;
  }
  if (signal !== void 0) {
    return `Command was killed with ${signal} (${signalDescription})`;
  }
  if (exitCode !== void 0) {
    return `Command failed with exit code ${exitCode}`;
  }
  return "Command failed";
};
var getForcefulSuffix = (isForcefullyTerminated, forceKillAfterDelay) => isForcefullyTerminated ? ` and was forcefully terminated after ${forceKillAfterDelay} milliseconds` : "";
var getOriginalMessage = (originalError, cwd) => {
  if (originalError instanceof DiscardedError) {
    return;
  }
  const originalMessage = isExecaError(originalError) ? originalError.originalMessage : String(originalError?.message ?? originalError);
  const escapedOriginalMessage = escapeLines(fixCwdError(originalMessage, cwd));
  return escapedOriginalMessage === "" ? void 0 : escapedOriginalMessage;
};
var serializeIpcMessage = (ipcMessage) => typeof ipcMessage === "string" ? ipcMessage : inspect2(ipcMessage);
var serializeMessagePart = (messagePart) => Array.isArray(messagePart) ? messagePart.map((messageItem) => stripFinalNewline(serializeMessageItem(messageItem))).filter(Boolean).join("\n") : serializeMessageItem(messagePart);
var serializeMessageItem = (messageItem) => {
  if (typeof messageItem === "string") {
    return messageItem;
  }
  if (isUint8Array(messageItem)) {
    return uint8ArrayToString(messageItem);
  }
  return "";
};

// node_modules/execa/lib/return/result.js
var makeSuccessResult = ({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput,
  options: { cwd },
  startTime
}) => omitUndefinedProperties({
  command,
  escapedCommand,
  cwd,
  durationMs: getDurationMs(startTime),
  failed: false,
  timedOut: false,
  isCanceled: false,
  isGracefullyCanceled: false,
  isTerminated: false,
  isMaxBuffer: false,
  isForcefullyTerminated: false,
  exitCode: 0,
  stdout: stdio[1],
  stderr: stdio[2],
  all,
  stdio,
  ipcOutput,
  pipedFrom: []
});
var makeEarlyError = ({
  error,
  command,
  escapedCommand,
  fileDescriptors,
  options,
  startTime,
  isSync
}) => makeError({
  error,
  command,
  escapedCommand,
  startTime,
  timedOut: false,
  isCanceled: false,
  isGracefullyCanceled: false,
  isMaxBuffer: false,
  isForcefullyTerminated: false,
  stdio: Array.from({ length: fileDescriptors.length }),
  ipcOutput: [],
  options,
  isSync
});
var makeError = ({
  error: originalError,
  command,
  escapedCommand,
  startTime,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode: rawExitCode,
  signal: rawSignal,
  stdio,
  all,
  ipcOutput,
  options: {
    timeoutDuration,
    timeout = timeoutDuration,
    forceKillAfterDelay,
    killSignal,
    cwd,
    maxBuffer
  },
  isSync
}) => {
  const { exitCode, signal, signalDescription } = normalizeExitPayload(rawExitCode, rawSignal);
  const { originalMessage, shortMessage, message } = createMessages({
    stdio,
    all,
    ipcOutput,
    originalError,
    signal,
    signalDescription,
    exitCode,
    escapedCommand,
    timedOut,
    isCanceled,
    isGracefullyCanceled,
    isMaxBuffer,
    isForcefullyTerminated,
    forceKillAfterDelay,
    killSignal,
    maxBuffer,
    timeout,
    cwd
  });
  const error = getFinalError(originalError, message, isSync);
  Object.assign(error, getErrorProperties({
    error,
    command,
    escapedCommand,
    startTime,
    timedOut,
    isCanceled,
    isGracefullyCanceled,
    isMaxBuffer,
    isForcefullyTerminated,
    exitCode,
    signal,
    signalDescription,
    stdio,
    all,
    ipcOutput,
    cwd,
    originalMessage,
    shortMessage
  }));
  return error;
};
var getErrorProperties = ({
  error,
  command,
  escapedCommand,
  startTime,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode,
  signal,
  signalDescription,
  stdio,
  all,
  ipcOutput,
  cwd,
  originalMessage,
  shortMessage
}) => omitUndefinedProperties({
  shortMessage,
  originalMessage,
  command,
  escapedCommand,
  cwd,
  durationMs: getDurationMs(startTime),
  failed: true,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isTerminated: signal !== void 0,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode,
  signal,
  signalDescription,
  code: error.cause?.code,
  stdout: stdio[1],
  stderr: stdio[2],
  all,
  stdio,
  ipcOutput,
  pipedFrom: []
});
var omitUndefinedProperties = (result) => Object.fromEntries(Object.entries(result).filter(([, value]) => value !== void 0));
var normalizeExitPayload = (rawExitCode, rawSignal) => {
  const exitCode = rawExitCode === null ? void 0 : rawExitCode;
  const signal = rawSignal === null ? void 0 : rawSignal;
  const signalDescription = signal === void 0 ? void 0 : getSignalDescription(rawSignal);
  return { exitCode, signal, signalDescription };
};

// node_modules/parse-ms/index.js
var toZeroIfInfinity = (value) => Number.isFinite(value) ? value : 0;
function parseNumber(milliseconds) {
  return {
    days: Math.trunc(milliseconds / 864e5),
    hours: Math.trunc(milliseconds / 36e5 % 24),
    minutes: Math.trunc(milliseconds / 6e4 % 60),
    seconds: Math.trunc(milliseconds / 1e3 % 60),
    milliseconds: Math.trunc(milliseconds % 1e3),
    microseconds: Math.trunc(toZeroIfInfinity(milliseconds * 1e3) % 1e3),
    nanoseconds: Math.trunc(toZeroIfInfinity(milliseconds * 1e6) % 1e3)
  };
}
function parseBigint(milliseconds) {
  return {
    days: milliseconds / 86400000n,
    hours: milliseconds / 3600000n % 24n,
    minutes: milliseconds / 60000n % 60n,
    seconds: milliseconds / 1000n % 60n,
    milliseconds: milliseconds % 1000n,
    microseconds: 0n,
    nanoseconds: 0n
  };
}
function parseMilliseconds(milliseconds) {
  switch (typeof milliseconds) {
    case "number": {
      if (Number.isFinite(milliseconds)) {
        return parseNumber(milliseconds);
      }
      break;
    }
    case "bigint": {
      return parseBigint(milliseconds);
    }
  }
  throw new TypeError("Expected a finite number or bigint");
}

// node_modules/pretty-ms/index.js
var isZero = (value) => value === 0 || value === 0n;
var pluralize = (word, count2) => count2 === 1 || count2 === 1n ? word : `${word}s`;
var SECOND_ROUNDING_EPSILON = 1e-7;
var ONE_DAY_IN_MILLISECONDS = 24n * 60n * 60n * 1000n;
function prettyMilliseconds(milliseconds, options) {
  const isBigInt = typeof milliseconds === "bigint";
  if (!isBigInt && !Number.isFinite(milliseconds)) {
    throw new TypeError("Expected a finite number or bigint");
  }
  options = { ...options };
  const sign = milliseconds < 0 ? "-" : "";
  milliseconds = milliseconds < 0 ? -milliseconds : milliseconds;
  if (options.colonNotation) {
    options.compact = false;
    options.formatSubMilliseconds = false;
    options.separateMilliseconds = false;
    options.verbose = false;
  }
  if (options.compact) {
    options.unitCount = 1;
    options.secondsDecimalDigits = 0;
    options.millisecondsDecimalDigits = 0;
  }
  let result = [];
  const floorDecimals = (value, decimalDigits) => {
    const flooredInterimValue = Math.floor(value * 10 ** decimalDigits + SECOND_ROUNDING_EPSILON);
    const flooredValue = Math.round(flooredInterimValue) / 10 ** decimalDigits;
    return flooredValue.toFixed(decimalDigits);
  };
  const add = (value, long, short, valueString) => {
    if ((result.length === 0 || !options.colonNotation) && isZero(value) && !(options.colonNotation && short === "m")) {
      return;
    }
    valueString ??= String(value);
    if (options.colonNotation) {
      const wholeDigits = valueString.includes(".") ? valueString.split(".")[0].length : valueString.length;
      const minLength = result.length > 0 ? 2 : 1;
      valueString = "0".repeat(Math.max(0, minLength - wholeDigits)) + valueString;
    } else {
      valueString += options.verbose ? " " + pluralize(long, value) : short;
    }
    result.push(valueString);
  };
  const parsed = parseMilliseconds(milliseconds);
  const days = BigInt(parsed.days);
  if (options.hideYearAndDays) {
    add(BigInt(days) * 24n + BigInt(parsed.hours), "hour", "h");
  } else {
    if (options.hideYear) {
      add(days, "day", "d");
    } else {
      add(days / 365n, "year", "y");
      add(days % 365n, "day", "d");
    }
    add(Number(parsed.hours), "hour", "h");
  }
  add(Number(parsed.minutes), "minute", "m");
  if (!options.hideSeconds) {
    if (options.separateMilliseconds || options.formatSubMilliseconds || !options.colonNotation && milliseconds < 1e3 && !options.subSecondsAsDecimals) {
      const seconds = Number(parsed.seconds);
      const milliseconds2 = Number(parsed.milliseconds);
      const microseconds = Number(parsed.microseconds);
      const nanoseconds = Number(parsed.nanoseconds);
      add(seconds, "second", "s");
      if (options.formatSubMilliseconds) {
        add(milliseconds2, "millisecond", "ms");
        add(microseconds, "microsecond", "\xB5s");
        add(nanoseconds, "nanosecond", "ns");
      } else {
        const millisecondsAndBelow = milliseconds2 + microseconds / 1e3 + nanoseconds / 1e6;
        const millisecondsDecimalDigits = typeof options.millisecondsDecimalDigits === "number" ? options.millisecondsDecimalDigits : 0;
        const roundedMilliseconds = millisecondsAndBelow >= 1 ? Math.round(millisecondsAndBelow) : Math.ceil(millisecondsAndBelow);
        const maximumMilliseconds = 1e3 - 10 ** -millisecondsDecimalDigits;
        const millisecondsString = millisecondsDecimalDigits ? Math.min(millisecondsAndBelow, maximumMilliseconds).toFixed(millisecondsDecimalDigits) : Math.min(roundedMilliseconds, maximumMilliseconds);
        add(
          Number.parseFloat(millisecondsString),
          "millisecond",
          "ms",
          millisecondsString
        );
      }
    } else {
      const seconds = (isBigInt ? Number(milliseconds % ONE_DAY_IN_MILLISECONDS) : milliseconds) / 1e3 % 60;
      const secondsDecimalDigits = typeof options.secondsDecimalDigits === "number" ? options.secondsDecimalDigits : 1;
      const secondsFixed = floorDecimals(seconds, secondsDecimalDigits);
      const secondsString = options.keepDecimalsOnWholeSeconds ? secondsFixed : secondsFixed.replace(/\.0+$/, "");
      add(Number.parseFloat(secondsString), "second", "s", secondsString);
    }
  }
  if (result.length === 0) {
    return sign + "0" + (options.verbose ? " milliseconds" : "ms");
  }
  const separator = options.colonNotation ? ":" : " ";
  if (typeof options.unitCount === "number") {
    result = result.slice(0, Math.max(options.unitCount, 1));
  }
  return sign + result.join(separator);
}

// node_modules/execa/lib/verbose/error.js
var logError = (result, verboseInfo) => {
  if (result.failed) {
    verboseLog({
      type: "error",
      verboseMessage: result.shortMessage,
      verboseInfo,
      result
    });
  }
};

// node_modules/execa/lib/verbose/complete.js
var logResult = (result, verboseInfo) => {
  if (!isVerbose(verboseInfo)) {
    return;
  }
  logError(result, verboseInfo);
  logDuration(result, verboseInfo);
};
var logDuration = (result, verboseInfo) => {
  const verboseMessage = `(done in ${prettyMilliseconds(result.durationMs)})`;
  verboseLog({
    type: "duration",
    verboseMessage,
    verboseInfo,
    result
  });
};

// node_modules/execa/lib/return/reject.js
var handleResult = (result, verboseInfo, { reject }) => {
  logResult(result, verboseInfo);
  if (result.failed && reject) {
    throw result;
  }
  return result;
};

// node_modules/execa/lib/stdio/handle-sync.js
import { readFileSync as readFileSync2 } from "node:fs";

// node_modules/execa/lib/stdio/type.js
var getStdioItemType = (value, optionName) => {
  if (isAsyncGenerator(value)) {
    return "asyncGenerator";
  }
  if (isSyncGenerator(value)) {
    return "generator";
  }
  if (isUrl(value)) {
    return "fileUrl";
  }
  if (isFilePathObject(value)) {
    return "filePath";
  }
  if (isWebStream(value)) {
    return "webStream";
  }
  if (isStream(value, { checkOpen: false })) {
    return "native";
  }
  if (isUint8Array(value)) {
    return "uint8Array";
  }
  if (isAsyncIterableObject(value)) {
    return "asyncIterable";
  }
  if (isIterableObject(value)) {
    return "iterable";
  }
  if (isTransformStream(value)) {
    return getTransformStreamType({ transform: value }, optionName);
  }
  if (isTransformOptions(value)) {
    return getTransformObjectType(value, optionName);
  }
  return "native";
};
var getTransformObjectType = (value, optionName) => {
  if (isDuplexStream(value.transform, { checkOpen: false })) {
    return getDuplexType(value, optionName);
  }
  if (isTransformStream(value.transform)) {
    return getTransformStreamType(value, optionName);
  }
  return getGeneratorObjectType(value, optionName);
};
var getDuplexType = (value, optionName) => {
  validateNonGeneratorType(value, optionName, "Duplex stream");
  return "duplex";
};
var getTransformStreamType = (value, optionName) => {
  validateNonGeneratorType(value, optionName, "web TransformStream");
  return "webTransform";
};
var validateNonGeneratorType = ({ final, binary, objectMode }, optionName, typeName) => {
  checkUndefinedOption(final, `${optionName}.final`, typeName);
  checkUndefinedOption(binary, `${optionName}.binary`, typeName);
  checkBooleanOption(objectMode, `${optionName}.objectMode`);
};
var checkUndefinedOption = (value, optionName, typeName) => {
  if (value !== void 0) {
    throw new TypeError(`The \`${optionName}\` option can only be defined when using a generator, not a ${typeName}.`);
  }
};
var getGeneratorObjectType = ({ transform, final, binary, objectMode }, optionName) => {
  if (transform !== void 0 && !isGenerator(transform)) {
    throw new TypeError(`The \`${optionName}.transform\` option must be a generator, a Duplex stream or a web TransformStream.`);
  }
  if (isDuplexStream(final, { checkOpen: false })) {
    throw new TypeError(`The \`${optionName}.final\` option must not be a Duplex stream.`);
  }
  if (isTransformStream(final)) {
    throw new TypeError(`The \`${optionName}.final\` option must not be a web TransformStream.`);
  }
  if (final !== void 0 && !isGenerator(final)) {
    throw new TypeError(`The \`${optionName}.final\` option must be a generator.`);
  }
  checkBooleanOption(binary, `${optionName}.binary`);
  checkBooleanOption(objectMode, `${optionName}.objectMode`);
  return isAsyncGenerator(transform) || isAsyncGenerator(final) ? "asyncGenerator" : "generator";
};
var checkBooleanOption = (value, optionName) => {
  if (value !== void 0 && typeof value !== "boolean") {
    throw new TypeError(`The \`${optionName}\` option must use a boolean.`);
  }
};
var isGenerator = (value) => isAsyncGenerator(value) || isSyncGenerator(value);
var isAsyncGenerator = (value) => Object.prototype.toString.call(value) === "[object AsyncGeneratorFunction]";
var isSyncGenerator = (value) => Object.prototype.toString.call(value) === "[object GeneratorFunction]";
var isTransformOptions = (value) => isPlainObject(value) && (value.transform !== void 0 || value.final !== void 0);
var isUrl = (value) => Object.prototype.toString.call(value) === "[object URL]";
var isRegularUrl = (value) => isUrl(value) && value.protocol !== "file:";
var isFilePathObject = (value) => isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => FILE_PATH_KEYS.has(key)) && isFilePathString(value.file);
var FILE_PATH_KEYS = /* @__PURE__ */ new Set(["file", "append"]);
var isFilePathString = (file) => typeof file === "string";
var isUnknownStdioString = (type, value) => type === "native" && typeof value === "string" && !KNOWN_STDIO_STRINGS.has(value);
var KNOWN_STDIO_STRINGS = /* @__PURE__ */ new Set(["ipc", "ignore", "inherit", "overlapped", "pipe"]);
var isReadableStream2 = (value) => Object.prototype.toString.call(value) === "[object ReadableStream]";
var isWritableStream2 = (value) => Object.prototype.toString.call(value) === "[object WritableStream]";
var isWebStream = (value) => isReadableStream2(value) || isWritableStream2(value);
var isTransformStream = (value) => isReadableStream2(value?.readable) && isWritableStream2(value?.writable);
var isAsyncIterableObject = (value) => isObject(value) && typeof value[Symbol.asyncIterator] === "function";
var isIterableObject = (value) => isObject(value) && typeof value[Symbol.iterator] === "function";
var isObject = (value) => typeof value === "object" && value !== null;
var TRANSFORM_TYPES = /* @__PURE__ */ new Set(["generator", "asyncGenerator", "duplex", "webTransform"]);
var FILE_TYPES = /* @__PURE__ */ new Set(["fileUrl", "filePath", "fileNumber"]);
var SPECIAL_DUPLICATE_TYPES_SYNC = /* @__PURE__ */ new Set(["fileUrl", "filePath"]);
var SPECIAL_DUPLICATE_TYPES = /* @__PURE__ */ new Set([...SPECIAL_DUPLICATE_TYPES_SYNC, "webStream", "nodeStream"]);
var FORBID_DUPLICATE_TYPES = /* @__PURE__ */ new Set(["webTransform", "duplex"]);
var TYPE_TO_MESSAGE = {
  generator: "a generator",
  asyncGenerator: "an async generator",
  fileUrl: "a file URL",
  filePath: "a file path string",
  fileNumber: "a file descriptor number",
  webStream: "a web stream",
  nodeStream: "a Node.js stream",
  webTransform: "a web TransformStream",
  duplex: "a Duplex stream",
  native: "any value",
  iterable: "an iterable",
  asyncIterable: "an async iterable",
  string: "a string",
  uint8Array: "a Uint8Array"
};

// node_modules/execa/lib/transform/object-mode.js
var getTransformObjectModes = (objectMode, index, newTransforms, direction) => direction === "output" ? getOutputObjectModes(objectMode, index, newTransforms) : getInputObjectModes(objectMode, index, newTransforms);
var getOutputObjectModes = (objectMode, index, newTransforms) => {
  const writableObjectMode = index !== 0 && newTransforms[index - 1].value.readableObjectMode;
  const readableObjectMode = objectMode ?? writableObjectMode;
  return { writableObjectMode, readableObjectMode };
};
var getInputObjectModes = (objectMode, index, newTransforms) => {
  const writableObjectMode = index === 0 ? objectMode === true : newTransforms[index - 1].value.readableObjectMode;
  const readableObjectMode = index !== newTransforms.length - 1 && (objectMode ?? writableObjectMode);
  return { writableObjectMode, readableObjectMode };
};
var getFdObjectMode = (stdioItems, direction) => {
  const lastTransform = stdioItems.findLast(({ type }) => TRANSFORM_TYPES.has(type));
  if (lastTransform === void 0) {
    return false;
  }
  return direction === "input" ? lastTransform.value.writableObjectMode : lastTransform.value.readableObjectMode;
};

// node_modules/execa/lib/transform/normalize.js
var normalizeTransforms = (stdioItems, optionName, direction, options) => [
  ...stdioItems.filter(({ type }) => !TRANSFORM_TYPES.has(type)),
  ...getTransforms(stdioItems, optionName, direction, options)
];
var getTransforms = (stdioItems, optionName, direction, { encoding }) => {
  const transforms = stdioItems.filter(({ type }) => TRANSFORM_TYPES.has(type));
  const newTransforms = Array.from({ length: transforms.length });
  for (const [index, stdioItem] of Object.entries(transforms)) {
    newTransforms[index] = normalizeTransform({
      stdioItem,
      index: Number(index),
      newTransforms,
      optionName,
      direction,
      encoding
    });
  }
  return sortTransforms(newTransforms, direction);
};
var normalizeTransform = ({ stdioItem, stdioItem: { type }, index, newTransforms, optionName, direction, encoding }) => {
  if (type === "duplex") {
    return normalizeDuplex({ stdioItem, optionName });
  }
  if (type === "webTransform") {
    return normalizeTransformStream({
      stdioItem,
      index,
      newTransforms,
      direction
    });
  }
  return normalizeGenerator({
    stdioItem,
    index,
    newTransforms,
    direction,
    encoding
  });
};
var normalizeDuplex = ({
  stdioItem,
  stdioItem: {
    value: {
      transform,
      transform: { writableObjectMode, readableObjectMode },
      objectMode = readableObjectMode
    }
  },
  optionName
}) => {
  if (objectMode && !readableObjectMode) {
    throw new TypeError(`The \`${optionName}.objectMode\` option can only be \`true\` if \`new Duplex({objectMode: true})\` is used.`);
  }
  if (!objectMode && readableObjectMode) {
    throw new TypeError(`The \`${optionName}.objectMode\` option cannot be \`false\` if \`new Duplex({objectMode: true})\` is used.`);
  }
  return {
    ...stdioItem,
    value: { transform, writableObjectMode, readableObjectMode }
  };
};
var normalizeTransformStream = ({ stdioItem, stdioItem: { value }, index, newTransforms, direction }) => {
  const { transform, objectMode } = isPlainObject(value) ? value : { transform: value };
  const { writableObjectMode, readableObjectMode } = getTransformObjectModes(objectMode, index, newTransforms, direction);
  return {
    ...stdioItem,
    value: { transform, writableObjectMode, readableObjectMode }
  };
};
var normalizeGenerator = ({ stdioItem, stdioItem: { value }, index, newTransforms, direction, encoding }) => {
  const {
    transform,
    final,
    binary: binaryOption = false,
    preserveNewlines = false,
    objectMode
  } = isPlainObject(value) ? value : { transform: value };
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { writableObjectMode, readableObjectMode } = getTransformObjectModes(objectMode, index, newTransforms, direction);
  return {
    ...stdioItem,
    value: {
      transform,
      final,
      binary,
      preserveNewlines,
      writableObjectMode,
      readableObjectMode
    }
  };
};
var sortTransforms = (newTransforms, direction) => direction === "input" ? newTransforms.reverse() : newTransforms;

// node_modules/execa/lib/stdio/direction.js
import process7 from "node:process";
var getStreamDirection = (stdioItems, fdNumber, optionName) => {
  const directions = stdioItems.map((stdioItem) => getStdioItemDirection(stdioItem, fdNumber));
  if (directions.includes("input") && directions.includes("output")) {
    throw new TypeError(`The \`${optionName}\` option must not be an array of both readable and writable values.`);
  }
  return directions.find(Boolean) ?? DEFAULT_DIRECTION;
};
var getStdioItemDirection = ({ type, value }, fdNumber) => KNOWN_DIRECTIONS[fdNumber] ?? guessStreamDirection[type](value);
var KNOWN_DIRECTIONS = ["input", "output", "output"];
var anyDirection = () => void 0;
var alwaysInput = () => "input";
var guessStreamDirection = {
  generator: anyDirection,
  asyncGenerator: anyDirection,
  fileUrl: anyDirection,
  filePath: anyDirection,
  iterable: alwaysInput,
  asyncIterable: alwaysInput,
  uint8Array: alwaysInput,
  webStream: (value) => isWritableStream2(value) ? "output" : "input",
  nodeStream(value) {
    if (!isReadableStream(value, { checkOpen: false })) {
      return "output";
    }
    return isWritableStream(value, { checkOpen: false }) ? void 0 : "input";
  },
  webTransform: anyDirection,
  duplex: anyDirection,
  native(value) {
    const standardStreamDirection = getStandardStreamDirection(value);
    if (standardStreamDirection !== void 0) {
      return standardStreamDirection;
    }
    if (isStream(value, { checkOpen: false })) {
      return guessStreamDirection.nodeStream(value);
    }
  }
};
var getStandardStreamDirection = (value) => {
  if ([0, process7.stdin].includes(value)) {
    return "input";
  }
  if ([1, 2, process7.stdout, process7.stderr].includes(value)) {
    return "output";
  }
};
var DEFAULT_DIRECTION = "output";

// node_modules/execa/lib/ipc/array.js
var normalizeIpcStdioArray = (stdioArray, ipc) => ipc && !stdioArray.includes("ipc") ? [...stdioArray, "ipc"] : stdioArray;

// node_modules/execa/lib/stdio/stdio-option.js
var normalizeStdioOption = ({ stdio, ipc, buffer, ...options }, verboseInfo, isSync) => {
  const stdioArray = getStdioArray(stdio, options).map((stdioOption, fdNumber) => addDefaultValue2(stdioOption, fdNumber));
  return isSync ? normalizeStdioSync(stdioArray, buffer, verboseInfo) : normalizeIpcStdioArray(stdioArray, ipc);
};
var getStdioArray = (stdio, options) => {
  if (stdio === void 0) {
    return STANDARD_STREAMS_ALIASES.map((alias) => options[alias]);
  }
  if (hasAlias(options)) {
    throw new Error(`It's not possible to provide \`stdio\` in combination with one of ${STANDARD_STREAMS_ALIASES.map((alias) => `\`${alias}\``).join(", ")}`);
  }
  if (typeof stdio === "string") {
    return [stdio, stdio, stdio];
  }
  if (!Array.isArray(stdio)) {
    throw new TypeError(`Expected \`stdio\` to be of type \`string\` or \`Array\`, got \`${typeof stdio}\``);
  }
  const length = Math.max(stdio.length, STANDARD_STREAMS_ALIASES.length);
  return Array.from({ length }, (_, fdNumber) => stdio[fdNumber]);
};
var hasAlias = (options) => STANDARD_STREAMS_ALIASES.some((alias) => options[alias] !== void 0);
var addDefaultValue2 = (stdioOption, fdNumber) => {
  if (Array.isArray(stdioOption)) {
    return stdioOption.map((item) => addDefaultValue2(item, fdNumber));
  }
  if (stdioOption === null || stdioOption === void 0) {
    return fdNumber >= STANDARD_STREAMS_ALIASES.length ? "ignore" : "pipe";
  }
  return stdioOption;
};
var normalizeStdioSync = (stdioArray, buffer, verboseInfo) => stdioArray.map((stdioOption, fdNumber) => !buffer[fdNumber] && fdNumber !== 0 && !isFullVerbose(verboseInfo, fdNumber) && isOutputPipeOnly(stdioOption) ? "ignore" : stdioOption);
var isOutputPipeOnly = (stdioOption) => stdioOption === "pipe" || Array.isArray(stdioOption) && stdioOption.every((item) => item === "pipe");

// node_modules/execa/lib/stdio/native.js
import { readFileSync } from "node:fs";
import tty2 from "node:tty";
var handleNativeStream = ({ stdioItem, stdioItem: { type }, isStdioArray, fdNumber, direction, isSync }) => {
  if (!isStdioArray || type !== "native") {
    return stdioItem;
  }
  return isSync ? handleNativeStreamSync({ stdioItem, fdNumber, direction }) : handleNativeStreamAsync({ stdioItem, fdNumber });
};
var handleNativeStreamSync = ({ stdioItem, stdioItem: { value, optionName }, fdNumber, direction }) => {
  const targetFd = getTargetFd({
    value,
    optionName,
    fdNumber,
    direction
  });
  if (targetFd !== void 0) {
    return targetFd;
  }
  if (isStream(value, { checkOpen: false })) {
    throw new TypeError(`The \`${optionName}: Stream\` option cannot both be an array and include a stream with synchronous methods.`);
  }
  return stdioItem;
};
var getTargetFd = ({ value, optionName, fdNumber, direction }) => {
  const targetFdNumber = getTargetFdNumber(value, fdNumber);
  if (targetFdNumber === void 0) {
    return;
  }
  if (direction === "output") {
    return { type: "fileNumber", value: targetFdNumber, optionName };
  }
  if (tty2.isatty(targetFdNumber)) {
    throw new TypeError(`The \`${optionName}: ${serializeOptionValue(value)}\` option is invalid: it cannot be a TTY with synchronous methods.`);
  }
  return { type: "uint8Array", value: bufferToUint8Array(readFileSync(targetFdNumber)), optionName };
};
var getTargetFdNumber = (value, fdNumber) => {
  if (value === "inherit") {
    return fdNumber;
  }
  if (typeof value === "number") {
    return value;
  }
  const standardStreamIndex = STANDARD_STREAMS.indexOf(value);
  if (standardStreamIndex !== -1) {
    return standardStreamIndex;
  }
};
var handleNativeStreamAsync = ({ stdioItem, stdioItem: { value, optionName }, fdNumber }) => {
  if (value === "inherit") {
    return { type: "nodeStream", value: getStandardStream(fdNumber, value, optionName), optionName };
  }
  if (typeof value === "number") {
    return { type: "nodeStream", value: getStandardStream(value, value, optionName), optionName };
  }
  if (isStream(value, { checkOpen: false })) {
    return { type: "nodeStream", value, optionName };
  }
  return stdioItem;
};
var getStandardStream = (fdNumber, value, optionName) => {
  const standardStream = STANDARD_STREAMS[fdNumber];
  if (standardStream === void 0) {
    throw new TypeError(`The \`${optionName}: ${value}\` option is invalid: no such standard stream.`);
  }
  return standardStream;
};

// node_modules/execa/lib/stdio/input-option.js
var handleInputOptions = ({ input, inputFile }, fdNumber) => fdNumber === 0 ? [
  ...handleInputOption(input),
  ...handleInputFileOption(inputFile)
] : [];
var handleInputOption = (input) => input === void 0 ? [] : [{
  type: getInputType(input),
  value: input,
  optionName: "input"
}];
var getInputType = (input) => {
  if (isReadableStream(input, { checkOpen: false })) {
    return "nodeStream";
  }
  if (typeof input === "string") {
    return "string";
  }
  if (isUint8Array(input)) {
    return "uint8Array";
  }
  throw new Error("The `input` option must be a string, a Uint8Array or a Node.js Readable stream.");
};
var handleInputFileOption = (inputFile) => inputFile === void 0 ? [] : [{
  ...getInputFileType(inputFile),
  optionName: "inputFile"
}];
var getInputFileType = (inputFile) => {
  if (isUrl(inputFile)) {
    return { type: "fileUrl", value: inputFile };
  }
  if (isFilePathString(inputFile)) {
    return { type: "filePath", value: { file: inputFile } };
  }
  throw new Error("The `inputFile` option must be a file path string or a file URL.");
};

// node_modules/execa/lib/stdio/duplicate.js
var filterDuplicates = (stdioItems) => stdioItems.filter((stdioItemOne, indexOne) => stdioItems.every((stdioItemTwo, indexTwo) => stdioItemOne.value !== stdioItemTwo.value || indexOne >= indexTwo || stdioItemOne.type === "generator" || stdioItemOne.type === "asyncGenerator"));
var getDuplicateStream = ({ stdioItem: { type, value, optionName }, direction, fileDescriptors, isSync }) => {
  const otherStdioItems = getOtherStdioItems(fileDescriptors, type);
  if (otherStdioItems.length === 0) {
    return;
  }
  if (isSync) {
    validateDuplicateStreamSync({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
    return;
  }
  if (SPECIAL_DUPLICATE_TYPES.has(type)) {
    return getDuplicateStreamInstance({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
  }
  if (FORBID_DUPLICATE_TYPES.has(type)) {
    validateDuplicateTransform({
      otherStdioItems,
      type,
      value,
      optionName
    });
  }
};
var getOtherStdioItems = (fileDescriptors, type) => fileDescriptors.flatMap(({ direction, stdioItems }) => stdioItems.filter((stdioItem) => stdioItem.type === type).map(((stdioItem) => ({ ...stdioItem, direction }))));
var validateDuplicateStreamSync = ({ otherStdioItems, type, value, optionName, direction }) => {
  if (SPECIAL_DUPLICATE_TYPES_SYNC.has(type)) {
    getDuplicateStreamInstance({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
  }
};
var getDuplicateStreamInstance = ({ otherStdioItems, type, value, optionName, direction }) => {
  const duplicateStdioItems = otherStdioItems.filter((stdioItem) => hasSameValue(stdioItem, value));
  if (duplicateStdioItems.length === 0) {
    return;
  }
  const differentStdioItem = duplicateStdioItems.find((stdioItem) => stdioItem.direction !== direction);
  throwOnDuplicateStream(differentStdioItem, optionName, type);
  return direction === "output" ? duplicateStdioItems[0].stream : void 0;
};
var hasSameValue = ({ type, value }, secondValue) => {
  if (type === "filePath") {
    return value.file === secondValue.file;
  }
  if (type === "fileUrl") {
    return value.href === secondValue.href;
  }
  return value === secondValue;
};
var validateDuplicateTransform = ({ otherStdioItems, type, value, optionName }) => {
  const duplicateStdioItem = otherStdioItems.find(({ value: { transform } }) => transform === value.transform);
  throwOnDuplicateStream(duplicateStdioItem, optionName, type);
};
var throwOnDuplicateStream = (stdioItem, optionName, type) => {
  if (stdioItem !== void 0) {
    throw new TypeError(`The \`${stdioItem.optionName}\` and \`${optionName}\` options must not target ${TYPE_TO_MESSAGE[type]} that is the same.`);
  }
};

// node_modules/execa/lib/stdio/handle.js
var handleStdio = (addProperties3, options, verboseInfo, isSync) => {
  const stdio = normalizeStdioOption(options, verboseInfo, isSync);
  const initialFileDescriptors = stdio.map((stdioOption, fdNumber) => getFileDescriptor({
    stdioOption,
    fdNumber,
    options,
    isSync
  }));
  const fileDescriptors = getFinalFileDescriptors({
    initialFileDescriptors,
    addProperties: addProperties3,
    options,
    isSync
  });
  options.stdio = fileDescriptors.map(({ stdioItems }) => forwardStdio(stdioItems));
  return fileDescriptors;
};
var getFileDescriptor = ({ stdioOption, fdNumber, options, isSync }) => {
  const optionName = getStreamName(fdNumber);
  const { stdioItems: initialStdioItems, isStdioArray } = initializeStdioItems({
    stdioOption,
    fdNumber,
    options,
    optionName
  });
  const direction = getStreamDirection(initialStdioItems, fdNumber, optionName);
  const stdioItems = initialStdioItems.map((stdioItem) => handleNativeStream({
    stdioItem,
    isStdioArray,
    fdNumber,
    direction,
    isSync
  }));
  const normalizedStdioItems = normalizeTransforms(stdioItems, optionName, direction, options);
  const objectMode = getFdObjectMode(normalizedStdioItems, direction);
  validateFileObjectMode(normalizedStdioItems, objectMode);
  return { direction, objectMode, stdioItems: normalizedStdioItems };
};
var initializeStdioItems = ({ stdioOption, fdNumber, options, optionName }) => {
  const values = Array.isArray(stdioOption) ? stdioOption : [stdioOption];
  const initialStdioItems = [
    ...values.map((value) => initializeStdioItem(value, optionName)),
    ...handleInputOptions(options, fdNumber)
  ];
  const stdioItems = filterDuplicates(initialStdioItems);
  const isStdioArray = stdioItems.length > 1;
  validateStdioArray(stdioItems, isStdioArray, optionName);
  validateStreams(stdioItems);
  return { stdioItems, isStdioArray };
};
var initializeStdioItem = (value, optionName) => ({
  type: getStdioItemType(value, optionName),
  value,
  optionName
});
var validateStdioArray = (stdioItems, isStdioArray, optionName) => {
  if (stdioItems.length === 0) {
    throw new TypeError(`The \`${optionName}\` option must not be an empty array.`);
  }
  if (!isStdioArray) {
    return;
  }
  for (const { value, optionName: optionName2 } of stdioItems) {
    if (INVALID_STDIO_ARRAY_OPTIONS.has(value)) {
      throw new Error(`The \`${optionName2}\` option must not include \`${value}\`.`);
    }
  }
};
var INVALID_STDIO_ARRAY_OPTIONS = /* @__PURE__ */ new Set(["ignore", "ipc"]);
var validateStreams = (stdioItems) => {
  for (const stdioItem of stdioItems) {
    validateFileStdio(stdioItem);
  }
};
var validateFileStdio = ({ type, value, optionName }) => {
  if (isRegularUrl(value)) {
    throw new TypeError(`The \`${optionName}: URL\` option must use the \`file:\` scheme.
For example, you can use the \`pathToFileURL()\` method of the \`url\` core module.`);
  }
  if (isUnknownStdioString(type, value)) {
    throw new TypeError(`The \`${optionName}: { file: '...' }\` option must be used instead of \`${optionName}: '...'\`.`);
  }
};
var validateFileObjectMode = (stdioItems, objectMode) => {
  if (!objectMode) {
    return;
  }
  const fileStdioItem = stdioItems.find(({ type }) => FILE_TYPES.has(type));
  if (fileStdioItem !== void 0) {
    throw new TypeError(`The \`${fileStdioItem.optionName}\` option cannot use both files and transforms in objectMode.`);
  }
};
var getFinalFileDescriptors = ({ initialFileDescriptors, addProperties: addProperties3, options, isSync }) => {
  const fileDescriptors = [];
  try {
    for (const fileDescriptor of initialFileDescriptors) {
      fileDescriptors.push(getFinalFileDescriptor({
        fileDescriptor,
        fileDescriptors,
        addProperties: addProperties3,
        options,
        isSync
      }));
    }
    return fileDescriptors;
  } catch (error) {
    cleanupCustomStreams(fileDescriptors);
    throw error;
  }
};
var getFinalFileDescriptor = ({
  fileDescriptor: { direction, objectMode, stdioItems },
  fileDescriptors,
  addProperties: addProperties3,
  options,
  isSync
}) => {
  const finalStdioItems = stdioItems.map((stdioItem) => addStreamProperties({
    stdioItem,
    addProperties: addProperties3,
    direction,
    options,
    fileDescriptors,
    isSync
  }));
  return { direction, objectMode, stdioItems: finalStdioItems };
};
var addStreamProperties = ({ stdioItem, addProperties: addProperties3, direction, options, fileDescriptors, isSync }) => {
  const duplicateStream = getDuplicateStream({
    stdioItem,
    direction,
    fileDescriptors,
    isSync
  });
  if (duplicateStream !== void 0) {
    return { ...stdioItem, stream: duplicateStream };
  }
  return {
    ...stdioItem,
    ...addProperties3[direction][stdioItem.type](stdioItem, options)
  };
};
var cleanupCustomStreams = (fileDescriptors) => {
  for (const { stdioItems } of fileDescriptors) {
    for (const { stream } of stdioItems) {
      if (stream !== void 0 && !isStandardStream(stream)) {
        stream.destroy();
      }
    }
  }
};
var forwardStdio = (stdioItems) => {
  if (stdioItems.length > 1) {
    return stdioItems.some(({ value: value2 }) => value2 === "overlapped") ? "overlapped" : "pipe";
  }
  const [{ type, value }] = stdioItems;
  return type === "native" ? value : "pipe";
};

// node_modules/execa/lib/stdio/handle-sync.js
var handleStdioSync = (options, verboseInfo) => handleStdio(addPropertiesSync, options, verboseInfo, true);
var forbiddenIfSync = ({ type, optionName }) => {
  throwInvalidSyncValue(optionName, TYPE_TO_MESSAGE[type]);
};
var forbiddenNativeIfSync = ({ optionName, value }) => {
  if (value === "ipc" || value === "overlapped") {
    throwInvalidSyncValue(optionName, `"${value}"`);
  }
  return {};
};
var throwInvalidSyncValue = (optionName, value) => {
  throw new TypeError(`The \`${optionName}\` option cannot be ${value} with synchronous methods.`);
};
var addProperties = {
  generator() {
  },
  asyncGenerator: forbiddenIfSync,
  webStream: forbiddenIfSync,
  nodeStream: forbiddenIfSync,
  webTransform: forbiddenIfSync,
  duplex: forbiddenIfSync,
  asyncIterable: forbiddenIfSync,
  native: forbiddenNativeIfSync
};
var addPropertiesSync = {
  input: {
    ...addProperties,
    fileUrl: ({ value }) => ({ contents: [bufferToUint8Array(readFileSync2(value))] }),
    filePath: ({ value: { file } }) => ({ contents: [bufferToUint8Array(readFileSync2(file))] }),
    fileNumber: forbiddenIfSync,
    iterable: ({ value }) => ({ contents: [...value] }),
    string: ({ value }) => ({ contents: [value] }),
    uint8Array: ({ value }) => ({ contents: [value] })
  },
  output: {
    ...addProperties,
    fileUrl: ({ value }) => ({ path: value }),
    filePath: ({ value: { file, append } }) => ({ path: file, append }),
    fileNumber: ({ value }) => ({ path: value }),
    iterable: forbiddenIfSync,
    string: forbiddenIfSync,
    uint8Array: forbiddenIfSync
  }
};

// node_modules/execa/lib/io/strip-newline.js
var stripNewline = (value, { stripFinalNewline: stripFinalNewline2 }, fdNumber) => getStripFinalNewline(stripFinalNewline2, fdNumber) && value !== void 0 && !Array.isArray(value) ? stripFinalNewline(value) : value;
var getStripFinalNewline = (stripFinalNewline2, fdNumber) => fdNumber === "all" ? stripFinalNewline2[1] || stripFinalNewline2[2] : stripFinalNewline2[fdNumber];

// node_modules/execa/lib/transform/generator.js
import { Transform, getDefaultHighWaterMark } from "node:stream";

// node_modules/execa/lib/transform/split.js
var getSplitLinesGenerator = (binary, preserveNewlines, skipped, state) => binary || skipped ? void 0 : initializeSplitLines(preserveNewlines, state);
var splitLinesSync = (chunk, preserveNewlines, objectMode) => objectMode ? chunk.flatMap((item) => splitLinesItemSync(item, preserveNewlines)) : splitLinesItemSync(chunk, preserveNewlines);
var splitLinesItemSync = (chunk, preserveNewlines) => {
  const { transform, final } = initializeSplitLines(preserveNewlines, {});
  return [...transform(chunk), ...final()];
};
var initializeSplitLines = (preserveNewlines, state) => {
  state.previousChunks = "";
  return {
    transform: splitGenerator.bind(void 0, state, preserveNewlines),
    final: linesFinal.bind(void 0, state)
  };
};
var splitGenerator = function* (state, preserveNewlines, chunk) {
  if (typeof chunk !== "string") {
    yield chunk;
    return;
  }
  let { previousChunks } = state;
  let start = -1;
  for (let end = 0; end < chunk.length; end += 1) {
    if (chunk[end] === "\n") {
      const newlineLength = getNewlineLength(chunk, end, preserveNewlines, state);
      let line = chunk.slice(start + 1, end + 1 - newlineLength);
      if (previousChunks.length > 0) {
        line = concatString(previousChunks, line);
        previousChunks = "";
      }
      yield line;
      start = end;
    }
  }
  if (start !== chunk.length - 1) {
    previousChunks = concatString(previousChunks, chunk.slice(start + 1));
  }
  state.previousChunks = previousChunks;
};
var getNewlineLength = (chunk, end, preserveNewlines, state) => {
  if (preserveNewlines) {
    return 0;
  }
  state.isWindowsNewline = end !== 0 && chunk[end - 1] === "\r";
  return state.isWindowsNewline ? 2 : 1;
};
var linesFinal = function* ({ previousChunks }) {
  if (previousChunks.length > 0) {
    yield previousChunks;
  }
};
var getAppendNewlineGenerator = ({ binary, preserveNewlines, readableObjectMode, state }) => binary || preserveNewlines || readableObjectMode ? void 0 : { transform: appendNewlineGenerator.bind(void 0, state) };
var appendNewlineGenerator = function* ({ isWindowsNewline = false }, chunk) {
  const { unixNewline, windowsNewline, LF: LF2, concatBytes } = typeof chunk === "string" ? linesStringInfo : linesUint8ArrayInfo;
  if (chunk.at(-1) === LF2) {
    yield chunk;
    return;
  }
  const newline = isWindowsNewline ? windowsNewline : unixNewline;
  yield concatBytes(chunk, newline);
};
var concatString = (firstChunk, secondChunk) => `${firstChunk}${secondChunk}`;
var linesStringInfo = {
  windowsNewline: "\r\n",
  unixNewline: "\n",
  LF: "\n",
  concatBytes: concatString
};
var concatUint8Array = (firstChunk, secondChunk) => {
  const chunk = new Uint8Array(firstChunk.length + secondChunk.length);
  chunk.set(firstChunk, 0);
  chunk.set(secondChunk, firstChunk.length);
  return chunk;
};
var linesUint8ArrayInfo = {
  windowsNewline: new Uint8Array([13, 10]),
  unixNewline: new Uint8Array([10]),
  LF: 10,
  concatBytes: concatUint8Array
};

// node_modules/execa/lib/transform/validate.js
import { Buffer as Buffer2 } from "node:buffer";
var getValidateTransformInput = (writableObjectMode, optionName) => writableObjectMode ? void 0 : validateStringTransformInput.bind(void 0, optionName);
var validateStringTransformInput = function* (optionName, chunk) {
  if (typeof chunk !== "string" && !isUint8Array(chunk) && !Buffer2.isBuffer(chunk)) {
    throw new TypeError(`The \`${optionName}\` option's transform must use "objectMode: true" to receive as input: ${typeof chunk}.`);
  }
  yield chunk;
};
var getValidateTransformReturn = (readableObjectMode, optionName) => readableObjectMode ? validateObjectTransformReturn.bind(void 0, optionName) : validateStringTransformReturn.bind(void 0, optionName);
var validateObjectTransformReturn = function* (optionName, chunk) {
  validateEmptyReturn(optionName, chunk);
  yield chunk;
};
var validateStringTransformReturn = function* (optionName, chunk) {
  validateEmptyReturn(optionName, chunk);
  if (typeof chunk !== "string" && !isUint8Array(chunk)) {
    throw new TypeError(`The \`${optionName}\` option's function must yield a string or an Uint8Array, not ${typeof chunk}.`);
  }
  yield chunk;
};
var validateEmptyReturn = (optionName, chunk) => {
  if (chunk === null || chunk === void 0) {
    throw new TypeError(`The \`${optionName}\` option's function must not call \`yield ${chunk}\`.
Instead, \`yield\` should either be called with a value, or not be called at all. For example:
  if (condition) { yield value; }`);
  }
};

// node_modules/execa/lib/transform/encoding-transform.js
import { Buffer as Buffer3 } from "node:buffer";
import { StringDecoder as StringDecoder2 } from "node:string_decoder";
var getEncodingTransformGenerator = (binary, encoding, skipped) => {
  if (skipped) {
    return;
  }
  if (binary) {
    return { transform: encodingUint8ArrayGenerator.bind(void 0, new TextEncoder()) };
  }
  const stringDecoder = new StringDecoder2(encoding);
  return {
    transform: encodingStringGenerator.bind(void 0, stringDecoder),
    final: encodingStringFinal.bind(void 0, stringDecoder)
  };
};
var encodingUint8ArrayGenerator = function* (textEncoder3, chunk) {
  if (Buffer3.isBuffer(chunk)) {
    yield bufferToUint8Array(chunk);
  } else if (typeof chunk === "string") {
    yield textEncoder3.encode(chunk);
  } else {
    yield chunk;
  }
};
var encodingStringGenerator = function* (stringDecoder, chunk) {
  yield isUint8Array(chunk) ? stringDecoder.write(chunk) : chunk;
};
var encodingStringFinal = function* (stringDecoder) {
  const lastChunk = stringDecoder.end();
  if (lastChunk !== "") {
    yield lastChunk;
  }
};

// node_modules/execa/lib/transform/run-async.js
import { callbackify } from "node:util";
var pushChunks = callbackify(async (getChunks, state, getChunksArguments, transformStream) => {
  state.currentIterable = getChunks(...getChunksArguments);
  try {
    for await (const chunk of state.currentIterable) {
      transformStream.push(chunk);
    }
  } finally {
    delete state.currentIterable;
  }
});
var transformChunk = async function* (chunk, generators, index) {
  if (index === generators.length) {
    yield chunk;
    return;
  }
  const { transform = identityGenerator } = generators[index];
  for await (const transformedChunk of transform(chunk)) {
    yield* transformChunk(transformedChunk, generators, index + 1);
  }
};
var finalChunks = async function* (generators) {
  for (const [index, { final }] of Object.entries(generators)) {
    yield* generatorFinalChunks(final, Number(index), generators);
  }
};
var generatorFinalChunks = async function* (final, index, generators) {
  if (final === void 0) {
    return;
  }
  for await (const finalChunk of final()) {
    yield* transformChunk(finalChunk, generators, index + 1);
  }
};
var destroyTransform = callbackify(async ({ currentIterable }, error) => {
  if (currentIterable !== void 0) {
    await (error ? currentIterable.throw(error) : currentIterable.return());
    return;
  }
  if (error) {
    throw error;
  }
});
var identityGenerator = function* (chunk) {
  yield chunk;
};

// node_modules/execa/lib/transform/run-sync.js
var pushChunksSync = (getChunksSync, getChunksArguments, transformStream, done) => {
  try {
    for (const chunk of getChunksSync(...getChunksArguments)) {
      transformStream.push(chunk);
    }
    done();
  } catch (error) {
    done(error);
  }
};
var runTransformSync = (generators, chunks) => [
  ...chunks.flatMap((chunk) => [...transformChunkSync(chunk, generators, 0)]),
  ...finalChunksSync(generators)
];
var transformChunkSync = function* (chunk, generators, index) {
  if (index === generators.length) {
    yield chunk;
    return;
  }
  const { transform = identityGenerator2 } = generators[index];
  for (const transformedChunk of transform(chunk)) {
    yield* transformChunkSync(transformedChunk, generators, index + 1);
  }
};
var finalChunksSync = function* (generators) {
  for (const [index, { final }] of Object.entries(generators)) {
    yield* generatorFinalChunksSync(final, Number(index), generators);
  }
};
var generatorFinalChunksSync = function* (final, index, generators) {
  if (final === void 0) {
    return;
  }
  for (const finalChunk of final()) {
    yield* transformChunkSync(finalChunk, generators, index + 1);
  }
};
var identityGenerator2 = function* (chunk) {
  yield chunk;
};

// node_modules/execa/lib/transform/generator.js
var generatorToStream = ({
  value,
  value: { transform, final, writableObjectMode, readableObjectMode },
  optionName
}, { encoding }) => {
  const state = {};
  const generators = addInternalGenerators(value, encoding, optionName);
  const transformAsync = isAsyncGenerator(transform);
  const finalAsync = isAsyncGenerator(final);
  const transformMethod = transformAsync ? pushChunks.bind(void 0, transformChunk, state) : pushChunksSync.bind(void 0, transformChunkSync);
  const finalMethod = transformAsync || finalAsync ? pushChunks.bind(void 0, finalChunks, state) : pushChunksSync.bind(void 0, finalChunksSync);
  const destroyMethod = transformAsync || finalAsync ? destroyTransform.bind(void 0, state) : void 0;
  const stream = new Transform({
    writableObjectMode,
    writableHighWaterMark: getDefaultHighWaterMark(writableObjectMode),
    readableObjectMode,
    readableHighWaterMark: getDefaultHighWaterMark(readableObjectMode),
    transform(chunk, encoding2, done) {
      transformMethod([chunk, generators, 0], this, done);
    },
    flush(done) {
      finalMethod([generators], this, done);
    },
    destroy: destroyMethod
  });
  return { stream };
};
var runGeneratorsSync = (chunks, stdioItems, encoding, isInput) => {
  const generators = stdioItems.filter(({ type }) => type === "generator");
  const reversedGenerators = isInput ? generators.reverse() : generators;
  for (const { value, optionName } of reversedGenerators) {
    const generators2 = addInternalGenerators(value, encoding, optionName);
    chunks = runTransformSync(generators2, chunks);
  }
  return chunks;
};
var addInternalGenerators = ({ transform, final, binary, writableObjectMode, readableObjectMode, preserveNewlines }, encoding, optionName) => {
  const state = {};
  return [
    { transform: getValidateTransformInput(writableObjectMode, optionName) },
    getEncodingTransformGenerator(binary, encoding, writableObjectMode),
    getSplitLinesGenerator(binary, preserveNewlines, writableObjectMode, state),
    { transform, final },
    { transform: getValidateTransformReturn(readableObjectMode, optionName) },
    getAppendNewlineGenerator({
      binary,
      preserveNewlines,
      readableObjectMode,
      state
    })
  ].filter(Boolean);
};

// node_modules/execa/lib/io/input-sync.js
var addInputOptionsSync = (fileDescriptors, options) => {
  for (const fdNumber of getInputFdNumbers(fileDescriptors)) {
    addInputOptionSync(fileDescriptors, fdNumber, options);
  }
};
var getInputFdNumbers = (fileDescriptors) => new Set(Object.entries(fileDescriptors).filter(([, { direction }]) => direction === "input").map(([fdNumber]) => Number(fdNumber)));
var addInputOptionSync = (fileDescriptors, fdNumber, options) => {
  const { stdioItems } = fileDescriptors[fdNumber];
  const allStdioItems = stdioItems.filter(({ contents }) => contents !== void 0);
  if (allStdioItems.length === 0) {
    return;
  }
  if (fdNumber !== 0) {
    const [{ type, optionName }] = allStdioItems;
    throw new TypeError(`Only the \`stdin\` option, not \`${optionName}\`, can be ${TYPE_TO_MESSAGE[type]} with synchronous methods.`);
  }
  const allContents = allStdioItems.map(({ contents }) => contents);
  const transformedContents = allContents.map((contents) => applySingleInputGeneratorsSync(contents, stdioItems));
  options.input = joinToUint8Array(transformedContents);
};
var applySingleInputGeneratorsSync = (contents, stdioItems) => {
  const newContents = runGeneratorsSync(contents, stdioItems, "utf8", true);
  validateSerializable(newContents);
  return joinToUint8Array(newContents);
};
var validateSerializable = (newContents) => {
  const invalidItem = newContents.find((item) => typeof item !== "string" && !isUint8Array(item));
  if (invalidItem !== void 0) {
    throw new TypeError(`The \`stdin\` option is invalid: when passing objects as input, a transform must be used to serialize them to strings or Uint8Arrays: ${invalidItem}.`);
  }
};

// node_modules/execa/lib/io/output-sync.js
import { writeFileSync, appendFileSync } from "node:fs";

// node_modules/execa/lib/verbose/output.js
var shouldLogOutput = ({ stdioItems, encoding, verboseInfo, fdNumber }) => fdNumber !== "all" && isFullVerbose(verboseInfo, fdNumber) && !BINARY_ENCODINGS.has(encoding) && fdUsesVerbose(fdNumber) && (stdioItems.some(({ type, value }) => type === "native" && PIPED_STDIO_VALUES.has(value)) || stdioItems.every(({ type }) => TRANSFORM_TYPES.has(type)));
var fdUsesVerbose = (fdNumber) => fdNumber === 1 || fdNumber === 2;
var PIPED_STDIO_VALUES = /* @__PURE__ */ new Set(["pipe", "overlapped"]);
var logLines = async (linesIterable, stream, fdNumber, verboseInfo) => {
  for await (const line of linesIterable) {
    if (!isPipingStream(stream)) {
      logLine(line, fdNumber, verboseInfo);
    }
  }
};
var logLinesSync = (linesArray, fdNumber, verboseInfo) => {
  for (const line of linesArray) {
    logLine(line, fdNumber, verboseInfo);
  }
};
var isPipingStream = (stream) => stream._readableState.pipes.length > 0;
var logLine = (line, fdNumber, verboseInfo) => {
  const verboseMessage = serializeVerboseMessage(line);
  verboseLog({
    type: "output",
    verboseMessage,
    fdNumber,
    verboseInfo
  });
};

// node_modules/execa/lib/io/output-sync.js
var transformOutputSync = ({ fileDescriptors, syncResult: { output }, options, isMaxBuffer, verboseInfo }) => {
  if (output === null) {
    return { output: Array.from({ length: 3 }) };
  }
  const state = {};
  const outputFiles = /* @__PURE__ */ new Set([]);
  const transformedOutput = output.map((result, fdNumber) => transformOutputResultSync({
    result,
    fileDescriptors,
    fdNumber,
    state,
    outputFiles,
    isMaxBuffer,
    verboseInfo
  }, options));
  return { output: transformedOutput, ...state };
};
var transformOutputResultSync = ({ result, fileDescriptors, fdNumber, state, outputFiles, isMaxBuffer, verboseInfo }, { buffer, encoding, lines, stripFinalNewline: stripFinalNewline2, maxBuffer }) => {
  if (result === null) {
    return;
  }
  const truncatedResult = truncateMaxBufferSync(result, isMaxBuffer, maxBuffer);
  const uint8ArrayResult = bufferToUint8Array(truncatedResult);
  const { stdioItems, objectMode } = fileDescriptors[fdNumber];
  const chunks = runOutputGeneratorsSync([uint8ArrayResult], stdioItems, encoding, state);
  const { serializedResult, finalResult = serializedResult } = serializeChunks({
    chunks,
    objectMode,
    encoding,
    lines,
    stripFinalNewline: stripFinalNewline2,
    fdNumber
  });
  logOutputSync({
    serializedResult,
    fdNumber,
    state,
    verboseInfo,
    encoding,
    stdioItems,
    objectMode
  });
  const returnedResult = buffer[fdNumber] ? finalResult : void 0;
  try {
    if (state.error === void 0) {
      writeToFiles(serializedResult, stdioItems, outputFiles);
    }
    return returnedResult;
  } catch (error) {
    state.error = error;
    return returnedResult;
  }
};
var runOutputGeneratorsSync = (chunks, stdioItems, encoding, state) => {
  try {
    return runGeneratorsSync(chunks, stdioItems, encoding, false);
  } catch (error) {
    state.error = error;
    return chunks;
  }
};
var serializeChunks = ({ chunks, objectMode, encoding, lines, stripFinalNewline: stripFinalNewline2, fdNumber }) => {
  if (objectMode) {
    return { serializedResult: chunks };
  }
  if (encoding === "buffer") {
    return { serializedResult: joinToUint8Array(chunks) };
  }
  const serializedResult = joinToString(chunks, encoding);
  if (lines[fdNumber]) {
    return { serializedResult, finalResult: splitLinesSync(serializedResult, !stripFinalNewline2[fdNumber], objectMode) };
  }
  return { serializedResult };
};
var logOutputSync = ({ serializedResult, fdNumber, state, verboseInfo, encoding, stdioItems, objectMode }) => {
  if (!shouldLogOutput({
    stdioItems,
    encoding,
    verboseInfo,
    fdNumber
  })) {
    return;
  }
  const linesArray = splitLinesSync(serializedResult, false, objectMode);
  try {
    logLinesSync(linesArray, fdNumber, verboseInfo);
  } catch (error) {
    state.error ??= error;
  }
};
var writeToFiles = (serializedResult, stdioItems, outputFiles) => {
  for (const { path: path7, append } of stdioItems.filter(({ type }) => FILE_TYPES.has(type))) {
    const pathString = typeof path7 === "string" ? path7 : path7.toString();
    if (append || outputFiles.has(pathString)) {
      appendFileSync(path7, serializedResult);
    } else {
      outputFiles.add(pathString);
      writeFileSync(path7, serializedResult);
    }
  }
};

// node_modules/execa/lib/resolve/all-sync.js
var getAllSync = ([, stdout, stderr], options) => {
  if (!options.all) {
    return;
  }
  if (stdout === void 0) {
    return stderr;
  }
  if (stderr === void 0) {
    return stdout;
  }
  if (Array.isArray(stdout)) {
    return Array.isArray(stderr) ? [...stdout, ...stderr] : [...stdout, stripNewline(stderr, options, "all")];
  }
  if (Array.isArray(stderr)) {
    return [stripNewline(stdout, options, "all"), ...stderr];
  }
  if (isUint8Array(stdout) && isUint8Array(stderr)) {
    return concatUint8Arrays([stdout, stderr]);
  }
  return `${stdout}${stderr}`;
};

// node_modules/execa/lib/resolve/exit-async.js
import { once as once4 } from "node:events";
var waitForExit = async (subprocess, context) => {
  const [exitCode, signal] = await waitForExitOrError(subprocess);
  context.isForcefullyTerminated ??= false;
  return [exitCode, signal];
};
var waitForExitOrError = async (subprocess) => {
  const [spawnPayload, exitPayload] = await Promise.allSettled([
    once4(subprocess, "spawn"),
    once4(subprocess, "exit")
  ]);
  if (spawnPayload.status === "rejected") {
    return [];
  }
  return exitPayload.status === "rejected" ? waitForSubprocessExit(subprocess) : exitPayload.value;
};
var waitForSubprocessExit = async (subprocess) => {
  try {
    return await once4(subprocess, "exit");
  } catch {
    return waitForSubprocessExit(subprocess);
  }
};
var waitForSuccessfulExit = async (exitPromise) => {
  const [exitCode, signal] = await exitPromise;
  if (!isSubprocessErrorExit(exitCode, signal) && isFailedExit(exitCode, signal)) {
    throw new DiscardedError();
  }
  return [exitCode, signal];
};
var isSubprocessErrorExit = (exitCode, signal) => exitCode === void 0 && signal === void 0;
var isFailedExit = (exitCode, signal) => exitCode !== 0 || signal !== null;

// node_modules/execa/lib/resolve/exit-sync.js
var getExitResultSync = ({ error, status: exitCode, signal, output }, { maxBuffer }) => {
  const resultError = getResultError(error, exitCode, signal);
  const timedOut = resultError?.code === "ETIMEDOUT";
  const isMaxBuffer = isMaxBufferSync(resultError, output, maxBuffer);
  return {
    resultError,
    exitCode,
    signal,
    timedOut,
    isMaxBuffer
  };
};
var getResultError = (error, exitCode, signal) => {
  if (error !== void 0) {
    return error;
  }
  return isFailedExit(exitCode, signal) ? new DiscardedError() : void 0;
};

// node_modules/execa/lib/methods/main-sync.js
var execaCoreSync = (rawFile, rawArguments, rawOptions) => {
  const { file, commandArguments, command, escapedCommand, startTime, verboseInfo, options, fileDescriptors } = handleSyncArguments(rawFile, rawArguments, rawOptions);
  const result = spawnSubprocessSync({
    file,
    commandArguments,
    options,
    command,
    escapedCommand,
    verboseInfo,
    fileDescriptors,
    startTime
  });
  return handleResult(result, verboseInfo, options);
};
var handleSyncArguments = (rawFile, rawArguments, rawOptions) => {
  const { command, escapedCommand, startTime, verboseInfo } = handleCommand(rawFile, rawArguments, rawOptions);
  const syncOptions = normalizeSyncOptions(rawOptions);
  const { file, commandArguments, options } = normalizeOptions(rawFile, rawArguments, syncOptions);
  validateSyncOptions(options);
  const fileDescriptors = handleStdioSync(options, verboseInfo);
  return {
    file,
    commandArguments,
    command,
    escapedCommand,
    startTime,
    verboseInfo,
    options,
    fileDescriptors
  };
};
var normalizeSyncOptions = (options) => options.node && !options.ipc ? { ...options, ipc: false } : options;
var validateSyncOptions = ({ ipc, ipcInput, detached, cancelSignal }) => {
  if (ipcInput) {
    throwInvalidSyncOption("ipcInput");
  }
  if (ipc) {
    throwInvalidSyncOption("ipc: true");
  }
  if (detached) {
    throwInvalidSyncOption("detached: true");
  }
  if (cancelSignal) {
    throwInvalidSyncOption("cancelSignal");
  }
};
var throwInvalidSyncOption = (value) => {
  throw new TypeError(`The "${value}" option cannot be used with synchronous methods.`);
};
var spawnSubprocessSync = ({ file, commandArguments, options, command, escapedCommand, verboseInfo, fileDescriptors, startTime }) => {
  const syncResult = runSubprocessSync({
    file,
    commandArguments,
    options,
    command,
    escapedCommand,
    fileDescriptors,
    startTime
  });
  if (syncResult.failed) {
    return syncResult;
  }
  const { resultError, exitCode, signal, timedOut, isMaxBuffer } = getExitResultSync(syncResult, options);
  const { output, error = resultError } = transformOutputSync({
    fileDescriptors,
    syncResult,
    options,
    isMaxBuffer,
    verboseInfo
  });
  const stdio = output.map((stdioOutput, fdNumber) => stripNewline(stdioOutput, options, fdNumber));
  const all = stripNewline(getAllSync(output, options), options, "all");
  return getSyncResult({
    error,
    exitCode,
    signal,
    timedOut,
    isMaxBuffer,
    stdio,
    all,
    options,
    command,
    escapedCommand,
    startTime
  });
};
var runSubprocessSync = ({ file, commandArguments, options, command, escapedCommand, fileDescriptors, startTime }) => {
  try {
    addInputOptionsSync(fileDescriptors, options);
    const normalizedOptions = normalizeSpawnSyncOptions(options);
    return spawnSync(...concatenateShell(file, commandArguments, normalizedOptions));
  } catch (error) {
    return makeEarlyError({
      error,
      command,
      escapedCommand,
      fileDescriptors,
      options,
      startTime,
      isSync: true
    });
  }
};
var normalizeSpawnSyncOptions = ({ encoding, maxBuffer, ...options }) => ({ ...options, encoding: "buffer", maxBuffer: getMaxBufferSync(maxBuffer) });
var getSyncResult = ({ error, exitCode, signal, timedOut, isMaxBuffer, stdio, all, options, command, escapedCommand, startTime }) => error === void 0 ? makeSuccessResult({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput: [],
  options,
  startTime
}) : makeError({
  error,
  command,
  escapedCommand,
  timedOut,
  isCanceled: false,
  isGracefullyCanceled: false,
  isMaxBuffer,
  isForcefullyTerminated: false,
  exitCode,
  signal,
  stdio,
  all,
  ipcOutput: [],
  options,
  startTime,
  isSync: true
});

// node_modules/execa/lib/methods/main-async.js
import { setMaxListeners } from "node:events";
import { spawn } from "node:child_process";

// node_modules/execa/lib/ipc/methods.js
import process8 from "node:process";

// node_modules/execa/lib/ipc/get-one.js
import { once as once5, on as on2 } from "node:events";
var getOneMessage = ({ anyProcess, channel, isSubprocess, ipc }, { reference = true, filter } = {}) => {
  validateIpcMethod({
    methodName: "getOneMessage",
    isSubprocess,
    ipc,
    isConnected: isConnected(anyProcess)
  });
  return getOneMessageAsync({
    anyProcess,
    channel,
    isSubprocess,
    filter,
    reference
  });
};
var getOneMessageAsync = async ({ anyProcess, channel, isSubprocess, filter, reference }) => {
  addReference(channel, reference);
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const controller = new AbortController();
  try {
    return await Promise.race([
      getMessage(ipcEmitter, filter, controller),
      throwOnDisconnect2(ipcEmitter, isSubprocess, controller),
      throwOnStrictError(ipcEmitter, isSubprocess, controller)
    ]);
  } catch (error) {
    disconnect(anyProcess);
    throw error;
  } finally {
    controller.abort();
    removeReference(channel, reference);
  }
};
var getMessage = async (ipcEmitter, filter, { signal }) => {
  if (filter === void 0) {
    const [message] = await once5(ipcEmitter, "message", { signal });
    return message;
  }
  for await (const [message] of on2(ipcEmitter, "message", { signal })) {
    if (filter(message)) {
      return message;
    }
  }
};
var throwOnDisconnect2 = async (ipcEmitter, isSubprocess, { signal }) => {
  await once5(ipcEmitter, "disconnect", { signal });
  throwOnEarlyDisconnect(isSubprocess);
};
var throwOnStrictError = async (ipcEmitter, isSubprocess, { signal }) => {
  const [error] = await once5(ipcEmitter, "strict:error", { signal });
  throw getStrictResponseError(error, isSubprocess);
};

// node_modules/execa/lib/ipc/get-each.js
import { once as once6, on as on3 } from "node:events";
var getEachMessage = ({ anyProcess, channel, isSubprocess, ipc }, { reference = true } = {}) => loopOnMessages({
  anyProcess,
  channel,
  isSubprocess,
  ipc,
  shouldAwait: !isSubprocess,
  reference
});
var loopOnMessages = ({ anyProcess, channel, isSubprocess, ipc, shouldAwait, reference }) => {
  validateIpcMethod({
    methodName: "getEachMessage",
    isSubprocess,
    ipc,
    isConnected: isConnected(anyProcess)
  });
  addReference(channel, reference);
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const controller = new AbortController();
  const state = {};
  stopOnDisconnect(anyProcess, ipcEmitter, controller);
  abortOnStrictError({
    ipcEmitter,
    isSubprocess,
    controller,
    state
  });
  return iterateOnMessages({
    anyProcess,
    channel,
    ipcEmitter,
    isSubprocess,
    shouldAwait,
    controller,
    state,
    reference
  });
};
var stopOnDisconnect = async (anyProcess, ipcEmitter, controller) => {
  try {
    await once6(ipcEmitter, "disconnect", { signal: controller.signal });
    controller.abort();
  } catch {
  }
};
var abortOnStrictError = async ({ ipcEmitter, isSubprocess, controller, state }) => {
  try {
    const [error] = await once6(ipcEmitter, "strict:error", { signal: controller.signal });
    state.error = getStrictResponseError(error, isSubprocess);
    controller.abort();
  } catch {
  }
};
var iterateOnMessages = async function* ({ anyProcess, channel, ipcEmitter, isSubprocess, shouldAwait, controller, state, reference }) {
  try {
    for await (const [message] of on3(ipcEmitter, "message", { signal: controller.signal })) {
      throwIfStrictError(state);
      yield message;
    }
  } catch {
    throwIfStrictError(state);
  } finally {
    controller.abort();
    removeReference(channel, reference);
    if (!isSubprocess) {
      disconnect(anyProcess);
    }
    if (shouldAwait) {
      await anyProcess;
    }
  }
};
var throwIfStrictError = ({ error }) => {
  if (error) {
    throw error;
  }
};

// node_modules/execa/lib/ipc/methods.js
var addIpcMethods = (subprocess, { ipc }) => {
  Object.assign(subprocess, getIpcMethods(subprocess, false, ipc));
};
var getIpcExport = () => {
  const anyProcess = process8;
  const isSubprocess = true;
  const ipc = process8.channel !== void 0;
  return {
    ...getIpcMethods(anyProcess, isSubprocess, ipc),
    getCancelSignal: getCancelSignal.bind(void 0, {
      anyProcess,
      channel: anyProcess.channel,
      isSubprocess,
      ipc
    })
  };
};
var getIpcMethods = (anyProcess, isSubprocess, ipc) => ({
  sendMessage: sendMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  }),
  getOneMessage: getOneMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  }),
  getEachMessage: getEachMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  })
});

// node_modules/execa/lib/return/early-error.js
import { ChildProcess as ChildProcess2 } from "node:child_process";
import {
  PassThrough,
  Readable,
  Writable,
  Duplex
} from "node:stream";
var handleEarlyError = ({ error, command, escapedCommand, fileDescriptors, options, startTime, verboseInfo }) => {
  cleanupCustomStreams(fileDescriptors);
  const subprocess = new ChildProcess2();
  createDummyStreams(subprocess, fileDescriptors);
  Object.assign(subprocess, { readable, writable, duplex });
  const earlyError = makeEarlyError({
    error,
    command,
    escapedCommand,
    fileDescriptors,
    options,
    startTime,
    isSync: false
  });
  const promise = handleDummyPromise(earlyError, verboseInfo, options);
  return { subprocess, promise };
};
var createDummyStreams = (subprocess, fileDescriptors) => {
  const stdin = createDummyStream();
  const stdout = createDummyStream();
  const stderr = createDummyStream();
  const extraStdio = Array.from({ length: fileDescriptors.length - 3 }, createDummyStream);
  const all = createDummyStream();
  const stdio = [stdin, stdout, stderr, ...extraStdio];
  Object.assign(subprocess, {
    stdin,
    stdout,
    stderr,
    all,
    stdio
  });
};
var createDummyStream = () => {
  const stream = new PassThrough();
  stream.end();
  return stream;
};
var readable = () => new Readable({ read() {
} });
var writable = () => new Writable({ write() {
} });
var duplex = () => new Duplex({ read() {
}, write() {
} });
var handleDummyPromise = async (error, verboseInfo, options) => handleResult(error, verboseInfo, options);

// node_modules/execa/lib/stdio/handle-async.js
import { createReadStream, createWriteStream } from "node:fs";
import { Buffer as Buffer4 } from "node:buffer";
import { Readable as Readable2, Writable as Writable2, Duplex as Duplex2 } from "node:stream";
var handleStdioAsync = (options, verboseInfo) => handleStdio(addPropertiesAsync, options, verboseInfo, false);
var forbiddenIfAsync = ({ type, optionName }) => {
  throw new TypeError(`The \`${optionName}\` option cannot be ${TYPE_TO_MESSAGE[type]}.`);
};
var addProperties2 = {
  fileNumber: forbiddenIfAsync,
  generator: generatorToStream,
  asyncGenerator: generatorToStream,
  nodeStream: ({ value }) => ({ stream: value }),
  webTransform({ value: { transform, writableObjectMode, readableObjectMode } }) {
    const objectMode = writableObjectMode || readableObjectMode;
    const stream = Duplex2.fromWeb(transform, { objectMode });
    return { stream };
  },
  duplex: ({ value: { transform } }) => ({ stream: transform }),
  native() {
  }
};
var addPropertiesAsync = {
  input: {
    ...addProperties2,
    fileUrl: ({ value }) => ({ stream: createReadStream(value) }),
    filePath: ({ value: { file } }) => ({ stream: createReadStream(file) }),
    webStream: ({ value }) => ({ stream: Readable2.fromWeb(value) }),
    iterable: ({ value }) => ({ stream: Readable2.from(value) }),
    asyncIterable: ({ value }) => ({ stream: Readable2.from(value) }),
    string: ({ value }) => ({ stream: Readable2.from(value) }),
    uint8Array: ({ value }) => ({ stream: Readable2.from(Buffer4.from(value)) })
  },
  output: {
    ...addProperties2,
    fileUrl: ({ value }) => ({ stream: createWriteStream(value) }),
    filePath: ({ value: { file, append } }) => ({ stream: createWriteStream(file, append ? { flags: "a" } : {}) }),
    webStream: ({ value }) => ({ stream: Writable2.fromWeb(value) }),
    iterable: forbiddenIfAsync,
    asyncIterable: forbiddenIfAsync,
    string: forbiddenIfAsync,
    uint8Array: forbiddenIfAsync
  }
};

// node_modules/@sindresorhus/merge-streams/index.js
import { on as on4, once as once7 } from "node:events";
import { PassThrough as PassThroughStream, getDefaultHighWaterMark as getDefaultHighWaterMark2 } from "node:stream";
import { finished as finished2 } from "node:stream/promises";
function mergeStreams(streams) {
  if (!Array.isArray(streams)) {
    throw new TypeError(`Expected an array, got \`${typeof streams}\`.`);
  }
  for (const stream of streams) {
    validateStream(stream);
  }
  const objectMode = streams.some(({ readableObjectMode }) => readableObjectMode);
  const highWaterMark = getHighWaterMark(streams, objectMode);
  const passThroughStream = new MergedStream({
    objectMode,
    writableHighWaterMark: highWaterMark,
    readableHighWaterMark: highWaterMark
  });
  for (const stream of streams) {
    passThroughStream.add(stream);
  }
  return passThroughStream;
}
var getHighWaterMark = (streams, objectMode) => {
  if (streams.length === 0) {
    return getDefaultHighWaterMark2(objectMode);
  }
  const highWaterMarks = streams.filter(({ readableObjectMode }) => readableObjectMode === objectMode).map(({ readableHighWaterMark }) => readableHighWaterMark);
  return Math.max(...highWaterMarks);
};
var MergedStream = class extends PassThroughStream {
  #streams = /* @__PURE__ */ new Set([]);
  #ended = /* @__PURE__ */ new Set([]);
  #aborted = /* @__PURE__ */ new Set([]);
  #onFinished;
  #unpipeEvent = /* @__PURE__ */ Symbol("unpipe");
  #streamPromises = /* @__PURE__ */ new WeakMap();
  add(stream) {
    validateStream(stream);
    if (this.#streams.has(stream)) {
      return;
    }
    this.#streams.add(stream);
    this.#onFinished ??= onMergedStreamFinished(this, this.#streams, this.#unpipeEvent);
    const streamPromise = endWhenStreamsDone({
      passThroughStream: this,
      stream,
      streams: this.#streams,
      ended: this.#ended,
      aborted: this.#aborted,
      onFinished: this.#onFinished,
      unpipeEvent: this.#unpipeEvent
    });
    this.#streamPromises.set(stream, streamPromise);
    stream.pipe(this, { end: false });
  }
  async remove(stream) {
    validateStream(stream);
    if (!this.#streams.has(stream)) {
      return false;
    }
    const streamPromise = this.#streamPromises.get(stream);
    if (streamPromise === void 0) {
      return false;
    }
    this.#streamPromises.delete(stream);
    stream.unpipe(this);
    await streamPromise;
    return true;
  }
};
var onMergedStreamFinished = async (passThroughStream, streams, unpipeEvent) => {
  updateMaxListeners(passThroughStream, PASSTHROUGH_LISTENERS_COUNT);
  const controller = new AbortController();
  try {
    await Promise.race([
      onMergedStreamEnd(passThroughStream, controller),
      onInputStreamsUnpipe(passThroughStream, streams, unpipeEvent, controller)
    ]);
  } finally {
    controller.abort();
    updateMaxListeners(passThroughStream, -PASSTHROUGH_LISTENERS_COUNT);
  }
};
var onMergedStreamEnd = async (passThroughStream, { signal }) => {
  try {
    await finished2(passThroughStream, { signal, cleanup: true });
  } catch (error) {
    errorOrAbortStream(passThroughStream, error);
    throw error;
  }
};
var onInputStreamsUnpipe = async (passThroughStream, streams, unpipeEvent, { signal }) => {
  for await (const [unpipedStream] of on4(passThroughStream, "unpipe", { signal })) {
    if (streams.has(unpipedStream)) {
      unpipedStream.emit(unpipeEvent);
    }
  }
};
var validateStream = (stream) => {
  if (typeof stream?.pipe !== "function") {
    throw new TypeError(`Expected a readable stream, got: \`${typeof stream}\`.`);
  }
};
var endWhenStreamsDone = async ({ passThroughStream, stream, streams, ended, aborted: aborted2, onFinished, unpipeEvent }) => {
  updateMaxListeners(passThroughStream, PASSTHROUGH_LISTENERS_PER_STREAM);
  const controller = new AbortController();
  try {
    await Promise.race([
      afterMergedStreamFinished(onFinished, stream, controller),
      onInputStreamEnd({
        passThroughStream,
        stream,
        streams,
        ended,
        aborted: aborted2,
        controller
      }),
      onInputStreamUnpipe({
        stream,
        streams,
        ended,
        aborted: aborted2,
        unpipeEvent,
        controller
      })
    ]);
  } finally {
    controller.abort();
    updateMaxListeners(passThroughStream, -PASSTHROUGH_LISTENERS_PER_STREAM);
  }
  if (streams.size > 0 && streams.size === ended.size + aborted2.size) {
    if (ended.size === 0 && aborted2.size > 0) {
      abortStream(passThroughStream);
    } else {
      endStream(passThroughStream);
    }
  }
};
var afterMergedStreamFinished = async (onFinished, stream, { signal }) => {
  try {
    await onFinished;
    if (!signal.aborted) {
      abortStream(stream);
    }
  } catch (error) {
    if (!signal.aborted) {
      errorOrAbortStream(stream, error);
    }
  }
};
var onInputStreamEnd = async ({ passThroughStream, stream, streams, ended, aborted: aborted2, controller: { signal } }) => {
  try {
    await finished2(stream, {
      signal,
      cleanup: true,
      readable: true,
      writable: false
    });
    if (streams.has(stream)) {
      ended.add(stream);
    }
  } catch (error) {
    if (signal.aborted || !streams.has(stream)) {
      return;
    }
    if (isAbortError(error)) {
      aborted2.add(stream);
    } else {
      errorStream(passThroughStream, error);
    }
  }
};
var onInputStreamUnpipe = async ({ stream, streams, ended, aborted: aborted2, unpipeEvent, controller: { signal } }) => {
  await once7(stream, unpipeEvent, { signal });
  if (!stream.readable) {
    return once7(signal, "abort", { signal });
  }
  streams.delete(stream);
  ended.delete(stream);
  aborted2.delete(stream);
};
var endStream = (stream) => {
  if (stream.writable) {
    stream.end();
  }
};
var errorOrAbortStream = (stream, error) => {
  if (isAbortError(error)) {
    abortStream(stream);
  } else {
    errorStream(stream, error);
  }
};
var isAbortError = (error) => error?.code === "ERR_STREAM_PREMATURE_CLOSE";
var abortStream = (stream) => {
  if (stream.readable || stream.writable) {
    stream.destroy();
  }
};
var errorStream = (stream, error) => {
  if (!stream.destroyed) {
    stream.once("error", noop2);
    stream.destroy(error);
  }
};
var noop2 = () => {
};
var updateMaxListeners = (passThroughStream, increment2) => {
  const maxListeners = passThroughStream.getMaxListeners();
  if (maxListeners !== 0 && maxListeners !== Number.POSITIVE_INFINITY) {
    passThroughStream.setMaxListeners(maxListeners + increment2);
  }
};
var PASSTHROUGH_LISTENERS_COUNT = 2;
var PASSTHROUGH_LISTENERS_PER_STREAM = 1;

// node_modules/execa/lib/io/pipeline.js
import { finished as finished3 } from "node:stream/promises";
var pipeStreams = (source, destination) => {
  source.pipe(destination);
  onSourceFinish(source, destination);
  onDestinationFinish(source, destination);
};
var onSourceFinish = async (source, destination) => {
  if (isStandardStream(source) || isStandardStream(destination)) {
    return;
  }
  try {
    await finished3(source, { cleanup: true, readable: true, writable: false });
  } catch {
  }
  endDestinationStream(destination);
};
var endDestinationStream = (destination) => {
  if (destination.writable) {
    destination.end();
  }
};
var onDestinationFinish = async (source, destination) => {
  if (isStandardStream(source) || isStandardStream(destination)) {
    return;
  }
  try {
    await finished3(destination, { cleanup: true, readable: false, writable: true });
  } catch {
  }
  abortSourceStream(source);
};
var abortSourceStream = (source) => {
  if (source.readable) {
    source.destroy();
  }
};

// node_modules/execa/lib/io/output-async.js
var pipeOutputAsync = (subprocess, fileDescriptors, controller) => {
  const pipeGroups = /* @__PURE__ */ new Map();
  for (const [fdNumber, { stdioItems, direction }] of Object.entries(fileDescriptors)) {
    for (const { stream } of stdioItems.filter(({ type }) => TRANSFORM_TYPES.has(type))) {
      pipeTransform(subprocess, stream, direction, fdNumber);
    }
    for (const { stream } of stdioItems.filter(({ type }) => !TRANSFORM_TYPES.has(type))) {
      pipeStdioItem({
        subprocess,
        stream,
        direction,
        fdNumber,
        pipeGroups,
        controller
      });
    }
  }
  for (const [outputStream, inputStreams] of pipeGroups.entries()) {
    const inputStream = inputStreams.length === 1 ? inputStreams[0] : mergeStreams(inputStreams);
    pipeStreams(inputStream, outputStream);
  }
};
var pipeTransform = (subprocess, stream, direction, fdNumber) => {
  if (direction === "output") {
    pipeStreams(subprocess.stdio[fdNumber], stream);
  } else {
    pipeStreams(stream, subprocess.stdio[fdNumber]);
  }
  const streamProperty = SUBPROCESS_STREAM_PROPERTIES[fdNumber];
  if (streamProperty !== void 0) {
    subprocess[streamProperty] = stream;
  }
  subprocess.stdio[fdNumber] = stream;
};
var SUBPROCESS_STREAM_PROPERTIES = ["stdin", "stdout", "stderr"];
var pipeStdioItem = ({ subprocess, stream, direction, fdNumber, pipeGroups, controller }) => {
  if (stream === void 0) {
    return;
  }
  setStandardStreamMaxListeners(stream, controller);
  const [inputStream, outputStream] = direction === "output" ? [stream, subprocess.stdio[fdNumber]] : [subprocess.stdio[fdNumber], stream];
  const outputStreams = pipeGroups.get(inputStream) ?? [];
  pipeGroups.set(inputStream, [...outputStreams, outputStream]);
};
var setStandardStreamMaxListeners = (stream, { signal }) => {
  if (isStandardStream(stream)) {
    incrementMaxListeners(stream, MAX_LISTENERS_INCREMENT, signal);
  }
};
var MAX_LISTENERS_INCREMENT = 2;

// node_modules/execa/lib/terminate/cleanup.js
import { addAbortListener as addAbortListener2 } from "node:events";

// node_modules/signal-exit/dist/mjs/signals.js
var signals = [];
signals.push("SIGHUP", "SIGINT", "SIGTERM");
if (process.platform !== "win32") {
  signals.push(
    "SIGALRM",
    "SIGABRT",
    "SIGVTALRM",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGUSR2",
    "SIGTRAP",
    "SIGSYS",
    "SIGQUIT",
    "SIGIOT"
    // should detect profiler and enable/disable accordingly.
    // see #21
    // 'SIGPROF'
  );
}
if (process.platform === "linux") {
  signals.push("SIGIO", "SIGPOLL", "SIGPWR", "SIGSTKFLT");
}

// node_modules/signal-exit/dist/mjs/index.js
var processOk = (process10) => !!process10 && typeof process10 === "object" && typeof process10.removeListener === "function" && typeof process10.emit === "function" && typeof process10.reallyExit === "function" && typeof process10.listeners === "function" && typeof process10.kill === "function" && typeof process10.pid === "number" && typeof process10.on === "function";
var kExitEmitter = /* @__PURE__ */ Symbol.for("signal-exit emitter");
var global2 = globalThis;
var ObjectDefineProperty = Object.defineProperty.bind(Object);
var Emitter = class {
  emitted = {
    afterExit: false,
    exit: false
  };
  listeners = {
    afterExit: [],
    exit: []
  };
  count = 0;
  id = Math.random();
  constructor() {
    if (global2[kExitEmitter]) {
      return global2[kExitEmitter];
    }
    ObjectDefineProperty(global2, kExitEmitter, {
      value: this,
      writable: false,
      enumerable: false,
      configurable: false
    });
  }
  on(ev, fn) {
    this.listeners[ev].push(fn);
  }
  removeListener(ev, fn) {
    const list = this.listeners[ev];
    const i2 = list.indexOf(fn);
    if (i2 === -1) {
      return;
    }
    if (i2 === 0 && list.length === 1) {
      list.length = 0;
    } else {
      list.splice(i2, 1);
    }
  }
  emit(ev, code, signal) {
    if (this.emitted[ev]) {
      return false;
    }
    this.emitted[ev] = true;
    let ret = false;
    for (const fn of this.listeners[ev]) {
      ret = fn(code, signal) === true || ret;
    }
    if (ev === "exit") {
      ret = this.emit("afterExit", code, signal) || ret;
    }
    return ret;
  }
};
var SignalExitBase = class {
};
var signalExitWrap = (handler) => {
  return {
    onExit(cb, opts) {
      return handler.onExit(cb, opts);
    },
    load() {
      return handler.load();
    },
    unload() {
      return handler.unload();
    }
  };
};
var SignalExitFallback = class extends SignalExitBase {
  onExit() {
    return () => {
    };
  }
  load() {
  }
  unload() {
  }
};
var SignalExit = class extends SignalExitBase {
  // "SIGHUP" throws an `ENOSYS` error on Windows,
  // so use a supported signal instead
  /* c8 ignore start */
  #hupSig = process9.platform === "win32" ? "SIGINT" : "SIGHUP";
  /* c8 ignore stop */
  #emitter = new Emitter();
  #process;
  #originalProcessEmit;
  #originalProcessReallyExit;
  #sigListeners = {};
  #loaded = false;
  constructor(process10) {
    super();
    this.#process = process10;
    this.#sigListeners = {};
    for (const sig of signals) {
      this.#sigListeners[sig] = () => {
        const listeners = this.#process.listeners(sig);
        let { count: count2 } = this.#emitter;
        const p = process10;
        if (typeof p.__signal_exit_emitter__ === "object" && typeof p.__signal_exit_emitter__.count === "number") {
          count2 += p.__signal_exit_emitter__.count;
        }
        if (listeners.length === count2) {
          this.unload();
          const ret = this.#emitter.emit("exit", null, sig);
          const s = sig === "SIGHUP" ? this.#hupSig : sig;
          if (!ret)
            process10.kill(process10.pid, s);
        }
      };
    }
    this.#originalProcessReallyExit = process10.reallyExit;
    this.#originalProcessEmit = process10.emit;
  }
  onExit(cb, opts) {
    if (!processOk(this.#process)) {
      return () => {
      };
    }
    if (this.#loaded === false) {
      this.load();
    }
    const ev = opts?.alwaysLast ? "afterExit" : "exit";
    this.#emitter.on(ev, cb);
    return () => {
      this.#emitter.removeListener(ev, cb);
      if (this.#emitter.listeners["exit"].length === 0 && this.#emitter.listeners["afterExit"].length === 0) {
        this.unload();
      }
    };
  }
  load() {
    if (this.#loaded) {
      return;
    }
    this.#loaded = true;
    this.#emitter.count += 1;
    for (const sig of signals) {
      try {
        const fn = this.#sigListeners[sig];
        if (fn)
          this.#process.on(sig, fn);
      } catch (_) {
      }
    }
    this.#process.emit = (ev, ...a2) => {
      return this.#processEmit(ev, ...a2);
    };
    this.#process.reallyExit = (code) => {
      return this.#processReallyExit(code);
    };
  }
  unload() {
    if (!this.#loaded) {
      return;
    }
    this.#loaded = false;
    signals.forEach((sig) => {
      const listener = this.#sigListeners[sig];
      if (!listener) {
        throw new Error("Listener not defined for signal: " + sig);
      }
      try {
        this.#process.removeListener(sig, listener);
      } catch (_) {
      }
    });
    this.#process.emit = this.#originalProcessEmit;
    this.#process.reallyExit = this.#originalProcessReallyExit;
    this.#emitter.count -= 1;
  }
  #processReallyExit(code) {
    if (!processOk(this.#process)) {
      return 0;
    }
    this.#process.exitCode = code || 0;
    this.#emitter.emit("exit", this.#process.exitCode, null);
    return this.#originalProcessReallyExit.call(this.#process, this.#process.exitCode);
  }
  #processEmit(ev, ...args) {
    const og = this.#originalProcessEmit;
    if (ev === "exit" && processOk(this.#process)) {
      if (typeof args[0] === "number") {
        this.#process.exitCode = args[0];
      }
      const ret = og.call(this.#process, ev, ...args);
      this.#emitter.emit("exit", this.#process.exitCode, null);
      return ret;
    } else {
      return og.call(this.#process, ev, ...args);
    }
  }
};
var process9 = globalThis.process;
var {
  /**
   * Called when the process is exiting, whether via signal, explicit
   * exit, or running out of stuff to do.
   *
   * If the global process object is not suitable for instrumentation,
   * then this will be a no-op.
   *
   * Returns a function that may be used to unload signal-exit.
   */
  onExit,
  /**
   * Load the listeners.  Likely you never need to call this, unless
   * doing a rather deep integration with signal-exit functionality.
   * Mostly exposed for the benefit of testing.
   *
   * @internal
   */
  load,
  /**
   * Unload the listeners.  Likely you never need to call this, unless
   * doing a rather deep integration with signal-exit functionality.
   * Mostly exposed for the benefit of testing.
   *
   * @internal
   */
  unload
} = signalExitWrap(processOk(process9) ? new SignalExit(process9) : new SignalExitFallback());

// node_modules/execa/lib/terminate/cleanup.js
var cleanupOnExit = (subprocess, { cleanup, detached }, { signal }) => {
  if (!cleanup || detached) {
    return;
  }
  const removeExitHandler = onExit(() => {
    subprocess.kill();
  });
  addAbortListener2(signal, () => {
    removeExitHandler();
  });
};

// node_modules/execa/lib/pipe/pipe-arguments.js
var normalizePipeArguments = ({ source, sourcePromise, boundOptions, createNested }, ...pipeArguments) => {
  const startTime = getStartTime();
  const {
    destination,
    destinationStream,
    destinationError,
    from,
    unpipeSignal
  } = getDestinationStream(boundOptions, createNested, pipeArguments);
  const { sourceStream, sourceError } = getSourceStream(source, from);
  const { options: sourceOptions, fileDescriptors } = SUBPROCESS_OPTIONS.get(source);
  return {
    sourcePromise,
    sourceStream,
    sourceOptions,
    sourceError,
    destination,
    destinationStream,
    destinationError,
    unpipeSignal,
    fileDescriptors,
    startTime
  };
};
var getDestinationStream = (boundOptions, createNested, pipeArguments) => {
  try {
    const {
      destination,
      pipeOptions: { from, to, unpipeSignal } = {}
    } = getDestination(boundOptions, createNested, ...pipeArguments);
    const destinationStream = getToStream(destination, to);
    return {
      destination,
      destinationStream,
      from,
      unpipeSignal
    };
  } catch (error) {
    return { destinationError: error };
  }
};
var getDestination = (boundOptions, createNested, firstArgument, ...pipeArguments) => {
  if (Array.isArray(firstArgument)) {
    const destination = createNested(mapDestinationArguments, boundOptions)(firstArgument, ...pipeArguments);
    return { destination, pipeOptions: boundOptions };
  }
  if (typeof firstArgument === "string" || firstArgument instanceof URL || isDenoExecPath(firstArgument)) {
    if (Object.keys(boundOptions).length > 0) {
      throw new TypeError('Please use .pipe("file", ..., options) or .pipe(execa("file", ..., options)) instead of .pipe(options)("file", ...).');
    }
    const [rawFile, rawArguments, rawOptions] = normalizeParameters(firstArgument, ...pipeArguments);
    const destination = createNested(mapDestinationArguments)(rawFile, rawArguments, rawOptions);
    return { destination, pipeOptions: rawOptions };
  }
  if (SUBPROCESS_OPTIONS.has(firstArgument)) {
    if (Object.keys(boundOptions).length > 0) {
      throw new TypeError("Please use .pipe(options)`command` or .pipe($(options)`command`) instead of .pipe(options)($`command`).");
    }
    return { destination: firstArgument, pipeOptions: pipeArguments[0] };
  }
  throw new TypeError(`The first argument must be a template string, an options object, or an Execa subprocess: ${firstArgument}`);
};
var mapDestinationArguments = ({ options }) => ({ options: { ...options, stdin: "pipe", piped: true } });
var getSourceStream = (source, from) => {
  try {
    const sourceStream = getFromStream(source, from);
    return { sourceStream };
  } catch (error) {
    return { sourceError: error };
  }
};

// node_modules/execa/lib/pipe/throw.js
var handlePipeArgumentsError = ({
  sourceStream,
  sourceError,
  destinationStream,
  destinationError,
  fileDescriptors,
  sourceOptions,
  startTime
}) => {
  const error = getPipeArgumentsError({
    sourceStream,
    sourceError,
    destinationStream,
    destinationError
  });
  if (error !== void 0) {
    throw createNonCommandError({
      error,
      fileDescriptors,
      sourceOptions,
      startTime
    });
  }
};
var getPipeArgumentsError = ({ sourceStream, sourceError, destinationStream, destinationError }) => {
  if (sourceError !== void 0 && destinationError !== void 0) {
    return destinationError;
  }
  if (destinationError !== void 0) {
    abortSourceStream(sourceStream);
    return destinationError;
  }
  if (sourceError !== void 0) {
    endDestinationStream(destinationStream);
    return sourceError;
  }
};
var createNonCommandError = ({ error, fileDescriptors, sourceOptions, startTime }) => makeEarlyError({
  error,
  command: PIPE_COMMAND_MESSAGE,
  escapedCommand: PIPE_COMMAND_MESSAGE,
  fileDescriptors,
  options: sourceOptions,
  startTime,
  isSync: false
});
var PIPE_COMMAND_MESSAGE = "source.pipe(destination)";

// node_modules/execa/lib/pipe/sequence.js
var waitForBothSubprocesses = async (subprocessPromises) => {
  const [
    { status: sourceStatus, reason: sourceReason, value: sourceResult = sourceReason },
    { status: destinationStatus, reason: destinationReason, value: destinationResult = destinationReason }
  ] = await subprocessPromises;
  if (!destinationResult.pipedFrom.includes(sourceResult)) {
    destinationResult.pipedFrom.push(sourceResult);
  }
  if (destinationStatus === "rejected") {
    throw destinationResult;
  }
  if (sourceStatus === "rejected") {
    throw sourceResult;
  }
  return destinationResult;
};

// node_modules/execa/lib/pipe/streaming.js
import { finished as finished4 } from "node:stream/promises";
var pipeSubprocessStream = (sourceStream, destinationStream, maxListenersController) => {
  const mergedStream = MERGED_STREAMS.has(destinationStream) ? pipeMoreSubprocessStream(sourceStream, destinationStream) : pipeFirstSubprocessStream(sourceStream, destinationStream);
  incrementMaxListeners(sourceStream, SOURCE_LISTENERS_PER_PIPE, maxListenersController.signal);
  incrementMaxListeners(destinationStream, DESTINATION_LISTENERS_PER_PIPE, maxListenersController.signal);
  cleanupMergedStreamsMap(destinationStream);
  return mergedStream;
};
var pipeFirstSubprocessStream = (sourceStream, destinationStream) => {
  const mergedStream = mergeStreams([sourceStream]);
  pipeStreams(mergedStream, destinationStream);
  MERGED_STREAMS.set(destinationStream, mergedStream);
  return mergedStream;
};
var pipeMoreSubprocessStream = (sourceStream, destinationStream) => {
  const mergedStream = MERGED_STREAMS.get(destinationStream);
  mergedStream.add(sourceStream);
  return mergedStream;
};
var cleanupMergedStreamsMap = async (destinationStream) => {
  try {
    await finished4(destinationStream, { cleanup: true, readable: false, writable: true });
  } catch {
  }
  MERGED_STREAMS.delete(destinationStream);
};
var MERGED_STREAMS = /* @__PURE__ */ new WeakMap();
var SOURCE_LISTENERS_PER_PIPE = 2;
var DESTINATION_LISTENERS_PER_PIPE = 1;

// node_modules/execa/lib/pipe/abort.js
import { aborted } from "node:util";
var unpipeOnAbort = (unpipeSignal, unpipeContext) => unpipeSignal === void 0 ? [] : [unpipeOnSignalAbort(unpipeSignal, unpipeContext)];
var unpipeOnSignalAbort = async (unpipeSignal, { sourceStream, mergedStream, fileDescriptors, sourceOptions, startTime }) => {
  await aborted(unpipeSignal, sourceStream);
  await mergedStream.remove(sourceStream);
  const error = new Error("Pipe canceled by `unpipeSignal` option.");
  throw createNonCommandError({
    error,
    fileDescriptors,
    sourceOptions,
    startTime
  });
};

// node_modules/execa/lib/pipe/setup.js
var pipeToSubprocess = (sourceInfo, ...pipeArguments) => {
  if (isPlainObject(pipeArguments[0])) {
    return pipeToSubprocess.bind(void 0, {
      ...sourceInfo,
      boundOptions: { ...sourceInfo.boundOptions, ...pipeArguments[0] }
    });
  }
  const { destination, ...normalizedInfo } = normalizePipeArguments(sourceInfo, ...pipeArguments);
  const promise = handlePipePromise({ ...normalizedInfo, destination });
  promise.pipe = pipeToSubprocess.bind(void 0, {
    ...sourceInfo,
    source: destination,
    sourcePromise: promise,
    boundOptions: {}
  });
  return promise;
};
var handlePipePromise = async ({
  sourcePromise,
  sourceStream,
  sourceOptions,
  sourceError,
  destination,
  destinationStream,
  destinationError,
  unpipeSignal,
  fileDescriptors,
  startTime
}) => {
  const subprocessPromises = getSubprocessPromises(sourcePromise, destination);
  handlePipeArgumentsError({
    sourceStream,
    sourceError,
    destinationStream,
    destinationError,
    fileDescriptors,
    sourceOptions,
    startTime
  });
  const maxListenersController = new AbortController();
  try {
    const mergedStream = pipeSubprocessStream(sourceStream, destinationStream, maxListenersController);
    return await Promise.race([
      waitForBothSubprocesses(subprocessPromises),
      ...unpipeOnAbort(unpipeSignal, {
        sourceStream,
        mergedStream,
        sourceOptions,
        fileDescriptors,
        startTime
      })
    ]);
  } finally {
    maxListenersController.abort();
  }
};
var getSubprocessPromises = (sourcePromise, destination) => Promise.allSettled([sourcePromise, destination]);

// node_modules/execa/lib/io/contents.js
import { setImmediate } from "node:timers/promises";

// node_modules/execa/lib/io/iterate.js
import { on as on5 } from "node:events";
import { getDefaultHighWaterMark as getDefaultHighWaterMark3 } from "node:stream";
var iterateOnSubprocessStream = ({ subprocessStdout, subprocess, binary, shouldEncode, encoding, preserveNewlines }) => {
  const controller = new AbortController();
  stopReadingOnExit(subprocess, controller);
  return iterateOnStream({
    stream: subprocessStdout,
    controller,
    binary,
    shouldEncode: !subprocessStdout.readableObjectMode && shouldEncode,
    encoding,
    shouldSplit: !subprocessStdout.readableObjectMode,
    preserveNewlines
  });
};
var stopReadingOnExit = async (subprocess, controller) => {
  try {
    await subprocess;
  } catch {
  } finally {
    controller.abort();
  }
};
var iterateForResult = ({ stream, onStreamEnd, lines, encoding, stripFinalNewline: stripFinalNewline2, allMixed }) => {
  const controller = new AbortController();
  stopReadingOnStreamEnd(onStreamEnd, controller, stream);
  const objectMode = stream.readableObjectMode && !allMixed;
  return iterateOnStream({
    stream,
    controller,
    binary: encoding === "buffer",
    shouldEncode: !objectMode,
    encoding,
    shouldSplit: !objectMode && lines,
    preserveNewlines: !stripFinalNewline2
  });
};
var stopReadingOnStreamEnd = async (onStreamEnd, controller, stream) => {
  try {
    await onStreamEnd;
  } catch {
    stream.destroy();
  } finally {
    controller.abort();
  }
};
var iterateOnStream = ({ stream, controller, binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) => {
  const onStdoutChunk = on5(stream, "data", {
    signal: controller.signal,
    highWaterMark: HIGH_WATER_MARK,
    // Backward compatibility with older name for this option
    // See https://github.com/nodejs/node/pull/52080#discussion_r1525227861
    // @todo Remove after removing support for Node 21
    highWatermark: HIGH_WATER_MARK
  });
  return iterateOnData({
    onStdoutChunk,
    controller,
    binary,
    shouldEncode,
    encoding,
    shouldSplit,
    preserveNewlines
  });
};
var DEFAULT_OBJECT_HIGH_WATER_MARK = getDefaultHighWaterMark3(true);
var HIGH_WATER_MARK = DEFAULT_OBJECT_HIGH_WATER_MARK;
var iterateOnData = async function* ({ onStdoutChunk, controller, binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) {
  const generators = getGenerators({
    binary,
    shouldEncode,
    encoding,
    shouldSplit,
    preserveNewlines
  });
  try {
    for await (const [chunk] of onStdoutChunk) {
      yield* transformChunkSync(chunk, generators, 0);
    }
  } catch (error) {
    if (!controller.signal.aborted) {
      throw error;
    }
  } finally {
    yield* finalChunksSync(generators);
  }
};
var getGenerators = ({ binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) => [
  getEncodingTransformGenerator(binary, encoding, !shouldEncode),
  getSplitLinesGenerator(binary, preserveNewlines, !shouldSplit, {})
].filter(Boolean);

// node_modules/execa/lib/io/contents.js
var getStreamOutput = async ({ stream, onStreamEnd, fdNumber, encoding, buffer, maxBuffer, lines, allMixed, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => {
  const logPromise = logOutputAsync({
    stream,
    onStreamEnd,
    fdNumber,
    encoding,
    allMixed,
    verboseInfo,
    streamInfo
  });
  if (!buffer) {
    await Promise.all([resumeStream(stream), logPromise]);
    return;
  }
  const stripFinalNewlineValue = getStripFinalNewline(stripFinalNewline2, fdNumber);
  const iterable = iterateForResult({
    stream,
    onStreamEnd,
    lines,
    encoding,
    stripFinalNewline: stripFinalNewlineValue,
    allMixed
  });
  const [output] = await Promise.all([
    getStreamContents2({
      stream,
      iterable,
      fdNumber,
      encoding,
      maxBuffer,
      lines
    }),
    logPromise
  ]);
  return output;
};
var logOutputAsync = async ({ stream, onStreamEnd, fdNumber, encoding, allMixed, verboseInfo, streamInfo: { fileDescriptors } }) => {
  if (!shouldLogOutput({
    stdioItems: fileDescriptors[fdNumber]?.stdioItems,
    encoding,
    verboseInfo,
    fdNumber
  })) {
    return;
  }
  const linesIterable = iterateForResult({
    stream,
    onStreamEnd,
    lines: true,
    encoding,
    stripFinalNewline: true,
    allMixed
  });
  await logLines(linesIterable, stream, fdNumber, verboseInfo);
};
var resumeStream = async (stream) => {
  await setImmediate();
  if (stream.readableFlowing === null) {
    stream.resume();
  }
};
var getStreamContents2 = async ({ stream, stream: { readableObjectMode }, iterable, fdNumber, encoding, maxBuffer, lines }) => {
  try {
    if (readableObjectMode || lines) {
      return await getStreamAsArray(iterable, { maxBuffer });
    }
    if (encoding === "buffer") {
      return new Uint8Array(await getStreamAsArrayBuffer(iterable, { maxBuffer }));
    }
    return await getStreamAsString(iterable, { maxBuffer });
  } catch (error) {
    return handleBufferedData(handleMaxBuffer({
      error,
      stream,
      readableObjectMode,
      lines,
      encoding,
      fdNumber
    }));
  }
};
var getBufferedData = async (streamPromise) => {
  try {
    return await streamPromise;
  } catch (error) {
    return handleBufferedData(error);
  }
};
var handleBufferedData = ({ bufferedData }) => isArrayBuffer(bufferedData) ? new Uint8Array(bufferedData) : bufferedData;

// node_modules/execa/lib/resolve/wait-stream.js
import { finished as finished5 } from "node:stream/promises";
var waitForStream = async (stream, fdNumber, streamInfo, { isSameDirection, stopOnExit = false } = {}) => {
  const state = handleStdinDestroy(stream, streamInfo);
  const abortController = new AbortController();
  try {
    await Promise.race([
      ...stopOnExit ? [streamInfo.exitPromise] : [],
      finished5(stream, { cleanup: true, signal: abortController.signal })
    ]);
  } catch (error) {
    if (!state.stdinCleanedUp) {
      handleStreamError(error, fdNumber, streamInfo, isSameDirection);
    }
  } finally {
    abortController.abort();
  }
};
var handleStdinDestroy = (stream, { originalStreams: [originalStdin], subprocess }) => {
  const state = { stdinCleanedUp: false };
  if (stream === originalStdin) {
    spyOnStdinDestroy(stream, subprocess, state);
  }
  return state;
};
var spyOnStdinDestroy = (subprocessStdin, subprocess, state) => {
  const { _destroy } = subprocessStdin;
  subprocessStdin._destroy = (...destroyArguments) => {
    setStdinCleanedUp(subprocess, state);
    _destroy.call(subprocessStdin, ...destroyArguments);
  };
};
var setStdinCleanedUp = ({ exitCode, signalCode }, state) => {
  if (exitCode !== null || signalCode !== null) {
    state.stdinCleanedUp = true;
  }
};
var handleStreamError = (error, fdNumber, streamInfo, isSameDirection) => {
  if (!shouldIgnoreStreamError(error, fdNumber, streamInfo, isSameDirection)) {
    throw error;
  }
};
var shouldIgnoreStreamError = (error, fdNumber, streamInfo, isSameDirection = true) => {
  if (streamInfo.propagating) {
    return isStreamEpipe(error) || isStreamAbort(error);
  }
  streamInfo.propagating = true;
  return isInputFileDescriptor(streamInfo, fdNumber) === isSameDirection ? isStreamEpipe(error) : isStreamAbort(error);
};
var isInputFileDescriptor = ({ fileDescriptors }, fdNumber) => fdNumber !== "all" && fileDescriptors[fdNumber].direction === "input";
var isStreamAbort = (error) => error?.code === "ERR_STREAM_PREMATURE_CLOSE";
var isStreamEpipe = (error) => error?.code === "EPIPE";

// node_modules/execa/lib/resolve/stdio.js
var waitForStdioStreams = ({ subprocess, encoding, buffer, maxBuffer, lines, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => subprocess.stdio.map((stream, fdNumber) => waitForSubprocessStream({
  stream,
  fdNumber,
  encoding,
  buffer: buffer[fdNumber],
  maxBuffer: maxBuffer[fdNumber],
  lines: lines[fdNumber],
  allMixed: false,
  stripFinalNewline: stripFinalNewline2,
  verboseInfo,
  streamInfo
}));
var waitForSubprocessStream = async ({ stream, fdNumber, encoding, buffer, maxBuffer, lines, allMixed, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => {
  if (!stream) {
    return;
  }
  const onStreamEnd = waitForStream(stream, fdNumber, streamInfo);
  if (isInputFileDescriptor(streamInfo, fdNumber)) {
    await onStreamEnd;
    return;
  }
  const [output] = await Promise.all([
    getStreamOutput({
      stream,
      onStreamEnd,
      fdNumber,
      encoding,
      buffer,
      maxBuffer,
      lines,
      allMixed,
      stripFinalNewline: stripFinalNewline2,
      verboseInfo,
      streamInfo
    }),
    onStreamEnd
  ]);
  return output;
};

// node_modules/execa/lib/resolve/all-async.js
var makeAllStream = ({ stdout, stderr }, { all }) => all && (stdout || stderr) ? mergeStreams([stdout, stderr].filter(Boolean)) : void 0;
var waitForAllStream = ({ subprocess, encoding, buffer, maxBuffer, lines, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => waitForSubprocessStream({
  ...getAllStream(subprocess, buffer),
  fdNumber: "all",
  encoding,
  maxBuffer: maxBuffer[1] + maxBuffer[2],
  lines: lines[1] || lines[2],
  allMixed: getAllMixed(subprocess),
  stripFinalNewline: stripFinalNewline2,
  verboseInfo,
  streamInfo
});
var getAllStream = ({ stdout, stderr, all }, [, bufferStdout, bufferStderr]) => {
  const buffer = bufferStdout || bufferStderr;
  if (!buffer) {
    return { stream: all, buffer };
  }
  if (!bufferStdout) {
    return { stream: stderr, buffer };
  }
  if (!bufferStderr) {
    return { stream: stdout, buffer };
  }
  return { stream: all, buffer };
};
var getAllMixed = ({ all, stdout, stderr }) => all && stdout && stderr && stdout.readableObjectMode !== stderr.readableObjectMode;

// node_modules/execa/lib/resolve/wait-subprocess.js
import { once as once8 } from "node:events";

// node_modules/execa/lib/verbose/ipc.js
var shouldLogIpc = (verboseInfo) => isFullVerbose(verboseInfo, "ipc");
var logIpcOutput = (message, verboseInfo) => {
  const verboseMessage = serializeVerboseMessage(message);
  verboseLog({
    type: "ipc",
    verboseMessage,
    fdNumber: "ipc",
    verboseInfo
  });
};

// node_modules/execa/lib/ipc/buffer-messages.js
var waitForIpcOutput = async ({
  subprocess,
  buffer: bufferArray,
  maxBuffer: maxBufferArray,
  ipc,
  ipcOutput,
  verboseInfo
}) => {
  if (!ipc) {
    return ipcOutput;
  }
  const isVerbose2 = shouldLogIpc(verboseInfo);
  const buffer = getFdSpecificValue(bufferArray, "ipc");
  const maxBuffer = getFdSpecificValue(maxBufferArray, "ipc");
  for await (const message of loopOnMessages({
    anyProcess: subprocess,
    channel: subprocess.channel,
    isSubprocess: false,
    ipc,
    shouldAwait: false,
    reference: true
  })) {
    if (buffer) {
      checkIpcMaxBuffer(subprocess, ipcOutput, maxBuffer);
      ipcOutput.push(message);
    }
    if (isVerbose2) {
      logIpcOutput(message, verboseInfo);
    }
  }
  return ipcOutput;
};
var getBufferedIpcOutput = async (ipcOutputPromise, ipcOutput) => {
  await Promise.allSettled([ipcOutputPromise]);
  return ipcOutput;
};

// node_modules/execa/lib/resolve/wait-subprocess.js
var waitForSubprocessResult = async ({
  subprocess,
  options: {
    encoding,
    buffer,
    maxBuffer,
    lines,
    timeoutDuration: timeout,
    cancelSignal,
    gracefulCancel,
    forceKillAfterDelay,
    stripFinalNewline: stripFinalNewline2,
    ipc,
    ipcInput
  },
  context,
  verboseInfo,
  fileDescriptors,
  originalStreams,
  onInternalError,
  controller
}) => {
  const exitPromise = waitForExit(subprocess, context);
  const streamInfo = {
    originalStreams,
    fileDescriptors,
    subprocess,
    exitPromise,
    propagating: false
  };
  const stdioPromises = waitForStdioStreams({
    subprocess,
    encoding,
    buffer,
    maxBuffer,
    lines,
    stripFinalNewline: stripFinalNewline2,
    verboseInfo,
    streamInfo
  });
  const allPromise = waitForAllStream({
    subprocess,
    encoding,
    buffer,
    maxBuffer,
    lines,
    stripFinalNewline: stripFinalNewline2,
    verboseInfo,
    streamInfo
  });
  const ipcOutput = [];
  const ipcOutputPromise = waitForIpcOutput({
    subprocess,
    buffer,
    maxBuffer,
    ipc,
    ipcOutput,
    verboseInfo
  });
  const originalPromises = waitForOriginalStreams(originalStreams, subprocess, streamInfo);
  const customStreamsEndPromises = waitForCustomStreamsEnd(fileDescriptors, streamInfo);
  try {
    return await Promise.race([
      Promise.all([
        {},
        waitForSuccessfulExit(exitPromise),
        Promise.all(stdioPromises),
        allPromise,
        ipcOutputPromise,
        sendIpcInput(subprocess, ipcInput),
        ...originalPromises,
        ...customStreamsEndPromises
      ]),
      onInternalError,
      throwOnSubprocessError(subprocess, controller),
      ...throwOnTimeout(subprocess, timeout, context, controller),
      ...throwOnCancel({
        subprocess,
        cancelSignal,
        gracefulCancel,
        context,
        controller
      }),
      ...throwOnGracefulCancel({
        subprocess,
        cancelSignal,
        gracefulCancel,
        forceKillAfterDelay,
        context,
        controller
      })
    ]);
  } catch (error) {
    context.terminationReason ??= "other";
    return Promise.all([
      { error },
      exitPromise,
      Promise.all(stdioPromises.map((stdioPromise) => getBufferedData(stdioPromise))),
      getBufferedData(allPromise),
      getBufferedIpcOutput(ipcOutputPromise, ipcOutput),
      Promise.allSettled(originalPromises),
      Promise.allSettled(customStreamsEndPromises)
    ]);
  }
};
var waitForOriginalStreams = (originalStreams, subprocess, streamInfo) => originalStreams.map((stream, fdNumber) => stream === subprocess.stdio[fdNumber] ? void 0 : waitForStream(stream, fdNumber, streamInfo));
var waitForCustomStreamsEnd = (fileDescriptors, streamInfo) => fileDescriptors.flatMap(({ stdioItems }, fdNumber) => stdioItems.filter(({ value, stream = value }) => isStream(stream, { checkOpen: false }) && !isStandardStream(stream)).map(({ type, value, stream = value }) => waitForStream(stream, fdNumber, streamInfo, {
  isSameDirection: TRANSFORM_TYPES.has(type),
  stopOnExit: type === "native"
})));
var throwOnSubprocessError = async (subprocess, { signal }) => {
  const [error] = await once8(subprocess, "error", { signal });
  throw error;
};

// node_modules/execa/lib/convert/concurrent.js
var initializeConcurrentStreams = () => ({
  readableDestroy: /* @__PURE__ */ new WeakMap(),
  writableFinal: /* @__PURE__ */ new WeakMap(),
  writableDestroy: /* @__PURE__ */ new WeakMap()
});
var addConcurrentStream = (concurrentStreams, stream, waitName) => {
  const weakMap = concurrentStreams[waitName];
  if (!weakMap.has(stream)) {
    weakMap.set(stream, []);
  }
  const promises = weakMap.get(stream);
  const promise = createDeferred();
  promises.push(promise);
  const resolve11 = promise.resolve.bind(promise);
  return { resolve: resolve11, promises };
};
var waitForConcurrentStreams = async ({ resolve: resolve11, promises }, subprocess) => {
  resolve11();
  const [isSubprocessExit] = await Promise.race([
    Promise.allSettled([true, subprocess]),
    Promise.all([false, ...promises])
  ]);
  return !isSubprocessExit;
};

// node_modules/execa/lib/convert/readable.js
import { Readable as Readable3 } from "node:stream";
import { callbackify as callbackify2 } from "node:util";

// node_modules/execa/lib/convert/shared.js
import { finished as finished6 } from "node:stream/promises";
var safeWaitForSubprocessStdin = async (subprocessStdin) => {
  if (subprocessStdin === void 0) {
    return;
  }
  try {
    await waitForSubprocessStdin(subprocessStdin);
  } catch {
  }
};
var safeWaitForSubprocessStdout = async (subprocessStdout) => {
  if (subprocessStdout === void 0) {
    return;
  }
  try {
    await waitForSubprocessStdout(subprocessStdout);
  } catch {
  }
};
var waitForSubprocessStdin = async (subprocessStdin) => {
  await finished6(subprocessStdin, { cleanup: true, readable: false, writable: true });
};
var waitForSubprocessStdout = async (subprocessStdout) => {
  await finished6(subprocessStdout, { cleanup: true, readable: true, writable: false });
};
var waitForSubprocess = async (subprocess, error) => {
  await subprocess;
  if (error) {
    throw error;
  }
};
var destroyOtherStream = (stream, isOpen, error) => {
  if (error && !isStreamAbort(error)) {
    stream.destroy(error);
  } else if (isOpen) {
    stream.destroy();
  }
};

// node_modules/execa/lib/convert/readable.js
var createReadable = ({ subprocess, concurrentStreams, encoding }, { from, binary: binaryOption = true, preserveNewlines = true } = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { subprocessStdout, waitReadableDestroy } = getSubprocessStdout(subprocess, from, concurrentStreams);
  const { readableEncoding, readableObjectMode, readableHighWaterMark } = getReadableOptions(subprocessStdout, binary);
  const { read, onStdoutDataDone } = getReadableMethods({
    subprocessStdout,
    subprocess,
    binary,
    encoding,
    preserveNewlines
  });
  const readable2 = new Readable3({
    read,
    destroy: callbackify2(onReadableDestroy.bind(void 0, { subprocessStdout, subprocess, waitReadableDestroy })),
    highWaterMark: readableHighWaterMark,
    objectMode: readableObjectMode,
    encoding: readableEncoding
  });
  onStdoutFinished({
    subprocessStdout,
    onStdoutDataDone,
    readable: readable2,
    subprocess
  });
  return readable2;
};
var getSubprocessStdout = (subprocess, from, concurrentStreams) => {
  const subprocessStdout = getFromStream(subprocess, from);
  const waitReadableDestroy = addConcurrentStream(concurrentStreams, subprocessStdout, "readableDestroy");
  return { subprocessStdout, waitReadableDestroy };
};
var getReadableOptions = ({ readableEncoding, readableObjectMode, readableHighWaterMark }, binary) => binary ? { readableEncoding, readableObjectMode, readableHighWaterMark } : { readableEncoding, readableObjectMode: true, readableHighWaterMark: DEFAULT_OBJECT_HIGH_WATER_MARK };
var getReadableMethods = ({ subprocessStdout, subprocess, binary, encoding, preserveNewlines }) => {
  const onStdoutDataDone = createDeferred();
  const onStdoutData = iterateOnSubprocessStream({
    subprocessStdout,
    subprocess,
    binary,
    shouldEncode: !binary,
    encoding,
    preserveNewlines
  });
  return {
    read() {
      onRead(this, onStdoutData, onStdoutDataDone);
    },
    onStdoutDataDone
  };
};
var onRead = async (readable2, onStdoutData, onStdoutDataDone) => {
  try {
    const { value, done } = await onStdoutData.next();
    if (done) {
      onStdoutDataDone.resolve();
    } else {
      readable2.push(value);
    }
  } catch {
  }
};
var onStdoutFinished = async ({ subprocessStdout, onStdoutDataDone, readable: readable2, subprocess, subprocessStdin }) => {
  try {
    await waitForSubprocessStdout(subprocessStdout);
    await subprocess;
    await safeWaitForSubprocessStdin(subprocessStdin);
    await onStdoutDataDone;
    if (readable2.readable) {
      readable2.push(null);
    }
  } catch (error) {
    await safeWaitForSubprocessStdin(subprocessStdin);
    destroyOtherReadable(readable2, error);
  }
};
var onReadableDestroy = async ({ subprocessStdout, subprocess, waitReadableDestroy }, error) => {
  if (await waitForConcurrentStreams(waitReadableDestroy, subprocess)) {
    destroyOtherReadable(subprocessStdout, error);
    await waitForSubprocess(subprocess, error);
  }
};
var destroyOtherReadable = (stream, error) => {
  destroyOtherStream(stream, stream.readable, error);
};

// node_modules/execa/lib/convert/writable.js
import { Writable as Writable3 } from "node:stream";
import { callbackify as callbackify3 } from "node:util";
var createWritable = ({ subprocess, concurrentStreams }, { to } = {}) => {
  const { subprocessStdin, waitWritableFinal, waitWritableDestroy } = getSubprocessStdin(subprocess, to, concurrentStreams);
  const writable2 = new Writable3({
    ...getWritableMethods(subprocessStdin, subprocess, waitWritableFinal),
    destroy: callbackify3(onWritableDestroy.bind(void 0, {
      subprocessStdin,
      subprocess,
      waitWritableFinal,
      waitWritableDestroy
    })),
    highWaterMark: subprocessStdin.writableHighWaterMark,
    objectMode: subprocessStdin.writableObjectMode
  });
  onStdinFinished(subprocessStdin, writable2);
  return writable2;
};
var getSubprocessStdin = (subprocess, to, concurrentStreams) => {
  const subprocessStdin = getToStream(subprocess, to);
  const waitWritableFinal = addConcurrentStream(concurrentStreams, subprocessStdin, "writableFinal");
  const waitWritableDestroy = addConcurrentStream(concurrentStreams, subprocessStdin, "writableDestroy");
  return { subprocessStdin, waitWritableFinal, waitWritableDestroy };
};
var getWritableMethods = (subprocessStdin, subprocess, waitWritableFinal) => ({
  write: onWrite.bind(void 0, subprocessStdin),
  final: callbackify3(onWritableFinal.bind(void 0, subprocessStdin, subprocess, waitWritableFinal))
});
var onWrite = (subprocessStdin, chunk, encoding, done) => {
  if (subprocessStdin.write(chunk, encoding)) {
    done();
  } else {
    subprocessStdin.once("drain", done);
  }
};
var onWritableFinal = async (subprocessStdin, subprocess, waitWritableFinal) => {
  if (await waitForConcurrentStreams(waitWritableFinal, subprocess)) {
    if (subprocessStdin.writable) {
      subprocessStdin.end();
    }
    await subprocess;
  }
};
var onStdinFinished = async (subprocessStdin, writable2, subprocessStdout) => {
  try {
    await waitForSubprocessStdin(subprocessStdin);
    if (writable2.writable) {
      writable2.end();
    }
  } catch (error) {
    await safeWaitForSubprocessStdout(subprocessStdout);
    destroyOtherWritable(writable2, error);
  }
};
var onWritableDestroy = async ({ subprocessStdin, subprocess, waitWritableFinal, waitWritableDestroy }, error) => {
  await waitForConcurrentStreams(waitWritableFinal, subprocess);
  if (await waitForConcurrentStreams(waitWritableDestroy, subprocess)) {
    destroyOtherWritable(subprocessStdin, error);
    await waitForSubprocess(subprocess, error);
  }
};
var destroyOtherWritable = (stream, error) => {
  destroyOtherStream(stream, stream.writable, error);
};

// node_modules/execa/lib/convert/duplex.js
import { Duplex as Duplex3 } from "node:stream";
import { callbackify as callbackify4 } from "node:util";
var createDuplex = ({ subprocess, concurrentStreams, encoding }, { from, to, binary: binaryOption = true, preserveNewlines = true } = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { subprocessStdout, waitReadableDestroy } = getSubprocessStdout(subprocess, from, concurrentStreams);
  const { subprocessStdin, waitWritableFinal, waitWritableDestroy } = getSubprocessStdin(subprocess, to, concurrentStreams);
  const { readableEncoding, readableObjectMode, readableHighWaterMark } = getReadableOptions(subprocessStdout, binary);
  const { read, onStdoutDataDone } = getReadableMethods({
    subprocessStdout,
    subprocess,
    binary,
    encoding,
    preserveNewlines
  });
  const duplex2 = new Duplex3({
    read,
    ...getWritableMethods(subprocessStdin, subprocess, waitWritableFinal),
    destroy: callbackify4(onDuplexDestroy.bind(void 0, {
      subprocessStdout,
      subprocessStdin,
      subprocess,
      waitReadableDestroy,
      waitWritableFinal,
      waitWritableDestroy
    })),
    readableHighWaterMark,
    writableHighWaterMark: subprocessStdin.writableHighWaterMark,
    readableObjectMode,
    writableObjectMode: subprocessStdin.writableObjectMode,
    encoding: readableEncoding
  });
  onStdoutFinished({
    subprocessStdout,
    onStdoutDataDone,
    readable: duplex2,
    subprocess,
    subprocessStdin
  });
  onStdinFinished(subprocessStdin, duplex2, subprocessStdout);
  return duplex2;
};
var onDuplexDestroy = async ({ subprocessStdout, subprocessStdin, subprocess, waitReadableDestroy, waitWritableFinal, waitWritableDestroy }, error) => {
  await Promise.all([
    onReadableDestroy({ subprocessStdout, subprocess, waitReadableDestroy }, error),
    onWritableDestroy({
      subprocessStdin,
      subprocess,
      waitWritableFinal,
      waitWritableDestroy
    }, error)
  ]);
};

// node_modules/execa/lib/convert/iterable.js
var createIterable = (subprocess, encoding, {
  from,
  binary: binaryOption = false,
  preserveNewlines = false
} = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const subprocessStdout = getFromStream(subprocess, from);
  const onStdoutData = iterateOnSubprocessStream({
    subprocessStdout,
    subprocess,
    binary,
    shouldEncode: true,
    encoding,
    preserveNewlines
  });
  return iterateOnStdoutData(onStdoutData, subprocessStdout, subprocess);
};
var iterateOnStdoutData = async function* (onStdoutData, subprocessStdout, subprocess) {
  try {
    yield* onStdoutData;
  } finally {
    if (subprocessStdout.readable) {
      subprocessStdout.destroy();
    }
    await subprocess;
  }
};

// node_modules/execa/lib/convert/add.js
var addConvertedStreams = (subprocess, { encoding }) => {
  const concurrentStreams = initializeConcurrentStreams();
  subprocess.readable = createReadable.bind(void 0, { subprocess, concurrentStreams, encoding });
  subprocess.writable = createWritable.bind(void 0, { subprocess, concurrentStreams });
  subprocess.duplex = createDuplex.bind(void 0, { subprocess, concurrentStreams, encoding });
  subprocess.iterable = createIterable.bind(void 0, subprocess, encoding);
  subprocess[Symbol.asyncIterator] = createIterable.bind(void 0, subprocess, encoding, {});
};

// node_modules/execa/lib/methods/promise.js
var mergePromise = (subprocess, promise) => {
  for (const [property, descriptor] of descriptors) {
    const value = descriptor.value.bind(promise);
    Reflect.defineProperty(subprocess, property, { ...descriptor, value });
  }
};
var nativePromisePrototype = (async () => {
})().constructor.prototype;
var descriptors = ["then", "catch", "finally"].map((property) => [
  property,
  Reflect.getOwnPropertyDescriptor(nativePromisePrototype, property)
]);

// node_modules/execa/lib/methods/main-async.js
var execaCoreAsync = (rawFile, rawArguments, rawOptions, createNested) => {
  const { file, commandArguments, command, escapedCommand, startTime, verboseInfo, options, fileDescriptors } = handleAsyncArguments(rawFile, rawArguments, rawOptions);
  const { subprocess, promise } = spawnSubprocessAsync({
    file,
    commandArguments,
    options,
    startTime,
    verboseInfo,
    command,
    escapedCommand,
    fileDescriptors
  });
  subprocess.pipe = pipeToSubprocess.bind(void 0, {
    source: subprocess,
    sourcePromise: promise,
    boundOptions: {},
    createNested
  });
  mergePromise(subprocess, promise);
  SUBPROCESS_OPTIONS.set(subprocess, { options, fileDescriptors });
  return subprocess;
};
var handleAsyncArguments = (rawFile, rawArguments, rawOptions) => {
  const { command, escapedCommand, startTime, verboseInfo } = handleCommand(rawFile, rawArguments, rawOptions);
  const { file, commandArguments, options: normalizedOptions } = normalizeOptions(rawFile, rawArguments, rawOptions);
  const options = handleAsyncOptions(normalizedOptions);
  const fileDescriptors = handleStdioAsync(options, verboseInfo);
  return {
    file,
    commandArguments,
    command,
    escapedCommand,
    startTime,
    verboseInfo,
    options,
    fileDescriptors
  };
};
var handleAsyncOptions = ({ timeout, signal, ...options }) => {
  if (signal !== void 0) {
    throw new TypeError('The "signal" option has been renamed to "cancelSignal" instead.');
  }
  return { ...options, timeoutDuration: timeout };
};
var spawnSubprocessAsync = ({ file, commandArguments, options, startTime, verboseInfo, command, escapedCommand, fileDescriptors }) => {
  let subprocess;
  try {
    subprocess = spawn(...concatenateShell(file, commandArguments, options));
  } catch (error) {
    return handleEarlyError({
      error,
      command,
      escapedCommand,
      fileDescriptors,
      options,
      startTime,
      verboseInfo
    });
  }
  const controller = new AbortController();
  setMaxListeners(Number.POSITIVE_INFINITY, controller.signal);
  const originalStreams = [...subprocess.stdio];
  pipeOutputAsync(subprocess, fileDescriptors, controller);
  cleanupOnExit(subprocess, options, controller);
  const context = {};
  const onInternalError = createDeferred();
  subprocess.kill = subprocessKill.bind(void 0, {
    kill: subprocess.kill.bind(subprocess),
    options,
    onInternalError,
    context,
    controller
  });
  subprocess.all = makeAllStream(subprocess, options);
  addConvertedStreams(subprocess, options);
  addIpcMethods(subprocess, options);
  const promise = handlePromise({
    subprocess,
    options,
    startTime,
    verboseInfo,
    fileDescriptors,
    originalStreams,
    command,
    escapedCommand,
    context,
    onInternalError,
    controller
  });
  return { subprocess, promise };
};
var handlePromise = async ({ subprocess, options, startTime, verboseInfo, fileDescriptors, originalStreams, command, escapedCommand, context, onInternalError, controller }) => {
  const [
    errorInfo,
    [exitCode, signal],
    stdioResults,
    allResult,
    ipcOutput
  ] = await waitForSubprocessResult({
    subprocess,
    options,
    context,
    verboseInfo,
    fileDescriptors,
    originalStreams,
    onInternalError,
    controller
  });
  controller.abort();
  onInternalError.resolve();
  const stdio = stdioResults.map((stdioResult, fdNumber) => stripNewline(stdioResult, options, fdNumber));
  const all = stripNewline(allResult, options, "all");
  const result = getAsyncResult({
    errorInfo,
    exitCode,
    signal,
    stdio,
    all,
    ipcOutput,
    context,
    options,
    command,
    escapedCommand,
    startTime
  });
  return handleResult(result, verboseInfo, options);
};
var getAsyncResult = ({ errorInfo, exitCode, signal, stdio, all, ipcOutput, context, options, command, escapedCommand, startTime }) => "error" in errorInfo ? makeError({
  error: errorInfo.error,
  command,
  escapedCommand,
  timedOut: context.terminationReason === "timeout",
  isCanceled: context.terminationReason === "cancel" || context.terminationReason === "gracefulCancel",
  isGracefullyCanceled: context.terminationReason === "gracefulCancel",
  isMaxBuffer: errorInfo.error instanceof MaxBufferError,
  isForcefullyTerminated: context.isForcefullyTerminated,
  exitCode,
  signal,
  stdio,
  all,
  ipcOutput,
  options,
  startTime,
  isSync: false
}) : makeSuccessResult({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput,
  options,
  startTime
});

// node_modules/execa/lib/methods/bind.js
var mergeOptions = (boundOptions, options) => {
  const newOptions = Object.fromEntries(
    Object.entries(options).map(([optionName, optionValue]) => [
      optionName,
      mergeOption(optionName, boundOptions[optionName], optionValue)
    ])
  );
  return { ...boundOptions, ...newOptions };
};
var mergeOption = (optionName, boundOptionValue, optionValue) => {
  if (DEEP_OPTIONS.has(optionName) && isPlainObject(boundOptionValue) && isPlainObject(optionValue)) {
    return { ...boundOptionValue, ...optionValue };
  }
  return optionValue;
};
var DEEP_OPTIONS = /* @__PURE__ */ new Set(["env", ...FD_SPECIFIC_OPTIONS]);

// node_modules/execa/lib/methods/create.js
var createExeca = (mapArguments, boundOptions, deepOptions, setBoundExeca) => {
  const createNested = (mapArguments2, boundOptions2, setBoundExeca2) => createExeca(mapArguments2, boundOptions2, deepOptions, setBoundExeca2);
  const boundExeca = (...execaArguments) => callBoundExeca({
    mapArguments,
    deepOptions,
    boundOptions,
    setBoundExeca,
    createNested
  }, ...execaArguments);
  if (setBoundExeca !== void 0) {
    setBoundExeca(boundExeca, createNested, boundOptions);
  }
  return boundExeca;
};
var callBoundExeca = ({ mapArguments, deepOptions = {}, boundOptions = {}, setBoundExeca, createNested }, firstArgument, ...nextArguments) => {
  if (isPlainObject(firstArgument)) {
    return createNested(mapArguments, mergeOptions(boundOptions, firstArgument), setBoundExeca);
  }
  const { file, commandArguments, options, isSync } = parseArguments({
    mapArguments,
    firstArgument,
    nextArguments,
    deepOptions,
    boundOptions
  });
  return isSync ? execaCoreSync(file, commandArguments, options) : execaCoreAsync(file, commandArguments, options, createNested);
};
var parseArguments = ({ mapArguments, firstArgument, nextArguments, deepOptions, boundOptions }) => {
  const callArguments = isTemplateString(firstArgument) ? parseTemplates(firstArgument, nextArguments) : [firstArgument, ...nextArguments];
  const [initialFile, initialArguments, initialOptions] = normalizeParameters(...callArguments);
  const mergedOptions = mergeOptions(mergeOptions(deepOptions, boundOptions), initialOptions);
  const {
    file = initialFile,
    commandArguments = initialArguments,
    options = mergedOptions,
    isSync = false
  } = mapArguments({ file: initialFile, commandArguments: initialArguments, options: mergedOptions });
  return {
    file,
    commandArguments,
    options,
    isSync
  };
};

// node_modules/execa/lib/methods/command.js
var mapCommandAsync = ({ file, commandArguments }) => parseCommand(file, commandArguments);
var mapCommandSync = ({ file, commandArguments }) => ({ ...parseCommand(file, commandArguments), isSync: true });
var parseCommand = (command, unusedArguments) => {
  if (unusedArguments.length > 0) {
    throw new TypeError(`The command and its arguments must be passed as a single string: ${command} ${unusedArguments}.`);
  }
  const [file, ...commandArguments] = parseCommandString(command);
  return { file, commandArguments };
};
var parseCommandString = (command) => {
  if (typeof command !== "string") {
    throw new TypeError(`The command must be a string: ${String(command)}.`);
  }
  const trimmedCommand = command.trim();
  if (trimmedCommand === "") {
    return [];
  }
  const tokens = [];
  for (const token of trimmedCommand.split(SPACES_REGEXP)) {
    const previousToken = tokens.at(-1);
    if (previousToken && previousToken.endsWith("\\")) {
      tokens[tokens.length - 1] = `${previousToken.slice(0, -1)} ${token}`;
    } else {
      tokens.push(token);
    }
  }
  return tokens;
};
var SPACES_REGEXP = / +/g;

// node_modules/execa/lib/methods/script.js
var setScriptSync = (boundExeca, createNested, boundOptions) => {
  boundExeca.sync = createNested(mapScriptSync, boundOptions);
  boundExeca.s = boundExeca.sync;
};
var mapScriptAsync = ({ options }) => getScriptOptions(options);
var mapScriptSync = ({ options }) => ({ ...getScriptOptions(options), isSync: true });
var getScriptOptions = (options) => ({ options: { ...getScriptStdinOption(options), ...options } });
var getScriptStdinOption = ({ input, inputFile, stdio }) => input === void 0 && inputFile === void 0 && stdio === void 0 ? { stdin: "inherit" } : {};
var deepScriptOptions = { preferLocal: true };

// node_modules/execa/index.js
var execa = createExeca(() => ({}));
var execaSync = createExeca(() => ({ isSync: true }));
var execaCommand = createExeca(mapCommandAsync);
var execaCommandSync = createExeca(mapCommandSync);
var execaNode = createExeca(mapNode);
var $ = createExeca(mapScriptAsync, {}, deepScriptOptions, setScriptSync);
var {
  sendMessage: sendMessage2,
  getOneMessage: getOneMessage2,
  getEachMessage: getEachMessage2,
  getCancelSignal: getCancelSignal2
} = getIpcExport();

// src/adapters/process.ts
import { readFile as readFile3 } from "node:fs/promises";

// src/adapters/process-tree.ts
import { readdir, readFile as readFile2, readlink } from "node:fs/promises";
var TREE_MARKER_VAR = "REFINERY_BUILD_TREE";
var haveProc = process.platform === "linux";
async function allProcesses() {
  const names = await readdir("/proc").catch(() => []);
  const out = await Promise.all(
    names.filter((n2) => /^[0-9]+$/.test(n2)).map(async (n2) => {
      const stat4 = await readFile2(`/proc/${n2}/stat`, "utf8").catch(() => void 0);
      if (!stat4) return void 0;
      const f = stat4.slice(stat4.lastIndexOf(")") + 2).split(" ");
      return { pid: Number(n2), state: f[0] ?? "?", ppid: Number(f[1]), pgrp: Number(f[2]) };
    })
  );
  return out.filter((p) => p !== void 0);
}
async function carriesMarker(pid, needle) {
  const env = await readFile2(`/proc/${pid}/environ`).catch(() => void 0);
  return env ? env.includes(needle) : false;
}
async function treeMembers(pgrp, marker) {
  if (!haveProc) return [];
  const procs = (await allProcesses()).filter((p) => p.pid !== process.pid);
  const needle = Buffer.from(`${TREE_MARKER_VAR}=${marker}\0`);
  const members = /* @__PURE__ */ new Set();
  await Promise.all(
    procs.map(async (p) => {
      if (p.pgrp === pgrp || p.state !== "Z" && await carriesMarker(p.pid, needle)) members.add(p.pid);
    })
  );
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (!members.has(p.pid) && members.has(p.ppid)) {
        members.add(p.pid);
        grew = true;
      }
    }
  }
  return procs.filter((p) => members.has(p.pid));
}
async function pipeInodes(pid) {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => "")));
  return links.filter((l) => l.startsWith("pipe:"));
}
async function stopTree(pgrp, marker, opts = {}) {
  if (!haveProc) {
    try {
      process.kill(-pgrp, "SIGKILL");
    } catch {
    }
    return { stopped: false, left: [], killed: 0 };
  }
  const tries = opts.tries ?? 50;
  const seen = /* @__PURE__ */ new Set();
  let left = [];
  for (let i2 = 0; i2 < tries; i2++) {
    const live = (await treeMembers(pgrp, marker)).filter((p) => p.state !== "Z" && !opts.spare?.has(p.pid));
    left = live.map((p) => p.pid);
    if (left.length === 0) return { stopped: true, left, killed: seen.size };
    if (!opts.spare && live.some((p) => p.pgrp === pgrp)) {
      try {
        process.kill(-pgrp, "SIGKILL");
      } catch {
      }
    }
    for (const pid of left) {
      seen.add(pid);
      try {
        process.kill(pid, "SIGKILL");
      } catch {
      }
    }
    await new Promise((r) => setTimeout(r, Math.min(20 * (i2 + 1), 200)));
  }
  return { stopped: false, left, killed: seen.size };
}
var namespaceProbe;
function pidNamespacePrefix() {
  namespaceProbe ??= (async () => {
    if (!haveProc) return void 0;
    const candidates = [
      ["unshare", "--pid", "--fork", "--kill-child", "--"],
      ["unshare", "--user", "--map-current-user", "--pid", "--fork", "--kill-child", "--"]
    ];
    for (const prefix of candidates) {
      const [file, ...args] = prefix;
      const r = await run(file, [...args, "true"], { timeoutMs: 1e4 }).catch(() => void 0);
      if (r?.exitCode === 0) return prefix;
    }
    return void 0;
  })();
  return namespaceProbe;
}

// src/adapters/process.ts
function childOptions(opts, env) {
  return {
    cwd: opts.cwd,
    env,
    extendEnv: opts.extendEnv ?? true,
    reject: false,
    all: true,
    stripFinalNewline: false,
    shell: false,
    input: opts.input,
    // Detached: a timeout or cancel kills the whole process group, not just the direct child.
    detached: true
  };
}
async function run(file, args, opts = {}) {
  if (opts.tree) return runTree(file, args, opts, opts.tree);
  const started = Date.now();
  const options = {
    ...childOptions(opts, opts.env),
    cancelSignal: opts.signal,
    forceKillAfterDelay: 5e3,
    ...opts.timeoutMs ? { timeout: opts.timeoutMs } : {}
  };
  const child = execa(file, args, options);
  if (opts.onOutput && child.all) {
    child.all.setEncoding("utf8");
    child.all.on("data", (chunk) => opts.onOutput?.(chunk));
  }
  const killGroup = () => {
    if (child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
      }
    }
  };
  const r = await child;
  if (r.timedOut || r.isCanceled) killGroup();
  return {
    exitCode: typeof r.exitCode === "number" ? r.exitCode : -1,
    stdout: String(r.stdout ?? ""),
    stderr: String(r.stderr ?? ""),
    all: String(r.all ?? ""),
    timedOut: Boolean(r.timedOut),
    durationMs: Date.now() - started
  };
}
async function runTree(file, args, opts, t) {
  const started = Date.now();
  const grace = t.outputGraceMs ?? 1e4;
  const pollMs = t.pollMs ?? 1e3;
  const marker = randomBytes(12).toString("hex");
  const prefix = t.pidNamespace === false ? void 0 : await pidNamespacePrefix();
  const isolation = prefix ? "pid-namespace" : "process-group";
  const argv = prefix ? [...prefix, file, ...args] : [file, ...args];
  const notes = [];
  let leftovers = 0;
  const child = execa(argv[0], argv.slice(1), childOptions(opts, { ...opts.env, [TREE_MARKER_VAR]: marker }));
  const pgrp = child.pid;
  if (opts.onOutput && child.all) {
    child.all.setEncoding("utf8");
    child.all.on("data", (chunk) => opts.onOutput?.(chunk));
  }
  let timedOut = false;
  let stopping;
  let exited = false;
  const stop = (why) => {
    stopping ??= (async () => {
      if (pgrp === void 0) return { isolation, stopped: true, left: [], leftovers, notes };
      const afterExit = exited;
      const s = await stopTree(pgrp, marker);
      if (afterExit && s.killed > 0) {
        leftovers += s.killed;
        notes.push(`${s.killed} process(es) the command left running were stopped (${why})`);
      }
      return { isolation, stopped: s.stopped, left: s.left, leftovers, notes };
    })();
    return stopping;
  };
  const timer = opts.timeoutMs ? setTimeout(() => {
    timedOut = true;
    void stop("timeout");
  }, opts.timeoutMs) : void 0;
  const onAbort = () => void stop("cancelled");
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener("abort", onAbort, { once: true });
  const zombieSince = /* @__PURE__ */ new Map();
  const watchdog = pgrp !== void 0 && haveProc ? setInterval(() => {
    void (async () => {
      if (stopping || exited) return;
      const members = await treeMembers(pgrp, marker);
      const byPid = new Map(members.map((p) => [p.pid, p]));
      const now = Date.now();
      for (const z of members.filter((p) => p.state === "Z")) {
        const first = zombieSince.get(z.pid) ?? now;
        zombieSince.set(z.pid, first);
        const parent = byPid.get(z.ppid);
        if (now - first < grace || stopping || exited || !parent || parent.state === "Z") continue;
        if (!/pipe/.test(await readFile3(`/proc/${parent.pid}/wchan`, "utf8").catch(() => ""))) continue;
        const pipes = await pipeInodes(parent.pid);
        const spare = /* @__PURE__ */ new Set([z.pid]);
        for (let p = parent; p && !spare.has(p.pid); p = byPid.get(p.ppid)) spare.add(p.pid);
        const holders = [];
        for (const p of members) {
          if (spare.has(p.pid) || p.state === "Z") continue;
          if ((await pipeInodes(p.pid)).some((i2) => pipes.includes(i2))) holders.push(p.pid);
        }
        if (holders.length === 0) continue;
        opts.onOutput?.(
          `
[refinery] process ${z.pid} exited ${Math.round((now - first) / 1e3)} s ago but ${holders.length} process(es) it left behind still hold its output open, so its parent waited: stopped them
`
        );
        for (const pid of holders) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
          }
        }
        leftovers += holders.length;
        zombieSince.delete(z.pid);
      }
    })();
  }, pollMs) : void 0;
  let outputTimer;
  child.once("exit", () => {
    exited = true;
    outputTimer = setTimeout(() => {
      void stop("its output was still open").then(() => {
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, 2e3).unref();
      });
    }, grace);
  });
  let r;
  try {
    r = await child;
  } finally {
    if (timer) clearTimeout(timer);
    if (watchdog) clearInterval(watchdog);
    if (outputTimer) clearTimeout(outputTimer);
    opts.signal?.removeEventListener("abort", onAbort);
  }
  const report = await stop("after it exited");
  if (!report.stopped && (report.left.length > 0 || timedOut || opts.signal?.aborted)) report.notes.push(notStoppedNote(report, isolation));
  return {
    exitCode: typeof r.exitCode === "number" ? r.exitCode : -1,
    stdout: String(r.stdout ?? ""),
    stderr: String(r.stderr ?? ""),
    all: String(r.all ?? ""),
    timedOut,
    durationMs: Date.now() - started,
    tree: report
  };
}
function notStoppedNote(r, isolation) {
  if (r.left.length > 0) return `${r.left.length} process(es) of the tree could not be stopped: pid ${r.left.join(", ")}`;
  return `the tree could not be checked on this system (${isolation}): processes that left the process group may still run`;
}
async function available(file, args = ["--version"], env) {
  try {
    const r = await run(file, args, { timeoutMs: 2e4, ...env ? { env } : {} });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}

// src/domain/presets/load.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { readFile as readFile4 } from "node:fs/promises";
var PresetFile = external_exports.strictObject({
  version: external_exports.literal(1),
  presets: external_exports.record(external_exports.string(), Preset.omit({ name: true }))
});
function parsePresets(text, file) {
  const doc = (0, import_yaml2.parseDocument)(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RefineryError("config", `not valid YAML: ${doc.errors[0].message.split("\n")[0]}`, { location: { file } });
  }
  const parsed = PresetFile.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RefineryError("config", `invalid preset: ${issue.message}`, {
      location: { file, field: issue.path.map(String).join(".") },
      fix: "see docs/build.md for the preset fields"
    });
  }
  const out = /* @__PURE__ */ new Map();
  for (const [name, p] of Object.entries(parsed.data.presets)) out.set(name, Preset.parse({ ...p, name }));
  return out;
}
async function loadPresets(file) {
  let text;
  try {
    text = await readFile4(file, "utf8");
  } catch (e) {
    throw new RefineryError("config", `cannot read presets: ${e.code ?? String(e)}`, { location: { file } });
  }
  return parsePresets(text, file);
}
function withUserPresets(shipped, user, configFile = "refinery.yml") {
  const out = new Map(shipped);
  for (const [name, o2] of Object.entries(user)) {
    const { extends: baseName, ...fields } = o2;
    const base = baseName !== void 0 ? out.get(baseName) : out.get(name);
    if (baseName !== void 0 && !base) {
      throw new RefineryError("config", `preset '${name}' extends unknown preset '${baseName}'`, {
        location: { file: configFile, field: `presets.${name}.extends` },
        fix: `use one of: ${[...out.keys()].join(", ")}`
      });
    }
    const merged = { ...base ?? {}, ...definedOnly(fields), name };
    const parsed = Preset.safeParse(merged);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RefineryError("config", `preset '${name}': ${issue.message}`, {
        location: { file: configFile, field: `presets.${name}.${issue.path.map(String).join(".")}` },
        fix: "a new preset needs image, packageManager, platform and python (or `extends: <shipped preset>`)"
      });
    }
    out.set(name, parsed.data);
  }
  return out;
}
function definedOnly(o2) {
  return Object.fromEntries(Object.entries(o2).filter(([, v]) => v !== void 0));
}
function getPreset(presets, name) {
  const p = presets.get(name);
  if (!p) {
    throw new RefineryError("config", `unknown preset '${name}'`, {
      fix: `use one of: ${[...presets.keys()].join(", ")}, or define it under presets: in refinery.yml`
    });
  }
  return p;
}
function interpreterFor(preset, python) {
  const path7 = preset.python[python];
  if (!path7) {
    throw new RefineryError("config", `preset '${preset.name}' has no Python ${python}`, {
      fix: `it has ${Object.keys(preset.python).join(", ")}; pick another preset or add the interpreter path under presets.${preset.name}.python`
    });
  }
  return path7;
}

// src/domain/executors/turbo.ts
import { access, constants as constants4 } from "node:fs/promises";
import { join } from "node:path";
var TURBO_MANIFEST = "turbo.json";
var TurboManifest = external_exports.object({
  schema: external_exports.literal("refinery/turbo@1"),
  mountPoint: external_exports.string().regex(/^\/[A-Za-z0-9._/-]+$/, "an absolute path of letters, digits, . _ - /"),
  target: external_exports.literal("s390x-linux-gnu"),
  gcc: external_exports.string().min(1),
  gccPackage: external_exports.string().optional(),
  rust: external_exports.string().nullable().optional(),
  rustTarget: external_exports.string().nullable().optional(),
  /** uv's version when the folder carries its static x86_64 build (frontend/uv), for `--frontend uv`. */
  uv: external_exports.string().regex(/^\d+\.\d+\.\d+$/, "a uv version such as 0.13.9").nullable().optional()
});
function turboUvPath(t) {
  return `${t.mountPoint}/frontend/uv`;
}
var DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
var REQUIRED_WRAPPERS = ["cc", "c++", "ld"];
async function loadTurboToolchain(dir) {
  const file = join(dir, TURBO_MANIFEST);
  const fix = "assemble it again with scripts/setup-turbo-toolchain.sh, or build with --compiler emulated";
  const m = await readJsonIfPresent(TurboManifest, file, { code: "environment", fix, invalid: "not a turbo toolchain manifest" });
  if (!m) return void 0;
  for (const w of [...REQUIRED_WRAPPERS, ...m.rust ? ["cargo", "rustc"] : []]) {
    try {
      await access(join(dir, "bin", w), constants4.X_OK);
    } catch {
      throw new RefineryError("environment", `the turbo toolchain in ${dir} has no bin/${w}`, { location: { file }, fix });
    }
  }
  if (m.uv) {
    try {
      await access(join(dir, "frontend", "uv"), constants4.X_OK);
    } catch {
      throw new RefineryError("environment", `the turbo toolchain in ${dir} names uv ${m.uv} but has no frontend/uv`, { location: { file }, fix });
    }
  }
  return {
    dir,
    mountPoint: m.mountPoint,
    gcc: m.gcc,
    ...m.rust ? { rust: m.rust } : {},
    ...m.uv ? { uv: m.uv } : {},
    // uv is a frontend, not a compiler: it enters the fingerprint through the unit's frontend.
    fingerprint: `gcc ${m.gccPackage ?? m.gcc}${m.rust ? `, rust ${m.rust}` : ""}`
  };
}
function turboMountArgs(t) {
  return ["--mount", `type=bind,source=${t.dir},target=${t.mountPoint},readonly`];
}
function turboEnv(t, imagePath2 = DEFAULT_PATH) {
  const bin = `${t.mountPoint}/bin`;
  const env = {
    // First on PATH too: builds that call gcc, c++ or cargo by name (setuptools-rust looks for
    // cargo and rustc there) get the turbo tools.
    PATH: `${bin}:${imagePath2}`,
    CC: `${bin}/cc`,
    CXX: `${bin}/c++`,
    CPP: `${bin}/cpp`,
    LD: `${bin}/ld`,
    AR: `${bin}/ar`,
    RANLIB: `${bin}/ranlib`,
    NM: `${bin}/nm`,
    STRIP: `${bin}/strip`,
    LDSHARED: `${bin}/cc -shared`,
    LDCXXSHARED: `${bin}/c++ -shared`,
    REFINERY_COMPILER: "turbo"
  };
  if (t.rust) {
    Object.assign(env, {
      CARGO: `${bin}/cargo`,
      RUSTC: `${bin}/rustc`,
      CARGO_BUILD_TARGET: "s390x-unknown-linux-gnu",
      CARGO_TARGET_S390X_UNKNOWN_LINUX_GNU_LINKER: `${bin}/cc`,
      // Build scripts and proc macros are host (x86_64) programs: linked by the host linker
      // wrapper so that they, too, use the folder's loader and libraries.
      CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER: `${bin}/host-cc`,
      CC_s390x_unknown_linux_gnu: `${bin}/cc`,
      CXX_s390x_unknown_linux_gnu: `${bin}/c++`,
      AR_s390x_unknown_linux_gnu: `${bin}/ar`
    });
  }
  return env;
}
function turboPyo3Config(python) {
  if (!/^3\.\d+$/.test(python)) return void 0;
  return `implementation=CPython
version=${python}
shared=true
abi3=false
build_flags=WITH_THREAD
suppress_build_script_link_lines=false
pointer_width=64
`;
}

// src/domain/executors/container.ts
var CA_PATH = "/etc/refinery/ca-bundle.pem";
var CRATES_MOUNT = "/opt/refinery/crates";
var ContainerExecutor = class {
  constructor(opts) {
    this.opts = opts;
    this.engine = opts.engine ?? "docker";
    this.engineEnv = opts.host ? { DOCKER_HOST: opts.host, CONTAINER_HOST: opts.host } : {};
  }
  opts;
  kind = "container";
  engine;
  engineEnv;
  cli(args, extra = {}) {
    return run(this.engine, args, { env: this.engineEnv, timeoutMs: extra.timeoutMs ?? 6e4, onOutput: extra.onOutput, signal: extra.signal });
  }
  async check(preset) {
    const problems = [];
    let engineUp = false;
    const v = await this.cli(["version", "--format", "{{.Server.Version}}"], { timeoutMs: 2e4 }).catch(() => void 0);
    if (!v || v.exitCode === -1 && v.all.trim() === "" && !v.timedOut) {
      problems.push({
        what: `no container engine: '${this.engine}' is not installed`,
        fix: "install docker (apt-get install docker.io) or podman, or run scripts/setup-s390x-env.sh"
      });
    } else {
      engineUp = v.exitCode === 0;
      if (!engineUp) {
        problems.push({
          what: `the ${this.engine} engine does not answer${this.opts.host ? ` on ${this.opts.host}` : ""}: ${firstLine(v.all) || (v.timedOut ? "timed out" : `exit ${v.exitCode}`)}`,
          fix: `start the engine (scripts/setup-s390x-env.sh starts one) or point --docker-host / DOCKER_HOST at it`
        });
      }
    }
    if (this.opts.hostArch !== "s390x") {
      const binfmt = this.opts.binfmtPath ?? "/proc/sys/fs/binfmt_misc/qemu-s390x";
      if (!existsSync(binfmt)) {
        problems.push({
          what: `no binfmt handler for s390x (${binfmt} is missing), so s390x binaries cannot run on this ${this.opts.hostArch} machine`,
          fix: "install qemu-user-static and binfmt-support and run `update-binfmts --enable qemu-s390x` (scripts/setup-s390x-env.sh does it; on GitHub add a step `uses: docker/setup-qemu-action` with `platforms: s390x` before this one)"
        });
      }
    }
    if (engineUp) {
      const img = await this.inspect(preset.image);
      if (!img) {
        problems.push({
          what: `image ${preset.image} is not present in the engine`,
          fix: this.opts.pull ? `could not pull it; check registry access, or build a local image with scripts/setup-s390x-env.sh and use a preset pointing at it (docs/build.md, "debian-local")` : `pull it (\`${this.engine} pull --platform linux/s390x ${preset.image}\`), or build a local image with scripts/setup-s390x-env.sh and use a preset pointing at it (docs/build.md, "debian-local")`
        });
      }
    }
    return problems;
  }
  /** Image id, repo digest and recorded architecture, pulling first when allowed; undefined when absent. */
  async inspect(image) {
    const fmt = "{{.Id}}|{{.Architecture}}|{{json .RepoDigests}}|{{json .Config.Env}}";
    let r = await this.cli(["image", "inspect", "--format", fmt, "--", image]);
    if (r.exitCode !== 0 && this.opts.pull) {
      await this.cli(["pull", "--platform", "linux/s390x", "--", image], { timeoutMs: 15 * 6e4 });
      r = await this.cli(["image", "inspect", "--format", fmt, "--", image]);
    }
    if (r.exitCode !== 0) return void 0;
    const [id = "", arch2 = "", digestsJson = "[]", envJson = "null"] = r.stdout.trim().split("|");
    let digests = [];
    try {
      digests = JSON.parse(digestsJson);
    } catch {
    }
    const digest = Array.isArray(digests) ? digests.find((d) => typeof d === "string" && d.includes("@")) : void 0;
    return { id, arch: arch2, ...digest ? { digest } : {}, ...imagePath(envJson) };
  }
  async identity(preset) {
    const img = await this.inspect(preset.image);
    const imageDigest = img?.digest ?? img?.id;
    return { image: preset.image, ...imageDigest ? { imageDigest } : {}, fingerprint: imageDigest ?? preset.image };
  }
  interpreter(preset, python) {
    return interpreterFor(preset, python);
  }
  packageManager(preset) {
    return preset.packageManager;
  }
  async open(o2) {
    const img = await this.inspect(o2.preset.image);
    if (!img) {
      throw new RefineryError("environment", `image ${o2.preset.image} is not present`, {
        fix: "run `refinery build --check` for how to get it, or use a preset with a local image"
      });
    }
    const args = ["run", "--detach", "--rm", "--name", o2.name, "--label", "refinery.build=1"];
    if (img.arch === "s390x") args.push("--platform", "linux/s390x");
    if (this.opts.network && this.opts.network !== "default") args.push("--network", this.opts.network);
    if (this.opts.cpus) args.push("--cpus", String(this.opts.cpus));
    if (this.opts.memory) args.push("--memory", this.opts.memory);
    args.push("--mount", await workMount(o2.hostWorkDir), "--workdir", "/work");
    if (this.opts.caBundle) args.push("--volume", `${this.opts.caBundle}:${CA_PATH}:ro`, "--env", `PIP_CERT=${CA_PATH}`, "--env", `SSL_CERT_FILE=${CA_PATH}`);
    if (this.opts.crates) args.push("--mount", await readOnlyMount(this.opts.crates, CRATES_MOUNT, "crates folder"));
    const turbo = this.turboSession(o2, img.path);
    args.push(...turbo.args);
    const lifetime = o2.maxLifetimeMs ? String(Math.ceil(o2.maxLifetimeMs / 1e3) + 300) : "infinity";
    args.push("--entrypoint", "sleep", "--", img.id, lifetime);
    const started = await this.cli(args, { timeoutMs: 12e4 });
    if (started.exitCode !== 0) {
      throw new RefineryError("environment", `could not start a container from ${o2.preset.image}: ${firstLine(started.all)}`, {
        fix: "check that the engine runs containers (`docker run --rm IMAGE uname -m`)"
      });
    }
    const session = new ContainerSession(this, o2.name, o2.preset.packageManager, this.opts.chownTo, turbo.env);
    const arch2 = await session.exec(["uname", "-m"], { timeoutMs: 6e4 });
    if (arch2.output.trim() !== "s390x") {
      await session.close();
      throw new RefineryError("environment", `image ${o2.preset.image} runs as '${arch2.output.trim()}', not s390x`, {
        fix: "use an s390x image (quay.io/pypa/manylinux_2_28_s390x, or one built by scripts/setup-s390x-env.sh)"
      });
    }
    return session;
  }
  /** Turbo applies to presets that say so (their image's ABI matches the cross compilers), on x86_64 hosts. */
  turbo(preset) {
    return this.opts.turbo && preset.turbo && this.opts.hostArch === "x64" ? this.opts.turbo : void 0;
  }
  /**
   * The turbo toolchain's uv (a static x86_64 program: it runs natively whatever the image's ABI),
   * on x86_64 hosts.
   */
  uv() {
    const t = this.opts.turbo;
    return t?.uv && this.opts.hostArch === "x64" ? { path: turboUvPath(t), version: t.uv } : void 0;
  }
  /**
   * The mount and the compiler environment of a turbo session; for an emulated one, the mount alone
   * when it lends uv (the compilers stay the image's), else nothing.
   */
  turboSession(o2, imagePath2) {
    if (o2.compiler !== "turbo") return o2.uv && this.opts.turbo && this.uv() ? { args: turboMountArgs(this.opts.turbo), env: {} } : { args: [], env: {} };
    const t = this.turbo(o2.preset);
    if (!t) {
      throw new RefineryError(
        "environment",
        `turbo compilers were asked for, but ${this.opts.turbo ? `preset ${o2.preset.name} does not allow them` : "no turbo toolchain is set up"}`,
        {
          fix: "build with --compiler emulated, or assemble the toolchain with scripts/setup-turbo-toolchain.sh"
        }
      );
    }
    return { args: turboMountArgs(t), env: turboEnv(t, imagePath2) };
  }
  /** @internal used by sessions */
  engineRun(args, extra) {
    return this.cli(args, extra);
  }
};
var ContainerSession = class {
  constructor(executor, name, packageManager, chownTo, baseEnv = {}) {
    this.executor = executor;
    this.name = name;
    this.packageManager = packageManager;
    this.chownTo = chownTo;
    this.baseEnv = baseEnv;
  }
  executor;
  name;
  packageManager;
  chownTo;
  baseEnv;
  workDir = "/work";
  scratchDir = "/tmp";
  closed = false;
  async exec(argv, opts = {}) {
    const args = ["exec", "--workdir", opts.cwd ?? this.workDir];
    for (const [k, v] of Object.entries({ ...this.baseEnv, ...opts.env })) args.push("--env", `${k}=${v}`);
    args.push("--", this.name, ...argv);
    const started = Date.now();
    let killedByAbort = false;
    const onAbort = () => {
      killedByAbort = true;
      void this.kill();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const r = await this.executor.engineRun(args, {
        ...opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : { timeoutMs: 24 * 36e5 },
        onOutput: opts.onOutput,
        signal: opts.signal
      });
      const killed = r.timedOut || killedByAbort;
      const gone = killed ? await this.kill() : void 0;
      return {
        exitCode: r.exitCode,
        killed,
        durationMs: Date.now() - started,
        output: r.all,
        ...gone !== void 0 ? {
          tree: {
            stopped: gone,
            how: "container removed",
            notes: gone ? [] : [`container ${this.name} may still run: \`docker rm --force ${this.name}\``]
          }
        } : {}
      };
    } finally {
      opts.signal?.removeEventListener("abort", onAbort);
    }
  }
  killing;
  /**
   * Stop and remove the container, returning only once it is gone: `kill` on a `--rm` container
   * returns before the engine has removed it (seconds later under QEMU), which left containers
   * behind for a moment after a timed-out build. True once the engine no longer knows it; one
   * removal however often it is asked (timeout, cancel, close).
   */
  kill() {
    this.closed = true;
    this.killing ??= (async () => {
      await this.executor.engineRun(["rm", "--force", "--", this.name], { timeoutMs: 6e4 });
      for (let i2 = 0; i2 < 120; i2++) {
        const r = await this.executor.engineRun(["container", "inspect", "--format", "{{.Id}}", "--", this.name], { timeoutMs: 2e4 });
        if (r.exitCode !== 0) return true;
        await new Promise((resolve11) => setTimeout(resolve11, 250));
      }
      return false;
    })();
    return this.killing;
  }
  async close() {
    if (this.closed) {
      await this.killing;
      return;
    }
    if (this.chownTo) await this.executor.engineRun(["exec", "--", this.name, "chown", "-R", this.chownTo, this.workDir], { timeoutMs: 12e4 });
    await this.kill();
  }
};
function workMount(hostWorkDir) {
  return bindMount(hostWorkDir, "/work", "the unit's work folder", "build under a work root that exists and is a folder");
}
function readOnlyMount(hostDir, target, what) {
  return bindMount(hostDir, target, `the ${what}`, `point it at a folder that exists (scripts/setup-debian-crates.sh makes one)`).then((m) => `${m},readonly`);
}
async function bindMount(hostDir, target, what, fix) {
  let source;
  try {
    source = await realpath(hostDir);
    if (!(await stat(source)).isDirectory()) throw new Error("not a directory");
  } catch (e) {
    throw new RefineryError("environment", `${what} ${JSON.stringify(hostDir)} is not a folder: ${e.message}`, { fix });
  }
  if (/[,"\n\r]/.test(source)) {
    throw new RefineryError("environment", `${what} ${JSON.stringify(source)} has a comma, quote or line break, which a container mount cannot name`, {
      fix: "use a path that has none of them"
    });
  }
  return `type=bind,source=${source},target=${target}`;
}
function imagePath(envJson) {
  try {
    const env = JSON.parse(envJson);
    const path7 = Array.isArray(env) ? env.find((e) => typeof e === "string" && e.startsWith("PATH=")) : void 0;
    return path7 ? { path: path7.slice(5) } : {};
  } catch {
    return {};
  }
}
function firstLine(s) {
  return s.trim().split("\n")[0]?.slice(0, 300) ?? "";
}

// src/domain/executors/host.ts
import { mkdir } from "node:fs/promises";
import { join as join2 } from "node:path";

// src/domain/executors/environment.ts
var BASE_VARS = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TMPDIR", "TZ", "SOURCE_DATE_EPOCH"];
var NETWORK_VARS = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "ALL_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "all_proxy",
  "no_proxy",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "REQUESTS_CA_BUNDLE",
  "CURL_CA_BUNDLE",
  "PIP_CERT",
  "UV_NATIVE_TLS"
];
var LOCALE = /^LC_[A-Z_]+$/;
function allowlistedEnv(source, names = []) {
  const out = {};
  const wanted = /* @__PURE__ */ new Set([...BASE_VARS, ...NETWORK_VARS, ...names]);
  for (const [k, v] of Object.entries(source)) {
    if (v !== void 0 && (wanted.has(k) || LOCALE.test(k))) out[k] = v;
  }
  return out;
}
function namedEnv(source, names) {
  const out = {};
  for (const k of names) {
    const v = source[k];
    if (v !== void 0) out[k] = v;
  }
  return out;
}

// src/domain/executors/host.ts
var ProcessExecutor = class {
  constructor(opts) {
    this.opts = opts;
  }
  opts;
  /** This machine's package manager is not the preset's: only what the options allow. */
  packageManager() {
    return this.opts.packageManager ?? "none";
  }
  async identity(preset) {
    const py = this.interpreter(preset, Object.keys(preset.python)[0] ?? "3");
    const v = await run(py, ["-c", "import sys, platform; print(sys.version.split()[0], platform.machine())"], { timeoutMs: 3e4 }).catch(() => void 0);
    return { fingerprint: `${this.kind}:${v?.stdout.trim() ?? "unknown"}` };
  }
  async open(o2) {
    const scratch = join2(o2.hostWorkDir, "scratch");
    await mkdir(scratch, { recursive: true });
    const base = allowlistedEnv(this.opts.env ?? process.env);
    return new ProcessSession(o2.hostWorkDir, scratch, this.opts.packageManager ?? "none", base, this.opts.tree ?? {});
  }
};
var ProcessSession = class {
  constructor(workDir, scratchDir, packageManager, baseEnv, tree) {
    this.workDir = workDir;
    this.scratchDir = scratchDir;
    this.packageManager = packageManager;
    this.baseEnv = baseEnv;
    this.tree = tree;
  }
  workDir;
  scratchDir;
  packageManager;
  baseEnv;
  tree;
  async exec(argv, opts = {}) {
    const [file, ...args] = argv;
    if (!file) throw new Error("empty command");
    const started = Date.now();
    try {
      const r = await run(file, args, {
        cwd: opts.cwd ?? this.workDir,
        // Exactly this environment: the CLI's own (tokens, keys) never reaches package code.
        env: { ...this.baseEnv, ...opts.env },
        extendEnv: false,
        timeoutMs: opts.timeoutMs,
        onOutput: opts.onOutput,
        signal: opts.signal,
        tree: this.tree
      });
      const t = r.tree;
      return {
        exitCode: r.exitCode,
        killed: r.timedOut || Boolean(opts.signal?.aborted),
        durationMs: Date.now() - started,
        output: r.all,
        ...t ? { tree: { stopped: t.stopped, how: t.isolation === "pid-namespace" ? "PID namespace" : "process group", notes: t.notes } } : {}
      };
    } catch (e) {
      const msg = `refinery: cannot run ${file}: ${e.message}
`;
      opts.onOutput?.(msg);
      return { exitCode: 127, killed: Boolean(opts.signal?.aborted), durationMs: Date.now() - started, output: msg };
    }
  }
  async close() {
  }
};
var HostExecutor = class extends ProcessExecutor {
  kind = "host";
  interpreter() {
    return this.opts.python ?? "python3";
  }
  async check() {
    const py = this.interpreter();
    const r = await run(py, ["-m", "pip", "--version"], { timeoutMs: 3e4 }).catch(() => void 0);
    if (r?.exitCode !== 0) return [{ what: `${py} with pip is not available`, fix: "install Python 3 with pip, or pass --python PATH" }];
    return [];
  }
};
var NativeExecutor = class extends ProcessExecutor {
  kind = "native";
  interpreter(preset, python) {
    return this.opts.python ?? interpreterFor(preset, python);
  }
  async check(preset) {
    if (this.opts.hostArch !== "s390x") {
      return [{ what: `this machine is ${this.opts.hostArch}, not s390x`, fix: "use --executor container (QEMU) here, or run on an s390x runner" }];
    }
    const py = this.opts.python ?? Object.values(preset.python)[0] ?? "python3";
    const r = await run(py, ["-m", "pip", "--version"], { timeoutMs: 3e4 }).catch(() => void 0);
    if (r?.exitCode !== 0)
      return [{ what: `${py} with pip is not available`, fix: `install it, or pass --python PATH, or use --executor container on this s390x machine` }];
    return [];
  }
};

// src/domain/executors/choose.ts
function makeExecutor(kind, o2) {
  switch (kind) {
    case "container":
      return new ContainerExecutor(o2.container);
    case "native":
      return new NativeExecutor(o2.process);
    case "host":
      return new HostExecutor(o2.process);
  }
}
async function chooseExecutor(preset, o2) {
  if (o2.process.hostArch === "s390x") {
    const native = new NativeExecutor(o2.process);
    const p = await native.check(preset);
    if (p.length === 0) return { executor: native, reason: "this machine is s390x: building natively with the preset interpreter" };
  }
  const container = new ContainerExecutor(o2.container);
  const problems = await container.check(preset);
  if (problems.length === 0) {
    return {
      executor: container,
      reason: o2.process.hostArch === "s390x" ? `s390x machine with a container engine: building in ${preset.image}` : `container engine and QEMU binfmt for s390x found: building in ${preset.image} under emulation`
    };
  }
  throw environmentError("no executor can build s390x wheels on this machine", problems);
}
function environmentError(what, problems) {
  const list = problems.map((p) => `${p.what} -> ${p.fix}`).join("; ");
  return new RefineryError("environment", `${what}: ${list}`, {
    fix: "fix the above, or pass --executor host to test the pipeline with this machine's Python (wheels will not be s390x)"
  });
}

// src/domain/executors/types.ts
var EXECUTOR_KINDS = ["container", "native", "host"];

// src/domain/state/lock.ts
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes as randomBytes2 } from "node:crypto";
import { linkSync, mkdirSync, readFileSync as readFileSync3, renameSync, rmdirSync, statSync as statSync2, unlinkSync, utimes, writeFileSync as writeFileSync2 } from "node:fs";
import { hostname } from "node:os";
import { join as join3, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
var DEFAULT_LOCK_WAIT_MS = 10 * 6e4;
var DEFAULT_LOCK_STALE_MS = 5 * 6e4;
var UNREADABLE_GRACE_MS = 1e4;
var LockOwner = external_exports.strictObject({
  schema: external_exports.literal("refinery/lock@1"),
  pid: external_exports.number().int().positive(),
  host: external_exports.string(),
  started: external_exports.string(),
  token: external_exports.string(),
  purpose: external_exports.string().optional()
});
var held = new AsyncLocalStorage();
async function withStateLock(dir, fn, o2 = {}) {
  const key = resolve(dir);
  const outer = held.getStore();
  if (outer?.has(key)) return fn();
  const lock = await acquire(key, o2);
  try {
    return await held.run(new Map([...outer ?? [], [key, lock.held]]), fn);
  } finally {
    await lock.release();
  }
}
function holdsStateLock(dir) {
  return held.getStore()?.has(resolve(dir)) ?? false;
}
async function verifyStateLock(dir) {
  const h2 = held.getStore()?.get(resolve(dir));
  if (!h2) throw new Error(`internal: the state lock of ${dir} is not held`);
  await h2.verify();
}
async function acquire(dir, o2) {
  const file = join3(dir, LOCK_FILE);
  const waitMs = o2.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const staleMs = o2.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const log = o2.log ?? (() => {
  });
  const created = { folder: false };
  const owner = {
    schema: "refinery/lock@1",
    pid: process.pid,
    host: hostname(),
    started: (/* @__PURE__ */ new Date()).toISOString(),
    token: randomBytes2(8).toString("hex"),
    ...o2.purpose ? { purpose: o2.purpose } : {}
  };
  const deadline = Date.now() + waitMs;
  let waiting = false;
  for (; ; ) {
    if (tryCreate(dir, file, owner, created)) break;
    const seen = inspect3(file);
    if (!seen) continue;
    const stale = staleReason(seen, staleMs);
    if (stale) {
      if (takeOver(file, seen, owner.token)) log(`took over the stale state lock ${file}: ${describeOwner(seen)} ${stale}`);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new RefineryError("conflict", `timed out after ${Math.round(waitMs / 1e3)} s waiting for the state lock ${file}, held by ${describeOwner(seen)}`, {
        fix: `let that run finish and record again (or wait longer with --lock-wait); if that process is gone for good, delete ${file}`
      });
    }
    if (!waiting) {
      log(`waiting for the state lock ${file}: held by ${describeOwner(seen)}`);
      waiting = true;
    }
    await sleep(20 + Math.random() * 80);
  }
  let lost;
  const refresh = setInterval(
    () => {
      const now = /* @__PURE__ */ new Date();
      utimes(file, now, now, (e) => {
        if (e) lost ??= e.code ?? String(e);
      });
    },
    Math.max(50, Math.floor(staleMs / 10))
  );
  refresh.unref();
  const verify = async () => {
    if (ownerOf(file)?.token === owner.token) return;
    const now = inspect3(file);
    throw new RefineryError(
      "conflict",
      `this run lost the state lock ${file}${now ? ` to ${describeOwner(now)}` : ""}${lost ? ` (${lost})` : ""}: it was taken over as stale; nothing more was written`,
      {
        fix: "record again: what this run did not write is still in its results folder"
      }
    );
  };
  const release = async () => {
    clearInterval(refresh);
    if (ownerOf(file)?.token === owner.token) unlinkSync(file);
    if (created.folder) {
      try {
        rmdirSync(dir);
      } catch {
      }
    }
  };
  return { held: { file, token: owner.token, verify }, release };
}
function makeFolder(dir) {
  try {
    return mkdirSync(dir, { recursive: true }) !== void 0;
  } catch (e) {
    const code = e.code;
    throw new RefineryError("state", `cannot create the state folder: ${code ?? String(e)}`, {
      location: { file: dir },
      fix: code === "EEXIST" || code === "ENOTDIR" ? "point --state at a folder (this path is a file)" : "check the permissions of the state folder"
    });
  }
}
function tryCreate(dir, file, owner, created) {
  try {
    writeFileSync2(file, `${JSON.stringify(owner)}
`, { flag: "wx" });
    return true;
  } catch (e) {
    const code = e.code;
    if (code === "EEXIST") return false;
    if (code === "ENOENT" || code === "ENOTDIR") {
      if (makeFolder(dir)) created.folder = true;
      return false;
    }
    throw new RefineryError("state", `cannot create the state lock: ${code ?? String(e)}`, {
      location: { file },
      fix: "check that the state folder is writable"
    });
  }
}
function ownerOf(file) {
  try {
    return parseOwner(readFileSync3(file, "utf8"));
  } catch (e) {
    if (e.code === "ENOENT") return void 0;
    throw e;
  }
}
function parseOwner(text) {
  try {
    const parsed = LockOwner.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : void 0;
  } catch {
    return void 0;
  }
}
function inspect3(file) {
  try {
    const st = statSync2(file);
    const text = readFileSync3(file, "utf8");
    return { owner: parseOwner(text), mtimeMs: st.mtimeMs, ino: st.ino };
  } catch (e) {
    if (e.code === "ENOENT") return void 0;
    throw e;
  }
}
function staleReason(seen, staleMs) {
  const age = Date.now() - seen.mtimeMs;
  if (!seen.owner) return age > UNREADABLE_GRACE_MS ? "is unreadable" : void 0;
  if (seen.owner.host === hostname() && !alive(seen.owner.pid)) return "is no longer running";
  if (age > staleMs) return `has not refreshed it for ${Math.round(age / 1e3)} s`;
  return void 0;
}
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}
function takeOver(file, seen, token) {
  const aside = `${file}.${token}.stale.tmp`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if (e.code === "ENOENT") return false;
    throw e;
  }
  const moved = inspect3(aside);
  const same = moved !== void 0 && moved.ino === seen.ino && moved.mtimeMs === seen.mtimeMs && moved.owner?.token === seen.owner?.token;
  if (!same && moved) {
    try {
      linkSync(aside, file);
    } catch {
    }
  }
  unlinkSync(aside);
  return same;
}
function describeOwner(seen) {
  const o2 = seen.owner;
  if (!o2) return `an unknown writer (unreadable lock, modified ${new Date(seen.mtimeMs).toISOString()})`;
  return `${o2.purpose ? `refinery ${o2.purpose}` : "refinery"} (pid ${o2.pid} on ${o2.host}, since ${o2.started})`;
}

// src/domain/state/write.ts
import { randomBytes as randomBytes3 } from "node:crypto";
import { mkdir as mkdir2, open, readdir as readdir2, readFile as readFile5, rename, rm, stat as stat2 } from "node:fs/promises";
import { dirname, join as join4 } from "node:path";

// src/domain/state/serialize.ts
var MARKER = { schema: STATE_SCHEMA, about: "refinery state: see docs/state.md" };
function packageFileText(pkg) {
  const file = {
    schema: PACKAGE_SCHEMA,
    name: pkg.name,
    manifest: pkg.manifest,
    requests: pkg.requests,
    drops: pkg.drops,
    ...pkg.withdrawals && pkg.withdrawals.length > 0 ? { withdrawals: pkg.withdrawals } : {},
    hints: pkg.hints,
    knownFailing: pkg.knownFailing,
    queue: pkg.queue
  };
  return stableJson(file);
}
function historyText(pkg) {
  const lines = [canonicalLine({ schema: HISTORY_SCHEMA, package: pkg.name })];
  for (const h2 of pkg.history) lines.push(canonicalLine(h2));
  return `${lines.join("\n")}
`;
}
function stateFiles(state, names) {
  const files = /* @__PURE__ */ new Map();
  files.set(MARKER_FILE, stableJson(MARKER));
  files.set(GITIGNORE_FILE, GITIGNORE_TEXT);
  for (const name of names ?? state.packages.keys()) {
    const pkg = state.packages.get(name);
    if (!pkg) continue;
    files.set(packageFile(name), packageFileText(pkg));
    if (pkg.history.length > 0) files.set(historyFile(name), historyText(pkg));
  }
  return files;
}

// src/domain/state/write.ts
async function saveState(dir, state, names, lock = {}) {
  if (!holdsStateLock(dir)) return withStateLock(dir, () => saveState(dir, state, names), { purpose: "save", ...lock });
  await recoverState(dir);
  const tag = `${process.pid}.${randomBytes3(4).toString("hex")}`;
  const fixed = [
    [MARKER_FILE, () => stableJson(MARKER)],
    [GITIGNORE_FILE, () => GITIGNORE_TEXT]
  ];
  const perPackage = [...new Set(names ?? state.packages.keys())].sort().flatMap((name) => {
    const pkg = state.packages.get(name);
    if (!pkg) return [];
    return [
      [packageFile(name), () => packageFileText(pkg)],
      [historyFile(name), () => pkg.history.length > 0 ? historyText(pkg) : void 0]
    ];
  });
  const all = [...fixed, ...perPackage];
  let failure;
  const staged = await mapLimit(
    all,
    32,
    async ([rel, text]) => failure === void 0 ? stageIfChanged(dir, rel, text(), tag).catch((e) => void (failure ??= e)) : void 0
  );
  const renames = staged.filter((r) => r !== void 0);
  try {
    if (failure !== void 0) throw failure;
    if (renames.length === 0) return [];
    await verifyStateLock(dir);
  } catch (e) {
    await Promise.all(all.map(([rel]) => rm(join4(dir, `${rel}.${tag}.tmp`), { force: true })));
    throw e;
  }
  if (renames.length > 1) await writeFileAtomic(join4(dir, JOURNAL_FILE), stableJson({ schema: "refinery/journal@2", renames }));
  await applyRenames(dir, renames, false);
  await rm(join4(dir, JOURNAL_FILE), { force: true });
  return renames.map(([, rel]) => rel).sort();
}
async function stageIfChanged(dir, rel, text, tag) {
  if (text === void 0) return void 0;
  const current = await readFile5(join4(dir, rel), "utf8").catch(() => void 0);
  if (current === text) return void 0;
  const tmp = `${rel}.${tag}.tmp`;
  await mkdir2(dirname(join4(dir, tmp)), { recursive: true });
  const fh = await open(join4(dir, tmp), "w");
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return [tmp, rel];
}
var WRITER_TEMP = [
  ["", /^(?:state\.json|\.gitignore|\.journal\.json)\.\d+\.[0-9a-f]{8}\.tmp$/],
  [PACKAGES_DIR, /^[a-z0-9-]+\.json\.\d+\.[0-9a-f]{8}\.tmp$/],
  [HISTORY_DIR, /^[a-z0-9-]+\.jsonl\.\d+\.[0-9a-f]{8}\.tmp$/]
];
var LOCK_ASIDE = /^\.lock\.[0-9a-f]{16}\.stale\.tmp$/;
async function recoverState(dir, lock = {}) {
  if (!holdsStateLock(dir)) return withStateLock(dir, () => recoverState(dir), { purpose: "recover", ...lock });
  const renames = await readJournal(dir);
  if (renames.length > 0) await applyRenames(dir, renames, true);
  await rm(join4(dir, JOURNAL_FILE), { force: true });
  for (const [sub, pattern] of WRITER_TEMP) {
    const names = await readdir2(join4(dir, sub)).catch(() => []);
    await Promise.all(names.filter((n2) => pattern.test(n2)).map((n2) => rm(join4(dir, sub, n2), { force: true })));
  }
  const top = await readdir2(dir).catch(() => []);
  for (const n2 of top.filter((n3) => LOCK_ASIDE.test(n3))) {
    const st = await stat2(join4(dir, n2)).catch(() => void 0);
    if (st && Date.now() - st.mtimeMs > 6e4) await rm(join4(dir, n2), { force: true });
  }
}
async function applyRenames(dir, renames, replay) {
  await mapLimit(renames, 16, async ([tmp, rel]) => {
    try {
      await rename(join4(dir, tmp), join4(dir, rel));
    } catch (e) {
      const code = e.code;
      if (replay && code === "ENOENT") return;
      throw new RefineryError("state", `could not move ${tmp} over ${rel}: ${code ?? String(e)}`, {
        location: { file: join4(dir, rel) },
        cause: e,
        fix: replay ? "check the permissions of the state folder; the interrupted write is kept in its journal" : "something else changed the state folder while refinery held its lock; the write is kept in its journal, and the next record finishes it"
      });
    }
  });
}

// src/domain/state/queries.ts
function manifestFor(state, name, version) {
  return state.packages.get(name)?.manifest.filter((m) => m.version === version) ?? [];
}
function knownFailing(state, name, version) {
  return state.packages.get(name)?.knownFailing.filter((k) => k.version === version) ?? [];
}
function learnedHints(state, name) {
  return state.packages.get(name)?.hints ?? [];
}
function durationEvidence(state, name, version, like = {}) {
  const pkg = state.packages.get(name);
  if (!pkg || pkg.history.length === 0) return void 0;
  const runs = groupRuns(pkg.history).filter((r) => {
    const last = r.attempts.at(-1);
    if (like.preset !== void 0 && r.preset !== like.preset) return false;
    if (like.compiler !== void 0 && (last.compiler ?? "emulated") !== like.compiler) return false;
    return like.executors === void 0 || like.executors.includes(last.executor);
  });
  if (runs.length === 0) return void 0;
  const pick = (list) => {
    const ok = list.filter((r) => r.outcome === "success");
    return (ok.length > 0 ? ok : list).slice(-5);
  };
  const forVersion = version === void 0 ? [] : runs.filter((r) => r.version === version);
  const chosen = pick(forVersion.length > 0 ? forVersion : runs);
  const seconds = chosen.map((r) => r.attempts.reduce((s, a2) => s + a2.durationMs, 0) / 1e3).sort((a2, b) => a2 - b);
  const mid = Math.floor(seconds.length / 2);
  return { seconds: seconds.length % 2 === 1 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2, runs: chosen.length };
}
function dueQueueEntries(state, now) {
  return allQueueEntries(state).filter((q) => q.status === "waiting" && ms(q.nextEligibleAt) <= now.getTime()).sort((a2, b) => cmpTime(a2.nextEligibleAt, b.nextEligibleAt) || cmp(a2.package, b.package) || cmp(a2.version, b.version));
}
function allQueueEntries(state) {
  return [...state.packages.values()].flatMap((p) => p.queue);
}
var reuseIndex = /* @__PURE__ */ new WeakMap();
function findReusable(state, fingerprint) {
  let index = reuseIndex.get(state.packages);
  if (!index) {
    index = /* @__PURE__ */ new Map();
    for (const pkg of state.packages.values()) {
      for (const m of pkg.manifest) if (m.storage.kind !== "none" && !index.has(m.inputsFingerprint)) index.set(m.inputsFingerprint, m);
    }
    reuseIndex.set(state.packages, index);
  }
  return index.get(fingerprint);
}

// src/domain/state/queue.ts
function requestBuild(state, name, request, policy = DEFAULT_RETRY_POLICY) {
  const pkg = state.packages.get(name) ?? emptyPackage(name);
  const packages = new Map(state.packages);
  packages.set(name, normalizePackage({ ...pkg, requests: [...pkg.requests, request] }, policy));
  return { packages };
}
function dropQueued(state, name, drop, policy = DEFAULT_RETRY_POLICY) {
  const pkg = state.packages.get(name) ?? emptyPackage(name);
  const packages = new Map(state.packages);
  packages.set(name, normalizePackage({ ...pkg, drops: [...pkg.drops, drop] }, policy));
  return { packages };
}
function withdrawWheels(state, name, withdrawal, policy = DEFAULT_RETRY_POLICY) {
  const pkg = state.packages.get(name) ?? emptyPackage(name);
  const packages = new Map(state.packages);
  packages.set(name, normalizePackage({ ...pkg, withdrawals: [...pkg.withdrawals ?? [], withdrawal] }, policy));
  return { packages };
}

// src/domain/model/order.ts
function byCodePoint(a2, b) {
  return a2 < b ? -1 : a2 > b ? 1 : 0;
}

// src/stages/plan/batches.ts
var MAX_MATRIX_ENTRIES = 256;
function packWaves(units, o2) {
  const parallel = Math.max(1, Math.min(MAX_MATRIX_ENTRIES, Math.floor(o2.maxParallel)));
  const batches = [];
  const overLimit = [];
  let makespan = 0;
  let bound = 0;
  for (const wave of [...new Set(units.map((u2) => u2.wave))].sort((a2, b) => a2 - b)) {
    const inWave = units.filter((u2) => u2.wave === wave).sort((a2, b) => b.estimatedSeconds - a2.estimatedSeconds || byCodePoint(a2.id, b.id));
    const total = inWave.reduce((s, u2) => s + u2.estimatedSeconds, 0);
    const rounds = Math.max(1, Math.ceil(total / (parallel * o2.jobLimitSeconds)));
    const target = Math.min(MAX_MATRIX_ENTRIES, parallel * rounds);
    const bins = [];
    for (const u2 of inWave) {
      const d = u2.estimatedSeconds;
      if (d > o2.jobLimitSeconds) {
        overLimit.push(u2.id);
        bins.push({ units: [u2.id], load: d });
        continue;
      }
      let best;
      for (const b of bins) if (b.load + d <= o2.jobLimitSeconds && (!best || b.load < best.load)) best = b;
      if (!best || bins.length < target && best.load > 0) {
        if (bins.length < MAX_MATRIX_ENTRIES) best = { units: [], load: 0 };
        else best = bins.reduce((m, b) => b.load < m.load ? b : m);
        if (!bins.includes(best)) bins.push(best);
      }
      best.units.push(u2.id);
      best.load += d;
    }
    bins.sort((a2, b) => b.load - a2.load);
    for (const b of bins) batches.push({ wave, index: batches.length, units: b.units, estimatedSeconds: b.load });
    makespan += listSchedule(
      bins.map((b) => b.load),
      parallel
    );
    bound += Math.max(inWave[0]?.estimatedSeconds ?? 0, total / parallel);
  }
  return { batches, overLimit, makespanSeconds: makespan, lowerBoundSeconds: bound };
}
function listSchedule(loads, runners) {
  const free = new Array(Math.min(runners, loads.length)).fill(0);
  for (const load2 of loads) {
    let i2 = 0;
    for (let j = 1; j < free.length; j++) if (free[j] < free[i2]) i2 = j;
    free[i2] += load2;
  }
  return free.reduce((m, t) => Math.max(m, t), 0);
}

// src/stages/plan/shards.ts
function shard(units, maxJobs, maxBytes) {
  const shards = [];
  const waves = [...new Set(units.map((u2) => u2.wave))].sort((a2, b) => a2 - b);
  for (const wave of waves) {
    let current = [];
    let bytes = overhead;
    for (const unit of units.filter((u2) => u2.wave === wave)) {
      const size = Buffer.byteLength(JSON.stringify(unit)) + 1;
      if (size + overhead > maxBytes) {
        throw new RefineryError("config", `plan unit ${unit.id} alone is ${size} bytes, over the ${maxBytes}-byte output limit`, {
          location: { field: "limits.maxOutputBytes" },
          fix: "raise limits.maxOutputBytes (GitHub allows up to 1 MB of job outputs)"
        });
      }
      if (current.length >= maxJobs || bytes + size > maxBytes) {
        shards.push({ index: shards.length, wave, matrix: { include: current } });
        current = [];
        bytes = overhead;
      }
      current.push(unit);
      bytes += size;
    }
    if (current.length > 0) shards.push({ index: shards.length, wave, matrix: { include: current } });
  }
  return shards;
}
var overhead = 14;

// src/stages/plan/waves.ts
function assignWaves(units) {
  const byId = new Map(units.map((u2) => [u2.id, u2]));
  const wave = /* @__PURE__ */ new Map();
  const state = /* @__PURE__ */ new Map();
  const cycles = [];
  const stack = [];
  const visit = (id) => {
    const s = state.get(id);
    if (s === "done") return wave.get(id);
    if (s === "visiting") {
      cycles.push(stack.slice(stack.indexOf(id)));
      return -1;
    }
    state.set(id, "visiting");
    stack.push(id);
    let w = 0;
    for (const need of byId.get(id)?.needs ?? []) {
      if (!byId.has(need)) continue;
      w = Math.max(w, visit(need) + 1);
    }
    stack.pop();
    state.set(id, "done");
    wave.set(id, w);
    return w;
  };
  for (const u2 of [...units].sort((a2, b) => byCodePoint(a2.id, b.id))) visit(u2.id);
  return { wave, cycles };
}

// src/domain/python/environment.ts
var DEFAULT_PATCH = {
  "3.8": "3.8.20",
  "3.9": "3.9.25",
  "3.10": "3.10.19",
  "3.11": "3.11.14",
  "3.12": "3.12.12",
  "3.13": "3.13.9",
  "3.14": "3.14.0"
};
function markerEnvironment(opts) {
  const full = opts.fullVersion ?? DEFAULT_PATCH[opts.python] ?? `${opts.python}.0`;
  return {
    implementation_name: "cpython",
    implementation_version: full,
    os_name: "posix",
    platform_machine: "s390x",
    platform_release: opts.platformRelease ?? "",
    platform_system: "Linux",
    platform_version: opts.platformVersion ?? "",
    python_full_version: full,
    platform_python_implementation: "CPython",
    python_version: opts.python,
    sys_platform: "linux",
    ...opts.extras ? { extras: opts.extras } : {},
    ...opts.dependencyGroups ? { dependency_groups: opts.dependencyGroups } : {}
  };
}

// src/domain/python/marker-ast.ts
var VERSION_VARIABLES = /* @__PURE__ */ new Set(["implementation_version", "platform_release", "python_full_version", "python_version"]);
var SET_VARIABLES = /* @__PURE__ */ new Set(["extras", "dependency_groups"]);
function formatMarker(marker) {
  return formatNode(marker, true);
}
function formatNode(node, first) {
  if (typeof node === "string") return node;
  if (!Array.isArray(node)) {
    const operand = (o2) => "variable" in o2 ? o2.variable : `"${o2.value}"`;
    return `${operand(node.left)} ${node.op} ${operand(node.right)}`;
  }
  if (node.length === 1 && node[0] !== void 0) return formatNode(node[0], Array.isArray(node[0]) ? first : true);
  const inner = node.map((n2) => formatNode(n2, false)).join(" ");
  return first ? inner : `(${inner})`;
}
function evaluateMarker(marker, env, extras = []) {
  const contexts = ["", ...extras.map(normalizeName)];
  return contexts.some((extra) => evaluateExpression(marker, env, extra));
}
function evaluateExpression(marker, env, extra) {
  const groups = [[]];
  for (const node of marker) {
    if (node === "or") groups.push([]);
    else if (node === "and") continue;
    else if (Array.isArray(node)) groups[groups.length - 1]?.push(evaluateExpression(node, env, extra));
    else groups[groups.length - 1]?.push(evaluateItem(node, env, extra));
  }
  return groups.some((g) => g.every(Boolean));
}
function evaluateItem(item, env, extra) {
  const variable = "variable" in item.left ? item.left.variable : "variable" in item.right ? item.right.variable : void 0;
  if (variable === void 0) {
    throw new RefineryError("input", `marker compares two literals (${formatNode(item, true)}); one side must be a variable`);
  }
  const lookup = (o2) => "value" in o2 ? o2.value : variableValue(o2.variable, env, extra);
  let lhs = lookup(item.left);
  let rhs = lookup(item.right);
  if (variable === "extra") {
    if ("value" in item.left) lhs = normalizeName(lhs);
    if ("value" in item.right) rhs = normalizeName(rhs);
  } else if (SET_VARIABLES.has(variable)) {
    lhs = typeof lhs === "string" ? normalizeName(lhs) : lhs.map(normalizeName);
    rhs = typeof rhs === "string" ? normalizeName(rhs) : rhs.map(normalizeName);
  }
  if (typeof lhs !== "string") {
    throw new RefineryError("input", `marker ${formatNode(item, true)}: the set-valued \`${variable}\` must be on the right of in / not in`);
  }
  if (VERSION_VARIABLES.has(variable) && typeof rhs === "string" && isValidSpecifierClause(`${item.op}${rhs}`)) {
    return clauseContains(`${item.op}${rhs}`, lhs);
  }
  switch (item.op) {
    case "in":
      return typeof rhs === "string" ? rhs.includes(lhs) : rhs.includes(lhs);
    case "not in":
      return typeof rhs === "string" ? !rhs.includes(lhs) : !rhs.includes(lhs);
    case "==":
    case "<=":
    case ">=":
      return lhs === rhs;
    case "!=":
      return lhs !== rhs;
    case "<":
    case ">":
      return false;
    default:
      throw new RefineryError("input", `marker ${formatNode(item, true)}: operator ${item.op} is undefined for these values`, {
        fix: "use ==, != or in for non-version variables"
      });
  }
}
function variableValue(variable, env, extra) {
  if (variable === "extra") return extra;
  const value = env[variable];
  if (value === void 0) {
    throw new RefineryError("input", `marker uses \`${variable}\`, which is only defined when evaluating lock files`);
  }
  return value;
}

// src/domain/python/pep508.ts
var RULES = {
  LEFT_PARENTHESIS: /\(/y,
  RIGHT_PARENTHESIS: /\)/y,
  LEFT_BRACKET: /\[/y,
  RIGHT_BRACKET: /\]/y,
  SEMICOLON: /;/y,
  COMMA: /,/y,
  QUOTED_STRING: /(?:'[^']*')|(?:"[^"]*")/y,
  OP: /(?:===|==|~=|!=|<=|>=|<|>)/y,
  BOOLOP: /\b(?:or|and)\b/y,
  IN: /\bin\b/y,
  NOT: /\bnot\b/y,
  VARIABLE: /\b(?:python_version|python_full_version|os[._]name|sys[._]platform|platform_(?:release|system)|platform[._](?:version|machine|python_implementation)|python_implementation|implementation_(?:name|version)|extras?|dependency_groups)\b/y,
  SPECIFIER: new RegExp(`(?:${SPECIFIER_SOURCE})`, "iy"),
  AT: /@/y,
  URL: /[^ \t]+/y,
  IDENTIFIER: /\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b/y,
  VERSION_PREFIX_TRAIL: /\.\*/y,
  VERSION_LOCAL_LABEL_TRAIL: /\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/y,
  WS: /[ \t]+/y,
  // Python's `$` also matches before one trailing newline.
  END: /(?=\n?$)/y
};
var Pep508SyntaxError = class extends RefineryError {
  constructor(detail, source, span) {
    const caret = `${" ".repeat(span[0]) + "~".repeat(Math.max(0, span[1] - span[0]))}^`;
    super("input", `${detail}
    ${source}
    ${caret}`, { fix: "see https://packaging.python.org/specifications/dependency-specifiers/" });
    this.detail = detail;
    this.source = source;
    this.span = span;
    this.name = "Pep508SyntaxError";
  }
  detail;
  source;
  span;
};
var Tokenizer = class {
  constructor(source) {
    this.source = source;
  }
  source;
  position = 0;
  next;
  consume(name) {
    if (this.check(name)) this.read();
  }
  check(name, peek = false) {
    const re = RULES[name];
    re.lastIndex = this.position;
    const m = re.exec(this.source);
    if (!m) return false;
    if (!peek) this.next = { name, text: m[0], position: this.position };
    return true;
  }
  expect(name, expected) {
    if (!this.check(name)) this.fail(`Expected ${expected}`);
    return this.read();
  }
  read() {
    const token = this.next;
    if (!token) throw new Error("tokenizer: read() without a successful check()");
    this.position += token.text.length;
    this.next = void 0;
    return token;
  }
  fail(message, spanStart, spanEnd) {
    throw new Pep508SyntaxError(message, this.source, [spanStart ?? this.position, spanEnd ?? this.position]);
  }
  /** Parse `inner` optionally wrapped in open/close tokens; an unclosed open is an error. */
  enclosing(open2, close, around, inner) {
    let openPosition;
    if (this.check(open2)) {
      openPosition = this.position;
      this.read();
    }
    const value = inner();
    if (openPosition === void 0) return value;
    if (!this.check(close)) {
      this.fail(`Expected matching ${close} for ${open2}, after ${around}`, openPosition);
    }
    this.read();
    return value;
  }
};
function parsePep508(source) {
  const t = new Tokenizer(source);
  t.consume("WS");
  const name = t.expect("IDENTIFIER", "package name at the start of dependency specifier").text;
  t.consume("WS");
  const extras = parseExtras(t);
  t.consume("WS");
  const { url, specifier, marker } = parseDetails(t);
  t.expect("END", "end of dependency specifier");
  return { name, url, extras, specifier, marker };
}
function parseMarkerExpression(source) {
  const t = new Tokenizer(source);
  const marker = parseMarker(t);
  t.expect("END", "end of marker expression");
  return marker;
}
function parseDetails(t) {
  if (t.check("AT")) {
    t.read();
    t.consume("WS");
    const urlStart = t.position;
    const url = t.expect("URL", "URL after @").text;
    if (t.check("END", true)) return { url, specifier: "", marker: void 0 };
    t.expect("WS", "whitespace after URL");
    if (t.check("END", true)) return { url, specifier: "", marker: void 0 };
    const marker2 = parseRequirementMarker(t, urlStart, "semicolon (after URL and whitespace)");
    return { url, specifier: "", marker: marker2 };
  }
  const specStart = t.position;
  const specifier = parseSpecifier(t);
  t.consume("WS");
  if (t.check("END", true)) return { url: "", specifier, marker: void 0 };
  const marker = parseRequirementMarker(
    t,
    specStart,
    specifier ? "comma (within version specifier), semicolon (after version specifier)" : "semicolon (after name with no version specifier)"
  );
  return { url: "", specifier, marker };
}
function parseRequirementMarker(t, spanStart, expected) {
  if (!t.check("SEMICOLON")) t.fail(`Expected ${expected} or end`, spanStart);
  t.read();
  const marker = parseMarker(t);
  t.consume("WS");
  return marker;
}
function parseExtras(t) {
  if (!t.check("LEFT_BRACKET", true)) return [];
  return t.enclosing("LEFT_BRACKET", "RIGHT_BRACKET", "extras", () => {
    t.consume("WS");
    const extras = parseExtrasList(t);
    t.consume("WS");
    return extras;
  });
}
function parseExtrasList(t) {
  const extras = [];
  if (!t.check("IDENTIFIER")) return extras;
  extras.push(t.read().text);
  for (; ; ) {
    t.consume("WS");
    if (t.check("IDENTIFIER", true)) t.fail("Expected comma between extra names");
    else if (!t.check("COMMA")) break;
    t.read();
    t.consume("WS");
    extras.push(t.expect("IDENTIFIER", "extra name after comma").text);
  }
  return extras;
}
function parseSpecifier(t) {
  return t.enclosing("LEFT_PARENTHESIS", "RIGHT_PARENTHESIS", "version specifier", () => {
    t.consume("WS");
    const parsed = parseVersionMany(t);
    t.consume("WS");
    return parsed;
  });
}
function parseVersionMany(t) {
  let parsed = "";
  while (t.check("SPECIFIER")) {
    const spanStart = t.position;
    parsed += t.read().text;
    if (t.check("VERSION_PREFIX_TRAIL", true)) {
      t.fail(".* suffix can only be used with `==` or `!=` operators", spanStart, t.position + 1);
    }
    if (t.check("VERSION_LOCAL_LABEL_TRAIL", true)) {
      t.fail("Local version label can only be used with `==` or `!=` operators", spanStart, t.position);
    }
    t.consume("WS");
    if (!t.check("COMMA")) break;
    parsed += t.read().text;
    t.consume("WS");
  }
  return parsed;
}
function parseMarker(t) {
  const items = [parseMarkerAtom(t)];
  while (t.check("BOOLOP")) {
    const op = t.read().text;
    items.push(op, parseMarkerAtom(t));
  }
  return items;
}
function parseMarkerAtom(t) {
  t.consume("WS");
  let marker;
  if (t.check("LEFT_PARENTHESIS", true)) {
    marker = t.enclosing("LEFT_PARENTHESIS", "RIGHT_PARENTHESIS", "marker expression", () => {
      t.consume("WS");
      const inner = parseMarker(t);
      t.consume("WS");
      return inner;
    });
  } else {
    marker = parseMarkerItem(t);
  }
  t.consume("WS");
  return marker;
}
function parseMarkerItem(t) {
  t.consume("WS");
  let left = parseMarkerVar(t);
  t.consume("WS");
  const op = parseMarkerOp(t);
  t.consume("WS");
  let right = parseMarkerVar(t);
  t.consume("WS");
  if ("variable" in left && left.variable === "extra" && "value" in right) right = { value: normalizeName(right.value) };
  if ("variable" in right && right.variable === "extra" && "value" in left) left = { value: normalizeName(left.value) };
  return { left, op, right };
}
function parseMarkerVar(t) {
  if (t.check("VARIABLE")) {
    const name = t.read().text.replace(".", "_");
    const variable = name === "python_implementation" ? "platform_python_implementation" : name;
    return { variable };
  }
  if (t.check("QUOTED_STRING")) {
    const start = t.position;
    const token = t.read();
    const value = decodePythonString(token.text.slice(1, -1));
    if (value === void 0) t.fail("Invalid escape sequence in quoted string", start, t.position);
    return { value };
  }
  return t.fail("Expected a marker variable or quoted string");
}
function parseMarkerOp(t) {
  if (t.check("IN")) {
    t.read();
    return "in";
  }
  if (t.check("NOT")) {
    t.read();
    t.expect("WS", "whitespace after 'not'");
    t.expect("IN", "'in' after 'not'");
    return "not in";
  }
  if (t.check("OP")) return t.read().text;
  return t.fail("Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in");
}
var SIMPLE_ESCAPES = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "	",
  v: "\v",
  "\n": ""
};
function decodePythonString(body) {
  if (!body.includes("\\")) return body;
  let out = "";
  for (let i2 = 0; i2 < body.length; i2++) {
    const c3 = body[i2];
    if (c3 !== "\\") {
      out += c3;
      continue;
    }
    const e = body[i2 + 1];
    if (e === void 0) return void 0;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== void 0) {
      out += simple;
      i2++;
      continue;
    }
    const hexLength = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hexLength > 0) {
      const hex = body.slice(i2 + 2, i2 + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) return void 0;
      const cp2 = parseInt(hex, 16);
      if (cp2 > 1114111) return void 0;
      out += String.fromCodePoint(cp2);
      i2 += 1 + hexLength;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i2 + 1));
    if (octal) {
      out += String.fromCodePoint(parseInt(octal[0], 8));
      i2 += octal[0].length;
      continue;
    }
    if (e === "N") return void 0;
    out += `\\${e}`;
    i2++;
  }
  return out;
}

// src/domain/python/requirement.ts
var SIMPLE_PIN = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*==\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*$/;
function parseRequirement(line) {
  const pin = SIMPLE_PIN.exec(line);
  if (pin) {
    const specifier2 = normalizeSpecifierSet(`==${pin[2]}`);
    if (specifier2 !== null) return { name: pin[1], normalizedName: normalizeName(pin[1]), extras: [], specifier: specifier2, source: line.trim() };
  }
  const parsed = parsePep508(line);
  const specifier = normalizeSpecifierSet(parsed.specifier);
  if (specifier === null) {
    throw new RefineryError("input", `invalid version specifier ${JSON.stringify(parsed.specifier)} in ${JSON.stringify(line.trim())}`);
  }
  return {
    name: parsed.name,
    normalizedName: normalizeName(parsed.name),
    extras: [...new Set(parsed.extras.map(normalizeName))].sort(),
    specifier,
    ...parsed.url ? { url: parsed.url } : {},
    ...parsed.marker ? { marker: parsed.marker } : {},
    source: line.trim()
  };
}
function parseMarker2(marker) {
  return parseMarkerExpression(marker);
}

// src/domain/hints/predict.ts
var IMPLIED = {
  // Rust extensions
  maturin: ["rust-toolchain"],
  "setuptools-rust": ["rust-toolchain"],
  puccinialin: ["rust-toolchain"],
  // CMake-driven builds compile C++ more often than not, and CMake wants a C++ compiler to enable CXX
  cmake: ["cmake", "cxx-compiler"],
  "scikit-build-core": ["cmake", "ninja", "cxx-compiler"],
  "scikit-build": ["cmake", "cxx-compiler"],
  // meson-python: meson itself comes from PyPI, ninja and pkg-config from the system
  "meson-python": ["ninja", "pkg-config"],
  meson: ["ninja", "pkg-config"],
  // C++ binding generators
  pybind11: ["cxx-compiler"],
  nanobind: ["cxx-compiler"],
  // C libraries a build requirement compiles against
  cffi: ["libffi"],
  // SciPy-style builds: a Fortran compiler and BLAS/LAPACK
  "scipy-openblas32": ["openblas-lapack"],
  "scipy-openblas64": ["openblas-lapack"],
  pythran: ["cxx-compiler", "openblas-lapack"],
  // NumPy and SciPy have no s390x wheels on PyPI: as build requirements pip compiles them, NumPy
  // with C++ sources, SciPy also with Fortran and against BLAS/LAPACK (meson finds them by pkg-config)
  numpy: ["cxx-compiler"],
  scipy: ["cxx-compiler", "gfortran", "openblas-lapack", "pkg-config"]
};
var BY_LANGUAGE = {
  // ujson's bundled double-conversion: C++ without any C++ build requirement
  cpp: ["cxx-compiler"],
  fortran: ["gfortran"],
  rust: ["rust-toolchain"]
};
var LANGUAGE_NAME = { cpp: "C++", fortran: "Fortran", rust: "Rust" };
var BY_SYS_CRATE = {
  "openssl-sys": ["openssl-headers"],
  "libffi-sys": ["libffi"],
  "libz-sys": ["zlib"]
};
function predictHints(buildRequires, python, source = {}) {
  const env = markerEnvironment({ python });
  const out = /* @__PURE__ */ new Map();
  for (const source2 of buildRequires) {
    let req;
    try {
      req = parseRequirement(source2);
    } catch {
      continue;
    }
    if (req.marker && !evaluateMarker(req.marker, env)) continue;
    for (const hint of IMPLIED[req.normalizedName] ?? []) if (!out.has(hint)) out.set(hint, req.normalizedName);
  }
  for (const lang of source.languages ?? []) {
    for (const hint of BY_LANGUAGE[lang] ?? []) if (!out.has(hint)) out.set(hint, `${LANGUAGE_NAME[lang]} sources`);
  }
  for (const crate of source.sysCrates ?? []) {
    for (const hint of BY_SYS_CRATE[crate] ?? []) if (!out.has(hint)) out.set(hint, `crate ${crate}`);
  }
  return [...out].map(([hint, because]) => ({ hint, because })).sort((a2, b) => a2.hint < b.hint ? -1 : a2.hint > b.hint ? 1 : 0);
}

// src/stages/plan/estimate.ts
var QEMU = {
  base: 60,
  configure: 90,
  perMb: { c: 120, cython: 250, cpp: 300, fortran: 300, rust: 600 },
  rustCrates: 2400
};
var COMPILE_FACTOR = {
  qemu: { compile: 1, rust: 1, rest: 1 },
  turbo: { compile: 0.3, rust: 0.7, rest: 1 },
  native: { compile: 0.12, rust: 0.12, rest: 0.2 }
};
var CONFIGURE_BACKENDS = /* @__PURE__ */ new Set(["cmake", "scikit-build-core", "scikit-build", "meson-python", "meson", "py-build-cmake"]);
var RUST_BACKENDS = /* @__PURE__ */ new Set(["maturin", "setuptools-rust", "puccinialin"]);
var CPP_BACKENDS = /* @__PURE__ */ new Set(["pybind11", "nanobind", "cmake", "scikit-build-core", "scikit-build"]);
function priorEstimate(entry, executor) {
  const names = /* @__PURE__ */ new Set();
  for (const r of entry.buildRequires ?? []) {
    try {
      names.add(parseRequirement(r).normalizedName);
    } catch {
    }
  }
  const measured = entry.source !== void 0;
  const languages = new Set(entry.source?.languages ?? []);
  if (!measured) {
    if ([...names].some((n2) => RUST_BACKENDS.has(n2))) languages.add("rust");
    if ([...names].some((n2) => CPP_BACKENDS.has(n2))) languages.add("cpp");
    if (names.has("cython")) languages.add("cython");
    if (languages.size === 0) languages.add("c");
  }
  const mb = (entry.source?.bytes ?? entry.sdist?.size ?? 1e6) / 1e6;
  const perMb = Math.max(0, ...[...languages].map((l) => QEMU.perMb[l] ?? 0));
  const f = COMPILE_FACTOR[executor];
  const configure = [...names].some((n2) => CONFIGURE_BACKENDS.has(n2));
  const rust = languages.has("rust");
  const rest = (QEMU.base + (configure ? QEMU.configure : 0)) * f.rest;
  const compile = mb * perMb * (rust && languages.size === 1 ? f.rust : f.compile) + (rust ? QEMU.rustCrates * f.rust : 0);
  const what = measured ? `${formatMb(mb)} of ${[...languages].sort().join("/") || "no compiled"} sources (tests and data left out)` : `sdist ${formatMb(mb)} (sources not measured), ${[...languages].sort().join("/")} from the build requirements`;
  return {
    seconds: Math.round(rest + compile),
    source: "prior",
    basis: `prior: ${what}${configure ? ", a configure step" : ""}${rust ? ", Rust crates" : ""}, ${EXECUTOR_WORDS[executor]}`
  };
}
var EXECUTOR_WORDS = {
  qemu: "emulated under QEMU",
  turbo: "turbo (host compilers under QEMU)",
  native: "on a native s390x runner"
};
function historyEstimate(recorded, like) {
  return {
    seconds: Math.round(recorded.seconds),
    source: "history",
    basis: `history: median of ${recorded.runs} recorded build(s) of this package with preset ${like.preset}, compiler ${like.compiler}, ${EXECUTOR_WORDS[like.executor]}`
  };
}
function formatMb(mb) {
  return mb >= 10 ? `${Math.round(mb)} MB` : mb >= 0.1 ? `${mb.toFixed(1)} MB` : `${Math.round(mb * 1e3)} kB`;
}

// src/stages/plan/plan.ts
function plan(inventory, config, deps) {
  const runner = chooseRunner(config);
  const skipped = [];
  const candidates = [];
  for (const entry of inventory.packages) {
    const queued = deps.queued(entry.name, entry.version);
    const requested = entry.status === "built" && queued?.due === true && entry.sdist !== void 0;
    if (entry.status !== "needs-build" && entry.status !== "known-failing" && !requested) continue;
    const recipe = deps.recipe(entry.name, entry.version);
    if (recipe?.skip) {
      pushSkip(skipped, entry, `recipe: ${recipe.skip}`);
      continue;
    }
    if (queued && !queued.due) {
      pushSkip(skipped, entry, `in the retry queue until ${queued.nextAt}`);
      continue;
    }
    const failure = deps.lastFailure(entry.name, entry.version);
    if (entry.status === "known-failing" || failure?.permanent) {
      const presetNow = recipe?.preset ?? effectivePreset(config);
      const hintsNow = hintsFor(entry, deps, presetNow).hints;
      const changed = failure && (presetNow !== failure.preset || hintsNow.some((h2) => !failure.hints.includes(h2)));
      if (!changed) {
        pushSkip(skipped, entry, `known failing (${failure?.failureClass ?? entry.reason}); no input changed since`);
        continue;
      }
      candidates.push({ entry, why: "known failing, but its preset or hints changed since" });
      continue;
    }
    candidates.push({ entry, why: queued?.due ? "due in the retry queue" : failure ? `retry after ${failure.failureClass}` : "no s390x wheel anywhere" });
  }
  const groups = /* @__PURE__ */ new Map();
  for (const { entry, why } of candidates) {
    const variant = entry.abi === "abi3" ? "abi3" : entry.abi === "none" ? "py3" : entry.python;
    const key = `${entry.name}\0${entry.version}\0${variant}`;
    const g = groups.get(key) ?? { entries: [], why, variant };
    g.entries.push(entry);
    groups.set(key, g);
  }
  const units = [];
  for (const g of groups.values()) {
    const first = g.entries[0];
    const pythons = [...new Set(g.entries.map((e) => e.python))].sort(versionCompare);
    const recipe = deps.recipe(first.name, first.version);
    const { preset, presetReason } = choosePreset(first, recipe?.preset ?? effectivePreset(config), deps);
    const { hints, predicted } = hintsFor(first, deps, preset);
    const noTurbo = config.compiler === "emulated" ? void 0 : deps.turboIncompatible?.(first.name, first.version);
    const compiler = config.compiler === "emulated" || noTurbo ? "emulated" : "turbo";
    const sdist = first.sdist;
    const variantTag = g.variant === "abi3" || g.variant === "py3" ? g.variant : `cp${g.variant.replace(".", "")}`;
    units.push({
      id: safeId(`${first.name}-${first.version}-${variantTag}-${preset}`),
      package: first.name,
      version: first.version,
      python: g.variant,
      buildPython: pythons[0],
      targets: [...new Set(g.entries.map((e) => e.target))].sort(),
      preset,
      hints,
      ...predicted.length > 0 ? { predictedHints: predicted.map((p) => p.hint) } : {},
      compiler,
      runner,
      runs_on: JSON.stringify(runner.labels.length === 1 ? runner.labels[0] : runner.labels),
      wave: 0,
      needs: [],
      sdist: { filename: sdist.filename, url: sdist.url, ...sdist.sha256 ? { sha256: sdist.sha256 } : {} },
      ...estimateFields(estimate(first, { preset, compiler, runner }, deps)),
      reason: [g.why, presetReason, noTurbo, predictedReason(predicted)].filter(Boolean).join("; ")
    });
  }
  const byName = /* @__PURE__ */ new Map();
  for (const u2 of units) byName.set(u2.package, [...byName.get(u2.package) ?? [], u2]);
  const buildRequires = new Map(candidates.map(({ entry }) => [`${entry.name}\0${entry.version}`, entry.buildRequires ?? []]));
  for (const u2 of units) {
    const names = (buildRequires.get(`${u2.package}\0${u2.version}`) ?? []).map(requirementName).filter((n2) => !!n2);
    const needs = /* @__PURE__ */ new Set();
    for (const n2 of names) {
      for (const dep of byName.get(n2) ?? []) {
        if (dep.id === u2.id) continue;
        if (dep.python === "abi3" || dep.python === "py3" || dep.python === u2.buildPython || dep.python === u2.python) needs.add(dep.id);
      }
    }
    u2.needs = [...needs].sort();
  }
  const { wave, cycles } = assignWaves(units);
  for (const u2 of units) u2.wave = wave.get(u2.id) ?? 0;
  for (const cycle of cycles) {
    for (const id of cycle) {
      const u2 = units.find((x) => x.id === id);
      if (u2) u2.reason += `; build-requirement cycle: ${cycle.join(" -> ")}`;
    }
  }
  units.sort((a2, b) => a2.wave - b.wave || byCodePoint(a2.package, b.package) || versionCompare(a2.version, b.version) || byCodePoint(a2.id, b.id));
  const capped = units.slice(0, config.limits.maxUnits);
  for (const u2 of units.slice(config.limits.maxUnits)) {
    skipped.push({ package: u2.package, version: u2.version, reason: `over limits.maxUnits ${config.limits.maxUnits}` });
  }
  const packed = packWaves(capped, { maxParallel: config.limits.maxParallel, jobLimitSeconds: config.limits.jobTimeoutMinutes * 60 });
  const unitLimit = config.limits.unitTimeoutMinutes * 60;
  for (const u2 of capped) {
    const faster = runner.kind === "native" ? "raise the limit" : u2.compiler === "turbo" && deps.turboApplies?.(u2.preset) ? "a native s390x runner (runners.native) would be faster" : `a turbo build (compiler: turbo${deps.turboApplies?.(u2.preset) ? "" : ", with a preset that allows it, e.g. debian-12"}) or a native s390x runner (runners.native) would be faster`;
    if (packed.overLimit.includes(u2.id) || u2.estimatedSeconds > unitLimit) u2.overTimeout = true;
    if (packed.overLimit.includes(u2.id)) {
      u2.reason += `; estimated ${minutes(u2.estimatedSeconds)}, over the job time limit of ${config.limits.jobTimeoutMinutes} min: it runs in a batch of its own and may be cut off (${faster})`;
    } else if (u2.estimatedSeconds > unitLimit) {
      u2.reason += `; estimated ${minutes(u2.estimatedSeconds)}, over the unit timeout of ${config.limits.unitTimeoutMinutes} min (limits.unitTimeoutMinutes; ${faster})`;
    }
  }
  const shards = shard(capped, config.limits.maxJobsPerMatrix, config.limits.maxOutputBytes);
  return {
    schema: "refinery/plan@1",
    generatedAt: deps.now.toISOString(),
    matrix: { include: capped },
    shards,
    waves: capped.length === 0 ? 0 : Math.max(...capped.map((u2) => u2.wave)) + 1,
    skipped: dedupeSkips(skipped),
    estimatedSeconds: capped.reduce((s, u2) => s + u2.estimatedSeconds, 0),
    batches: packed.batches,
    makespanSeconds: Math.round(packed.makespanSeconds),
    lowerBoundSeconds: Math.round(packed.lowerBoundSeconds)
  };
}
function chooseRunner(config) {
  if (config.runners.native.length > 0) return { kind: "native", labels: config.runners.native };
  return { kind: "qemu", labels: config.runners.qemu };
}
function choosePreset(entry, wanted, deps) {
  const failure = deps.lastFailure(entry.name, entry.version);
  if (failure && failure.failureClass === "missing-toolchain" && failure.preset === wanted) {
    const i2 = deps.presetSuccession.indexOf(wanted);
    const next = i2 >= 0 ? deps.presetSuccession[i2 + 1] : void 0;
    if (next) return { preset: next, presetReason: `preset ${wanted} lacked a toolchain last time, using ${next}` };
  }
  return { preset: wanted, presetReason: "" };
}
function hintsFor(entry, deps, preset) {
  const known = /* @__PURE__ */ new Set([...deps.recipe(entry.name, entry.version)?.hints ?? [], ...deps.learnedHints(entry.name)]);
  const satisfied = new Set(deps.presetSatisfies?.(preset) ?? []);
  const predicted = predictHints(entry.buildRequires ?? [], entry.python, entry.source ?? {}).filter((p) => !known.has(p.hint) && !satisfied.has(p.hint));
  return { hints: [...known, ...predicted.map((p) => p.hint)].sort(), predicted };
}
function predictedReason(predicted) {
  if (predicted.length === 0) return "";
  return `predicted from the sdist: ${predicted.map((p) => `${p.because} -> ${p.hint}`).join(", ")}`;
}
function estimate(entry, u2, deps) {
  const executor = u2.runner.kind === "native" ? "native" : u2.compiler === "turbo" && deps.turboApplies?.(u2.preset) ? "turbo" : "qemu";
  const like = { preset: u2.preset, compiler: executor === "turbo" ? "turbo" : "emulated", executor };
  const recorded = deps.durationEstimate(entry.name, entry.version, like);
  return recorded !== void 0 ? historyEstimate(recorded, like) : priorEstimate(entry, executor);
}
function estimateFields(e) {
  return { estimatedSeconds: e.seconds, estimateSource: e.source, estimateBasis: e.basis };
}
function minutes(seconds) {
  return `${Math.round(seconds / 60)} min`;
}
function requirementName(req) {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  return m ? normalizeName(m[1]) : void 0;
}
function safeId(s) {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_");
}
function pushSkip(list, e, reason) {
  list.push({ package: e.name, version: e.version, reason });
}
function dedupeSkips(list) {
  const seen = /* @__PURE__ */ new Set();
  return list.filter((s) => {
    const k = `${s.package}\0${s.version}\0${s.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// src/domain/storage/store.ts
import { createHash } from "node:crypto";
import { resolve as resolve2, sep } from "node:path";
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}
var DEFAULT_MAX_WHEEL_BYTES = 2 * 1024 ** 3;
async function readVerified(file, wheel, maxBytes = DEFAULT_MAX_WHEEL_BYTES) {
  const where = printablePath(file);
  checkWheelSize(file, wheel, maxBytes);
  let data;
  try {
    data = await readRegularFile(file, { maxBytes, expectBytes: wheel.size });
  } catch (e) {
    if (e instanceof FileRefusedError) {
      throw new RefineryError("input", `the wheel ${e.message}`, {
        location: { file: where },
        fix: e.reason === "size" ? "the wheel was changed or truncated after the build; rebuild it" : "wheels are regular files written by refinery build; rebuild it"
      });
    }
    throw new RefineryError("input", `wheel file missing: ${e.code ?? String(e)}`, {
      location: { file: where },
      fix: "download the build job artifacts with the wheels next to their .result.json files"
    });
  }
  checkSha(data, wheel, file);
  return data;
}
function checkWheelSize(file, wheel, maxBytes) {
  if (wheel.size > maxBytes) {
    throw new RefineryError("input", `wheel ${excerpt(wheel.filename)} is said to be ${wheel.size} bytes, over the cap of ${maxBytes}`, {
      location: { file: printablePath(file) },
      fix: "a wheel this large is refused; raise the wheel size cap if it is real"
    });
  }
}
function checkSha(data, wheel, where) {
  const got = sha256Hex(data);
  if (got !== wheel.sha256) {
    throw new RefineryError("input", `sha256 mismatch for ${excerpt(wheel.filename)}: expected ${wheel.sha256}, got ${got}`, {
      location: { file: printablePath(where) },
      fix: "the wheel was changed or truncated after the build; rebuild it"
    });
  }
}
function confined(root, rel, name) {
  const base = resolve2(root);
  const path7 = resolve2(base, rel);
  if (!isPlainName(name) || !path7.startsWith(`${base}${sep}`)) {
    throw new RefineryError("input", `refused a wheel path outside ${base}: ${excerpt(rel)}`, { fix: "wheel filenames are plain names; rebuild the wheel" });
  }
  return path7;
}
function checkWheelData(data, wheel, where) {
  if (data.length !== wheel.size) {
    throw new RefineryError("input", `the wheel ${excerpt(wheel.filename)} holds ${data.length} bytes, expected ${wheel.size}`, {
      location: { file: printablePath(where) },
      fix: "the wheel was changed or truncated after the build; rebuild it"
    });
  }
  checkSha(data, wheel, where);
}

// src/domain/storage/local.ts
var LocalWheelStore = class {
  constructor(root) {
    this.root = root;
  }
  root;
  kind = "local";
  async put(file, wheel) {
    const data = await readVerified(file, wheel);
    const location = `${wheel.sha256.slice(0, 16)}/${wheel.filename}`;
    const dest = confined(this.root, location, wheel.filename);
    const existing = await readRegularFile(dest, { expectBytes: data.length }).catch(() => void 0);
    if (!existing || sha256Hex(existing) !== wheel.sha256) await writeFileAtomic(dest, data);
    return { kind: "local", location };
  }
  async get(ref2, wheel, destDir) {
    if (ref2.kind !== "local" || !ref2.location || !LOCAL_LOCATION.test(ref2.location) || !isPlainName(ref2.location.slice(17))) {
      throw new RefineryError("state", `not a local storage reference: ${excerpt(JSON.stringify(ref2), 120)}`, {
        fix: "use the store the wheel was recorded with"
      });
    }
    const src = confined(this.root, ref2.location, wheel.filename);
    const data = await readVerified(src, wheel).catch((e) => {
      if (e instanceof RefineryError && e.message.startsWith("wheel file missing")) {
        throw new RefineryError("input", `stored wheel ${excerpt(wheel.filename)} is not in ${this.root}`, {
          location: { file: src },
          fix: "point the store at the folder the wheel was recorded into, or rebuild"
        });
      }
      throw e;
    });
    const dest = confined(destDir, wheel.filename, wheel.filename);
    await writeFileAtomic(dest, data);
    return dest;
  }
};
var LOCAL_LOCATION = /^[0-9a-f]{16}\/[^/\\]+$/;

// src/adapters/github.ts
function httpStatus(e) {
  const s = e?.status;
  return typeof s === "number" ? s : void 0;
}

// src/domain/storage/github-release.ts
var GitHubReleaseStore = class {
  constructor(o2) {
    this.o = o2;
  }
  o;
  kind = "github-release";
  release;
  async put(file, wheel) {
    const data = await readVerified(file, wheel);
    const release = await this.ensureRelease();
    const assets = await this.assets(release.id);
    const digest = `sha256:${wheel.sha256}`;
    for (const name of [wheel.filename, `${wheel.sha256.slice(0, 16)}-${wheel.filename}`]) {
      const have = assets.find((a2) => a2.name === name);
      if (have) {
        if (have.digest ? have.digest === digest : have.size === wheel.size) return this.withMetadata(release, assets, have, file, wheel.filename);
        continue;
      }
      const uploaded = await this.uploadOnce(release, name, data);
      if (!uploaded) continue;
      return this.withMetadata(release, assets, uploaded, file, wheel.filename);
    }
    throw new RefineryError("conflict", `release ${this.o.tag} already holds two different files named like ${wheel.filename}`, {
      fix: "delete the stale assets from the release"
    });
  }
  /**
   * The wheel's METADATA as the asset `<asset name>.metadata` beside it (PEP 658: pip fetches
   * `<wheel URL>.metadata` before, or instead of, the wheel), its sha256 recorded in the reference
   * for the index. Read from the wheel here because record is the only job that has both the
   * wheel and a token that can write to the release. A wheel whose METADATA cannot be read, or a
   * different file already under that name, gets none: pip then reads the wheel itself.
   */
  async withMetadata(release, assets, wheelAsset, file, filename) {
    const base = ref(wheelAsset);
    let data;
    let requiresPython;
    try {
      const text = await readWheelMetadata(file, filename);
      requiresPython = parseCoreMetadata(text, `${filename}/METADATA`).requiresPython;
      data = Buffer.from(text, "utf8");
    } catch {
      return base;
    }
    const sha2562 = sha256Hex(data);
    const name = `${wheelAsset.name}.metadata`;
    const same = (a2) => a2.digest ? a2.digest === `sha256:${sha2562}` : a2.size === data.length;
    const have = assets.find((a2) => a2.name === name) ?? await this.uploadOnce(release, name, data);
    if (!have || !same(have)) return base;
    return { ...base, metadata: { sha256: sha2562, ...requiresPython && requiresPython.length <= 200 ? { requiresPython } : {} } };
  }
  /** Upload, or when another job uploaded that name in the meantime, theirs if it has these bytes (undefined if not). */
  async uploadOnce(release, name, data) {
    const digest = `sha256:${sha256Hex(data)}`;
    return this.upload(release, name, data).catch(async (e) => {
      if (httpStatus(e) !== 422) throw e;
      const again = (await this.assets(release.id)).find((a2) => a2.name === name);
      if (again && (again.digest ? again.digest === digest : again.size === data.length)) return again;
      return void 0;
    });
  }
  async get(r, wheel, destDir) {
    if (r.kind !== "github-release" || r.assetId === void 0) {
      throw new RefineryError("state", `not a GitHub release asset reference: ${JSON.stringify(r)}`, { fix: "use the store the wheel was recorded with" });
    }
    const res = await this.o.octokit.rest.repos.getReleaseAsset({
      owner: this.o.owner,
      repo: this.o.repo,
      asset_id: r.assetId,
      headers: { accept: "application/octet-stream" }
    });
    const data = Buffer.from(res.data);
    checkWheelData(data, wheel, r.location ?? `asset ${r.assetId}`);
    const dest = confined(destDir, wheel.filename, wheel.filename);
    await writeFileAtomic(dest, data);
    return dest;
  }
  ensureRelease() {
    this.release ??= (async () => {
      const { octokit, owner, repo, tag } = this.o;
      try {
        return (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag })).data;
      } catch (e) {
        if (httpStatus(e) !== 404) throw e;
      }
      try {
        return (await octokit.rest.repos.createRelease({ owner, repo, tag_name: tag, name: tag, body: "Wheels built for s390x by refinery." })).data;
      } catch (e) {
        if (httpStatus(e) !== 422) throw e;
        return (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag })).data;
      }
    })();
    return this.release;
  }
  async assets(releaseId) {
    const { octokit, owner, repo } = this.o;
    return await octokit.paginate(octokit.rest.repos.listReleaseAssets, { owner, repo, release_id: releaseId, per_page: 100 });
  }
  async upload(release, name, data) {
    const { octokit, owner, repo } = this.o;
    const res = await octokit.rest.repos.uploadReleaseAsset({
      owner,
      repo,
      release_id: release.id,
      name,
      data,
      // upload_url is `<uploads root>/repos/o/r/releases/<id>/assets{?name,label}` (GHES: `<host>/api/uploads/...`).
      baseUrl: release.upload_url.replace(/\/repos\/.*$/, ""),
      headers: { "content-type": "application/octet-stream", "content-length": data.length }
    });
    return res.data;
  }
};
function ref(a2) {
  return { kind: "github-release", location: a2.browser_download_url, assetId: a2.id };
}

// src/domain/storage/reuse.ts
async function reuseWheel(state, fingerprint, stores, destDir) {
  const entry = findReusable(state, fingerprint);
  if (!entry) return void 0;
  const store = stores.find((s) => s.kind === entry.storage.kind);
  if (!store) return void 0;
  const path7 = await store.get(entry.storage, entry, destDir);
  return {
    entry,
    path: path7,
    reason: `reused ${entry.filename}: built ${entry.builtAt} from the same inputs (${fingerprint.slice(0, 19)}), stored in ${entry.storage.kind}`
  };
}

// src/domain/storage/spec.ts
import { resolve as resolve3 } from "node:path";
var FORMS = { none: "none", local: "local:DIR", release: "release:TAG" };
function parseStoreSpec(spec, cwd, kinds = ["none", "local", "release"], fix = "e.g. --store local:wheels, or --store release:s390x-wheels in a workflow with contents: write") {
  const colon = spec.indexOf(":");
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const value = colon < 0 ? "" : spec.slice(colon + 1);
  const parsed = kind === "none" && colon < 0 ? { kind: "none" } : kind === "local" && value ? { kind: "local", dir: resolve3(cwd, value) } : kind === "release" && value ? { kind: "release", tag: value } : void 0;
  if (parsed && kinds.includes(parsed.kind)) return parsed;
  const forms = kinds.map((k) => FORMS[k]);
  const expected = forms.length > 1 ? `${forms.slice(0, -1).join(", ")} or ${forms.at(-1)}` : forms[0];
  const shown = /^[\w.:/@+~-]{0,200}$/.test(spec) ? spec : excerpt(spec, 80);
  throw new RefineryError("usage", `store ${shown}: expected ${expected}`, { fix });
}

// src/stages/record/commit-api.ts
import { createHash as createHash2 } from "node:crypto";

// src/stages/record/commit-common.ts
import { setTimeout as sleepMs } from "node:timers/promises";
var DEFAULT_COMMIT_ATTEMPTS = 10;
var COMMIT_BACKOFF = { baseMs: 100, maxMs: 2e3 };
async function waitAfterRace(o2, attempt) {
  const delayMs = backoffDelayMs(attempt, COMMIT_BACKOFF, o2.random);
  await (o2.sleep ?? sleepMs)(delayMs);
}

// src/stages/record/commit-api.ts
function gitBlobSha(text) {
  const data = Buffer.from(text, "utf8");
  return createHash2("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
}
async function commitStateWithApi(o2) {
  return withStateLock(
    o2.stateDir,
    async () => {
      const outcome = await commitLocked(o2);
      await saveState(o2.stateDir, outcome.merged, outcome.merged.packages.keys());
      return outcome;
    },
    { purpose: "commit api", ...o2.lock }
  );
}
async function commitLocked(o2) {
  const max = o2.maxAttempts ?? DEFAULT_COMMIT_ATTEMPTS;
  const log = o2.log ?? (() => {
  });
  const { octokit, owner, repo } = o2;
  const statePath = o2.statePath.replace(/^\.?\/+|\/+$/g, "");
  for (let attempt = 1; attempt <= max; attempt++) {
    const head = (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${o2.branch}` })).data.object.sha;
    const baseTree = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: head })).data.tree.sha;
    const remoteShas = await stateBlobShas(o2, baseTree, statePath);
    const wanted = [MARKER_FILE, ...o2.packages.flatMap((n2) => [packageFile(n2), historyFile(n2)])].filter((rel) => remoteShas.has(rel));
    const where = (rel) => `${owner}/${repo}@${head.slice(0, 12)}:${statePath}/${rel}`;
    const texts = await mapLimit(wanted, 8, async (rel) => {
      const blob = (await octokit.rest.git.getBlob({ owner, repo, file_sha: remoteShas.get(rel) })).data;
      return strictText(Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8"), where(rel));
    });
    const remoteFiles = new Map(wanted.map((rel, i2) => [rel, texts[i2]]));
    const remote = parseStateFiles(remoteFiles, where);
    const merged = { packages: /* @__PURE__ */ new Map() };
    for (const name of o2.packages) {
      const mine = o2.local.packages.get(name);
      if (!mine) continue;
      const theirs = remote.packages.get(name);
      merged.packages.set(name, mergePackage(theirs ?? mine, mine, o2.policy ?? DEFAULT_RETRY_POLICY));
    }
    const changed = [...stateFiles(merged)].filter(([rel, text]) => remoteShas.get(rel) !== gitBlobSha(text));
    if (changed.length === 0) return { commit: void 0, attempts: attempt, merged };
    const entries = changed.map(([rel, content]) => ({ path: `${statePath}/${rel}`, mode: "100644", type: "blob", content }));
    const tree = (await octokit.rest.git.createTree({ owner, repo, base_tree: baseTree, tree: entries })).data.sha;
    const commit = (await octokit.rest.git.createCommit({ owner, repo, message: o2.message, tree, parents: [head] })).data.sha;
    try {
      await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${o2.branch}`, sha: commit, force: false });
      return { commit, attempts: attempt, merged };
    } catch (e) {
      if (httpStatus(e) !== 422) throw e;
      log(`branch ${o2.branch} moved (attempt ${attempt}/${max}); re-reading the head and re-merging`);
      await waitAfterRace(o2, attempt);
    }
  }
  throw new RefineryError("conflict", `the state could not be committed after ${max} attempts: the branch ${o2.branch} keeps moving`, {
    fix: "run record again later; every result it did not push is still in the results folder"
  });
}
async function stateBlobShas(o2, tree, statePath) {
  const { octokit, owner, repo } = o2;
  let sha = tree;
  for (const part of statePath.split("/").filter(Boolean)) {
    const res = await octokit.rest.git.getTree({ owner, repo, tree_sha: sha });
    const next = res.data.tree.find((e) => e.path === part && e.type === "tree")?.sha;
    if (!next) return /* @__PURE__ */ new Map();
    sha = next;
  }
  const data = (await octokit.rest.git.getTree({ owner, repo, tree_sha: sha, recursive: "true" })).data;
  if (data.truncated) {
    throw new RefineryError("state", `GitHub truncated the listing of ${statePath} (too many files)`, {
      fix: "record with --commit git from a checkout instead"
    });
  }
  for (const e of data.tree) {
    const file = e.path === MARKER_FILE || e.path !== void 0 && packageOfFile(e.path) !== void 0;
    const folder = e.path === PACKAGES_DIR || e.path === HISTORY_DIR;
    const kind = e.mode === "120000" ? "symbolic link" : e.type === "tree" ? "folder" : e.type === "blob" ? "regular file" : String(e.type);
    if (file && kind !== "regular file" || folder && kind !== "folder") {
      throw new RefineryError("state", `is a ${kind}, expected ${file ? "a regular file" : "a folder"}`, {
        location: { file: `${owner}/${repo}@${tree.slice(0, 12)}:${statePath}/${excerpt(e.path, 80).slice(1, -1)}` },
        fix: "fix the state folder on the branch (restore it from an earlier commit)"
      });
    }
  }
  return new Map(data.tree.filter((e) => e.type === "blob" && e.path && e.sha).map((e) => [e.path, e.sha]));
}
function strictText(data, file) {
  try {
    return decodeUtf8(data, file);
  } catch (e) {
    if (!(e instanceof FileRefusedError)) throw e;
    throw new RefineryError("state", e.message, {
      location: { file, ...e.line ? { line: e.line } : {} },
      fix: "restore the file on the branch from an earlier commit"
    });
  }
}

// src/stages/record/commit-git.ts
import { relative, resolve as resolve4, sep as sep2 } from "node:path";

// src/adapters/git.ts
async function git(cwd, args, opts = {}) {
  let r;
  try {
    r = await run("git", args, { cwd, env: { GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...opts.env }, timeoutMs: opts.timeoutMs ?? 3e5 });
  } catch (e) {
    throw new RefineryError("environment", `cannot run git: ${e.message}`, { fix: "install git and make sure it is on PATH", cause: e });
  }
  if (r.exitCode !== 0 && !opts.allowFail) {
    const detail = (r.stderr || r.stdout).trim().split("\n").slice(-3).join(" / ");
    throw new RefineryError("environment", `git ${args[0] ?? ""} failed (exit ${r.exitCode}): ${detail}`, { location: { file: cwd } });
  }
  return r;
}
async function gitOut(cwd, args, opts = {}) {
  return (await git(cwd, args, opts)).stdout.trim();
}

// src/stages/record/commit-git.ts
var BOT = { name: "github-actions[bot]", email: "41898282+github-actions[bot]@users.noreply.github.com" };
async function commitStateWithGit(o2) {
  return withStateLock(o2.stateDir, () => commitLocked2(o2), { purpose: "commit git", ...o2.lock });
}
async function commitLocked2(o2) {
  const remote = o2.remote ?? "origin";
  const max = o2.maxAttempts ?? DEFAULT_COMMIT_ATTEMPTS;
  const log = o2.log ?? (() => {
  });
  const top = await gitOut(o2.repoDir, ["rev-parse", "--show-toplevel"]);
  const stateRel = relative(top, resolve4(o2.stateDir)).split(sep2).join("/");
  if (stateRel.startsWith("..") || stateRel === "") {
    throw new RefineryError("usage", `the state folder ${o2.stateDir} is not inside the git checkout ${top}`, {
      fix: "pass --state with a folder inside the repository"
    });
  }
  const branch = o2.branch ?? await gitOut(top, ["symbolic-ref", "--short", "HEAD"]).catch(() => "");
  if (!branch) throw new RefineryError("usage", "HEAD is detached and no branch was given", { fix: "pass the branch to push to" });
  const env = await identityEnv(top, o2.identity ?? BOT);
  for (let attempt = 1; attempt <= max; attempt++) {
    await git(top, ["add", "--all", "--", stateRel]);
    const staged = await git(top, ["diff", "--cached", "--quiet", "--", stateRel], { allowFail: true });
    if (staged.exitCode === 1) await git(top, ["commit", "--quiet", "--no-verify", "-m", o2.message, "--", stateRel], { env });
    const head = await gitOut(top, ["rev-parse", "HEAD"]);
    const push = await git(top, ["push", "--porcelain", remote, `HEAD:refs/heads/${branch}`], { allowFail: true });
    if (push.exitCode === 0) {
      return { commit: staged.exitCode === 1 ? head : void 0, attempts: attempt };
    }
    if (!isRejected(push.stdout + push.stderr)) {
      throw new RefineryError("environment", `git push failed: ${(push.stderr || push.stdout).trim().split("\n").slice(-2).join(" / ")}`, {
        fix: "check the remote URL and the push permission (contents: write) of the token"
      });
    }
    log(`push rejected (attempt ${attempt}/${max}): someone pushed first; re-merging the state onto their head`);
    await rebaseStateOnto(top, stateRel, o2.stateDir, remote, branch, o2.policy ?? DEFAULT_RETRY_POLICY);
    await waitAfterRace(o2, attempt);
  }
  throw new RefineryError("conflict", `the state could not be pushed after ${max} attempts: the branch ${branch} keeps moving`, {
    fix: "run record again later; every result it did not push is still in the results folder"
  });
}
function isRejected(out) {
  return /\[rejected\]|non-fast-forward|fetch first|\(stale info\)|failed to update ref|cannot lock ref/i.test(out);
}
async function rebaseStateOnto(top, stateRel, stateDir, remote, branch, policy) {
  await git(top, ["fetch", "--quiet", remote, `refs/heads/${branch}`]);
  const theirs = await gitOut(top, ["rev-parse", "FETCH_HEAD"]);
  const touched = (await gitOut(top, ["log", "--format=", "--name-only", `${theirs}..HEAD`])).split("\n").filter(Boolean);
  const foreign = touched.filter((p) => p !== stateRel && !p.startsWith(`${stateRel}/`));
  if (foreign.length > 0) {
    throw new RefineryError("conflict", `unpushed local commits change files outside the state (${foreign.slice(0, 3).join(", ")})`, {
      fix: "push or drop those commits first, or record with --commit none"
    });
  }
  const changedFiles = (await gitOut(top, ["diff", "--name-only", theirs, "HEAD", "--", stateRel])).split("\n").filter(Boolean);
  const names = new Set(changedFiles.map((f) => packageOfFile(f.slice(stateRel.length + 1))?.name).filter((n2) => n2 !== void 0));
  const ours = await loadState(stateDir);
  await git(top, ["reset", "--quiet", "--keep", theirs]);
  const merged = await loadState(stateDir);
  for (const name of names) {
    const mine = ours.packages.get(name);
    if (!mine) continue;
    const other = merged.packages.get(name);
    merged.packages.set(name, other ? mergePackage(other, mine, policy) : mergePackage(mine, mine, policy));
  }
  await saveState(stateDir, merged, names);
}
async function identityEnv(top, id) {
  const email = await git(top, ["config", "user.email"], { allowFail: true });
  const name = await git(top, ["config", "user.name"], { allowFail: true });
  const env = {};
  if (email.exitCode !== 0 || !email.stdout.trim()) Object.assign(env, { GIT_AUTHOR_EMAIL: id.email, GIT_COMMITTER_EMAIL: id.email });
  if (name.exitCode !== 0 || !name.stdout.trim()) Object.assign(env, { GIT_AUTHOR_NAME: id.name, GIT_COMMITTER_NAME: id.name });
  return env;
}

// src/stages/record/results.ts
import { createHash as createHash3 } from "node:crypto";
import { readdir as readdir3 } from "node:fs/promises";
import { dirname as dirname2, join as join5, resolve as resolve5 } from "node:path";
var RESULT_SUFFIX = ".result.json";
var ATTESTATION_SUFFIX = ".attestation.json";
var DEFAULT_RESULT_LIMITS = { resultBytes: 1024 * 1024, wheelBytes: DEFAULT_MAX_WHEEL_BYTES };
async function readResults(dir, limits = DEFAULT_RESULT_LIMITS) {
  const files = (await filesNamed(dir, RESULT_SUFFIX)).sort();
  const parsed = await mapLimit(files, 32, async (file) => {
    try {
      return await readResult(file, limits);
    } catch (e) {
      return e;
    }
  });
  const bad = parsed.find((p) => p instanceof Error);
  if (bad) throw bad;
  const results = parsed;
  checkConflicts(results);
  return results;
}
async function filesNamed(dir, suffix) {
  const out = [];
  const walk = async (folder, top) => {
    let entries;
    try {
      entries = await readdir3(folder, { withFileTypes: true });
    } catch (e) {
      throw new RefineryError("input", `cannot read the results folder: ${e.code ?? String(e)}`, {
        location: { file: printablePath(folder) },
        fix: top ? "pass --results with the folder the build jobs wrote (or their downloaded artifacts)" : "make the results folder readable"
      });
    }
    const folders = [];
    for (const entry of entries) {
      const path7 = join5(folder, entry.name);
      if (entry.name.endsWith(suffix)) out.push(path7);
      else if (entry.isDirectory()) folders.push(path7);
    }
    await mapLimit(folders, 16, (f) => walk(f, false));
  };
  await walk(dir, true);
  return out;
}
async function readResult(file, limits) {
  const result = await readJson(BuildResult, file, { ...RESULT_INPUT, maxBytes: limits.resultBytes });
  if (result.status === "success" && !result.wheel) {
    throw new RefineryError("input", "a successful result without a wheel", {
      location: { file: printablePath(file), field: "wheel" },
      fix: "rerun the build job"
    });
  }
  return { file, result };
}
var RESULT_INPUT = {
  code: "input",
  noun: "the result",
  fix: "the build job wrote an invalid result; rerun it or remove the file",
  refusedFix: (reason) => reason === "kind" ? "results are regular files written by refinery build; remove it" : RESULT_INPUT.fix
};
function checkConflicts(results) {
  const seen = /* @__PURE__ */ new Map();
  for (const rf of results) {
    const id = runId(rf.result);
    const prev = seen.get(id);
    if (!prev) seen.set(id, rf);
    else if (canonicalLine(prev.result) !== canonicalLine(rf.result)) {
      throw new RefineryError(
        "input",
        `two results of the same build run of ${rf.result.unit.id} (started ${excerpt(rf.result.attempts[0].startedAt, 40)}) differ; the other is ${printablePath(prev.file)}`,
        {
          location: { file: printablePath(rf.file) },
          fix: "keep the result of the job that really ran (artifacts of two jobs were mixed, or one was edited) and remove the other"
        }
      );
    }
  }
}
function runId(r) {
  const key = canonicalLine({ unit: r.unit.id, fp: r.inputsFingerprint, start: r.attempts[0].startedAt, runner: r.runner, runUrl: r.runUrl, log: r.log });
  return createHash3("sha256").update(key).digest("hex").slice(0, 16);
}
function wheelPath(rf) {
  if (!rf.result.wheel) return void 0;
  const folder = dirname2(rf.file);
  const path7 = resolve5(folder, rf.result.wheel.filename);
  if (dirname2(path7) !== resolve5(folder)) {
    throw new RefineryError("input", `the wheel ${excerpt(rf.result.wheel.filename)} is not a file in the result's folder`, {
      location: { file: printablePath(rf.file), field: "wheel.filename" },
      fix: "rerun the build job"
    });
  }
  return path7;
}
function resultFacts(rf, storage = { kind: "none" }, attestation) {
  const r = rf.result;
  const name = normalizeName(r.unit.package);
  const run2 = runId(r);
  const attempts = [...r.attempts].sort((a2, b) => a2.n - b.n);
  const total = attempts.length;
  const history = attempts.map(
    ({ n: n2, ...own }, i2) => check(
      HistoryEntry,
      {
        package: name,
        version: r.unit.version,
        unit: r.unit.id,
        variant: r.unit.python,
        targets: [...r.unit.targets].sort(),
        run: run2,
        attempt: n2,
        attempts: total,
        outcome: r.status,
        ...own,
        hintsApplied: [...own.hintsApplied],
        ...own.evidence ? { evidence: [...own.evidence] } : {},
        executor: r.executor,
        preset: r.preset,
        imageDigest: r.imageDigest,
        runner: r.runner,
        runUrl: r.runUrl,
        inputsFingerprint: r.inputsFingerprint
      },
      rf.file,
      `attempts.${i2}`
    )
  );
  if (r.status !== "success" || !r.wheel) return { name, history };
  const last = attempts[total - 1];
  const manifest = check(
    ManifestEntry,
    {
      name,
      version: r.unit.version,
      filename: r.wheel.filename,
      tags: [...r.wheel.tags].sort(),
      targets: [...r.unit.targets].sort(),
      variant: r.unit.python,
      sha256: r.wheel.sha256,
      size: r.wheel.size,
      preset: r.preset,
      executor: r.executor,
      image: r.image,
      imageDigest: r.imageDigest,
      ...r.compiler ? { compiler: r.compiler } : {},
      builtAt: last.finishedAt,
      inputsFingerprint: r.inputsFingerprint,
      unit: r.unit.id,
      run: run2,
      sdist: { filename: r.sdist.filename, sha256: r.sdist.sha256 },
      storage,
      ...attestation ? { attestation } : {},
      ...r.smoke?.verdict === "unverified" ? { unverified: r.smoke.reason ?? "unverified" } : {},
      ...r.smoke && r.smoke.externalLibraries.length > 0 ? { externalLibraries: [...r.smoke.externalLibraries].sort() } : {},
      ...r.smoke?.runtimePackages ? { runtimePackages: { manager: r.smoke.runtimePackages.manager, packages: [...r.smoke.runtimePackages.packages].sort() } } : {}
    },
    rf.file,
    "wheel"
  );
  return { name, history, manifest };
}
function resultsState(facts) {
  const packages = /* @__PURE__ */ new Map();
  for (const f of facts) {
    const pkg = packages.get(f.name) ?? emptyPackage(f.name);
    pkg.history.push(...f.history);
    if (f.manifest) pkg.manifest.push(f.manifest);
    packages.set(f.name, pkg);
  }
  return { packages };
}
function check(schema, value, file, prefix) {
  try {
    return validateJson(schema, value, { file }, { code: "input", fix: FACT_FIX });
  } catch (e) {
    if (!(e instanceof RefineryError)) throw e;
    throw new RefineryError("input", `${e.message} (in what this result records for ${prefix})`, { location: e.location, fix: FACT_FIX });
  }
}
var FACT_FIX = "the build wrote a result the state cannot hold; rerun the build with a matching refinery version";

// src/stages/record/attestations.ts
var ATTESTATION_SCHEMA = "refinery/attestation@1";
var AttestationFile = external_exports.strictObject({
  schema: external_exports.literal(ATTESTATION_SCHEMA),
  id: Attestation.shape.id,
  // The attest action's URL output; an empty one (older GitHub servers) is no URL.
  url: external_exports.union([external_exports.literal(""), Attestation.shape.url.unwrap()]).optional(),
  bundle: external_exports.looseObject({
    dsseEnvelope: external_exports.looseObject({
      payloadType: external_exports.literal("application/vnd.in-toto+json"),
      payload: external_exports.string().regex(/^[A-Za-z0-9+/=]+$/, "base64"),
      signatures: external_exports.array(external_exports.looseObject({ sig: external_exports.string() })).max(16).optional()
    }),
    // Checked when made into PEP 740 provenance (below); a bundle without them still links the attestation.
    verificationMaterial: external_exports.unknown().optional()
  })
});
var Material = external_exports.looseObject({
  certificate: external_exports.looseObject({ rawBytes: external_exports.string() }).optional(),
  x509CertificateChain: external_exports.looseObject({
    certificates: external_exports.array(external_exports.looseObject({ rawBytes: external_exports.string() })).min(1).max(8)
  }).optional(),
  tlogEntries: external_exports.array(external_exports.looseObject({})).max(4).optional()
});
var Statement = external_exports.looseObject({
  _type: external_exports.string().startsWith("https://in-toto.io/Statement/"),
  subject: external_exports.array(external_exports.looseObject({ name: external_exports.string().max(300), digest: external_exports.looseObject({ sha256: Sha256Hex }) })).min(1).max(1024),
  // SLSA provenance as actions/attest-build-provenance writes it: the workflow run that built.
  predicate: external_exports.looseObject({
    buildDefinition: external_exports.looseObject({
      externalParameters: external_exports.looseObject({ workflow: external_exports.looseObject({ repository: external_exports.string().max(300), path: external_exports.string().max(300) }).optional() }).optional()
    }).optional()
  }).optional()
});
async function readAttestations(dir, limits) {
  const out = /* @__PURE__ */ new Map();
  for (const file of (await filesNamed(dir, ATTESTATION_SUFFIX)).sort()) {
    const where = printablePath(file);
    const { id, url, bundle } = await readJson(AttestationFile, file, { ...ATTESTATION_INPUT, maxBytes: limits.resultBytes });
    let statement;
    try {
      const payload = Buffer.from(bundle.dsseEnvelope.payload, "base64").toString("utf8");
      statement = parseJson(Statement, payload, { file }, ATTESTATION_INPUT);
    } catch (e) {
      if (!(e instanceof RefineryError)) throw e;
      throw new RefineryError("input", `${e.message} (in the in-toto statement of bundle.dsseEnvelope.payload)`, {
        location: { ...e.location, file: where },
        fix: ATTESTATION_INPUT.fix
      });
    }
    const provenance = pep740(bundle, statement);
    const attestation = { id, ...url ? { url } : {}, ...provenance ? { provenance } : {} };
    for (const subject of statement.subject) {
      const have = out.get(subject.digest.sha256);
      if (!have || BigInt(have.id) < BigInt(id)) out.set(subject.digest.sha256, attestation);
    }
  }
  return out;
}
function pep740(bundle, statement) {
  const material = Material.safeParse(bundle.verificationMaterial);
  const signatures = bundle.dsseEnvelope.signatures ?? [];
  const workflow = statement.predicate?.buildDefinition?.externalParameters?.workflow;
  const repo = workflow ? /^https:\/\/github\.com\/([^/]+\/[^/]+)$/.exec(workflow.repository)?.[1] : void 0;
  if (!material.success || signatures.length !== 1 || !workflow || !repo) return void 0;
  const m = material.data;
  const certificate = m.certificate?.rawBytes ?? m.x509CertificateChain?.certificates[0]?.rawBytes;
  const entries = (m.tlogEntries ?? []).map(
    (e) => Object.fromEntries(Object.keys(TransparencyEntry.shape).flatMap((k) => k in e ? [[k, e[k]]] : []))
  );
  const parsed = Provenance.safeParse({
    publisher: { kind: "GitHub", repository: repo, workflow: workflow.path.split("/").pop() },
    attestation: {
      version: 1,
      verification_material: { certificate, transparency_entries: entries },
      envelope: { statement: bundle.dsseEnvelope.payload, signature: signatures[0].sig }
    }
  });
  return parsed.success ? parsed.data : void 0;
}
var ATTESTATION_INPUT = {
  code: "input",
  noun: "the attestation",
  fix: "the attest job wrote an attestation record cannot read; rerun it, or remove the file to record without it",
  refusedFix: (reason) => reason === "kind" ? "attestations are regular files written by the attest job; remove it" : ATTESTATION_INPUT.fix
};

// src/stages/record/record.ts
async function record(resultsDir, stateDir, opts = {}) {
  return withStateLock(stateDir, () => recordLocked(resultsDir, stateDir, opts), { purpose: "record", ...opts.lock });
}
async function recordLocked(resultsDir, stateDir, opts) {
  const current = opts.base ?? await loadState(stateDir);
  const limits = { ...DEFAULT_RESULT_LIMITS, ...opts.limits };
  const all = await readResults(resultsDir, limits);
  const results = all.filter((r) => r.result.status !== "cancelled");
  const attestations = await readAttestations(resultsDir, limits);
  const incoming = await resultsToState(results, opts.store, limits, attestations);
  opts.onReady?.();
  const merged = mergeState(current, incoming, opts.policy ?? DEFAULT_RETRY_POLICY);
  let state = merged.state;
  const changed = new Set(merged.changed);
  const at = (opts.now ?? /* @__PURE__ */ new Date()).toISOString();
  for (const a2 of opts.answered ?? []) {
    state = dropQueued(state, a2.package, { version: a2.version, at });
    changed.add(a2.package);
  }
  const packages = [...changed].sort();
  const written = await saveState(stateDir, state, packages);
  return {
    state,
    incoming,
    packages,
    written,
    results: results.length,
    attempts: results.reduce((n2, r) => n2 + r.result.attempts.length, 0),
    built: results.filter((r) => r.result.status === "success").length,
    failed: results.filter((r) => r.result.status === "failure").length,
    cancelled: all.length - results.length
  };
}
async function resultsToState(results, store, limits = DEFAULT_RESULT_LIMITS, attestations = /* @__PURE__ */ new Map()) {
  const facts = await mapLimit(results, store ? 1 : 8, async (rf) => {
    let storage = { kind: "none" };
    const path7 = wheelPath(rf);
    if (rf.result.status === "success" && path7 && rf.result.wheel) {
      checkWheelSize(path7, rf.result.wheel, limits.wheelBytes);
      if (store) storage = await store.put(path7, rf.result.wheel);
      else await readVerified(path7, rf.result.wheel, limits.wheelBytes);
    }
    const attestation = rf.result.status === "success" && rf.result.wheel ? attestations.get(rf.result.wheel.sha256) : void 0;
    return resultFacts(rf, storage, attestation);
  });
  return resultsState(facts);
}

// src/session/record.ts
import { join as join6, relative as relative2, resolve as resolve6, sep as sep3 } from "node:path";
function repoOf(session, access2) {
  const full = access2.repo ?? session.env.GITHUB_REPOSITORY;
  const m = full ? /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(full) : null;
  if (!m)
    throw new RefineryError("usage", `need the repository as owner/name (got ${full ?? "nothing"})`, {
      fix: "pass --repo owner/name or set GITHUB_REPOSITORY"
    });
  return { owner: m[1], repo: m[2] };
}
function githubConnector(session, access2, log) {
  let octokit;
  return () => {
    octokit ??= import("./github-client-HTCBYHHD.js").then(
      ({ githubClient }) => githubClient({
        token: access2.token ?? session.env.GITHUB_TOKEN ?? session.env.GH_TOKEN,
        baseUrl: access2.apiUrl ?? session.env.GITHUB_API_URL,
        ...log ? { log } : {}
      })
    );
    return octokit;
  };
}
async function openStore(session, spec, o2 = {}) {
  if (spec === void 0) return o2.defaultLocal ? new LocalWheelStore(o2.defaultLocal) : void 0;
  const parsed = parseStoreSpec(spec, session.cwd, o2.kinds, o2.fix);
  if (parsed.kind === "none") return void 0;
  if (parsed.kind === "local") return new LocalWheelStore(parsed.dir);
  const { owner, repo } = repoOf(session, o2);
  const github = o2.github ?? githubConnector(session, o2);
  return new GitHubReleaseStore({ octokit: await github(), owner, repo, tag: parsed.tag });
}
function cacheStoreDir(session) {
  return join6(session.cacheDir, "wheels");
}
async function recordResults(session, r) {
  const log = r.log ?? (() => {
  });
  const github = githubConnector(session, r, log);
  const store = await openStore(session, r.store, { ...r, github });
  const maxAttempts = r.maxAttempts ?? 10;
  const lock = { waitMs: r.lockWaitMs ?? 6e5, purpose: `record${r.commit === "none" ? "" : ` --commit ${r.commit}`}`, log };
  const stateDir = session.stateDir;
  return withStateLock(
    stateDir,
    async () => {
      const outcome = await record(resolve6(session.cwd, r.results), stateDir, store ? { store } : {});
      const message = r.message ?? `refinery: record ${outcome.results} build result(s) (${outcome.built} built, ${outcome.failed} failed)`;
      if (r.commit === "git") {
        const c3 = await commitStateWithGit({ repoDir: session.cwd, stateDir, message, ...r.branch ? { branch: r.branch } : {}, maxAttempts, log });
        return { outcome, commit: { how: "git", ...c3.commit ? { commit: c3.commit } : {}, attempts: c3.attempts } };
      }
      if (r.commit === "api") {
        const { owner, repo } = repoOf(session, r);
        const branch = r.branch ?? session.env.GITHUB_REF_NAME;
        if (!branch) throw new RefineryError("usage", "--commit api needs --branch (or GITHUB_REF_NAME)");
        if (!r.token && !session.env.GITHUB_TOKEN && !session.env.GH_TOKEN)
          throw new RefineryError("usage", "--commit api needs GITHUB_TOKEN in the environment", {
            fix: "pass the workflow token: env: GITHUB_TOKEN: ${{ github.token }} with permissions contents: write"
          });
        const statePath = r.statePath ?? relative2(session.cwd, stateDir).split(sep3).join("/");
        if (!statePath || statePath.startsWith(".."))
          throw new RefineryError("usage", "cannot tell where the state folder is inside the repository", { fix: "pass --state-path, e.g. .refinery" });
        const c3 = await commitStateWithApi({
          octokit: await github(),
          owner,
          repo,
          branch,
          stateDir,
          statePath,
          local: outcome.state,
          packages: outcome.packages,
          message,
          maxAttempts,
          log
        });
        return { outcome, commit: { how: "api", ...c3.commit ? { commit: c3.commit } : {}, attempts: c3.attempts } };
      }
      return { outcome };
    },
    lock
  );
}

// src/domain/hints/catalog.ts
var import_yaml3 = __toESM(require_dist(), 1);
import { readFile as readFile6 } from "node:fs/promises";

// src/domain/hints/schema.ts
var SystemPackageName = external_exports.string().regex(/^[A-Za-z0-9][A-Za-z0-9+._:-]*$/, "a package name (letters, digits, + . _ : -)");
var EnvName = external_exports.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");
var validRegex = external_exports.string().min(1).refine((p) => {
  try {
    new RegExp(p, "m");
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");
var RemedyForm = external_exports.strictObject({
  /** System packages to install with the preset's package manager before building. */
  packages: external_exports.array(SystemPackageName).default([]),
  /** Environment for the build. `*FLAGS` values are appended to existing ones, others replace. */
  env: external_exports.record(EnvName, external_exports.string()).default({}),
  /** pip constraint lines (PIP_CONSTRAINT), e.g. `numpy>=1.26`. */
  constraints: external_exports.array(
    external_exports.string().min(1).regex(/^[^\n-]/, "a requirement line")
  ).default([]),
  /** PEP 517 config settings passed to the backend (`--config-settings key=value`). */
  configSettings: external_exports.record(external_exports.string().min(1), external_exports.string()).default({}),
  /** Python requirements installed into the build interpreter first (implies no build isolation). */
  preinstall: external_exports.array(
    external_exports.string().min(1).regex(/^[^\n-]/, "a requirement line")
  ).default([]),
  /** Force build isolation on or off. */
  buildIsolation: external_exports.boolean().optional(),
  /** `emulated`: stop using the turbo (host cross) compilers for the next attempt. */
  compiler: external_exports.literal("emulated").optional(),
  /**
   * A folder of unpacked crates in the build container (a cargo directory source, such as Debian's
   * /usr/share/cargo/registry that librust-*-dev packages fill) that replaces crates.io: cargo
   * builds offline from it. Written into a cargo config in the unit's work folder, never elsewhere.
   */
  cargoRegistry: external_exports.string().regex(/^\/[A-Za-z0-9._+/-]*$/, "an absolute path of letters, digits, . _ + - /").refine((p) => !p.split("/").includes(".."), "no .. segments").optional(),
  /**
   * `rust`: the packages install a Rust toolchain; a preset that lists its Rust toolchains
   * (`toolchains.rust`) gets the one meeting the package's minimum instead (src/domain/hints/rust.ts).
   */
  toolchain: external_exports.literal("rust").optional()
});
var Remedy = external_exports.strictObject(
  Object.fromEntries([...PACKAGE_MANAGERS.filter((m) => m !== "none"), "any"].map((k) => [k, RemedyForm.optional()]))
);
var Matcher = external_exports.strictObject({
  /** JavaScript regular expression (multiline) searched in the failure log. */
  pattern: validRegex,
  /** Phase whose failure the pattern is meaningful for; `any` for all. */
  stage: external_exports.enum([...BUILD_PHASES, "any"]).default("any"),
  /** Case-insensitive match. */
  ignoreCase: external_exports.boolean().default(false)
});
var Hint = external_exports.strictObject({
  id: external_exports.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, "." and "-"'),
  class: FailureClass,
  description: external_exports.string().min(1),
  /** Any one matcher matching is enough. */
  match: external_exports.array(Matcher).default([]),
  /**
   * A fallback hint matches no log: the build loop applies it once when a failure matches no hint
   * at all (unclassified), as the generic next step, instead of giving up after one attempt.
   */
  fallback: external_exports.boolean().default(false),
  /** Higher wins when several hints match the same log (specific beats generic). */
  priority: external_exports.number().int().default(0),
  remedy: Remedy.default({}),
  /** Where the pattern and remedy come from (issue, upstream docs). */
  source: external_exports.string().optional(),
  /**
   * Real build logs this hint was proven on: file names in the project's log corpus
   * (test/fixtures/logs, made by scripts/log-corpus.ts). A hint without any is listed as unverified.
   */
  evidence: external_exports.array(external_exports.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*\.log$/, "a log file name from test/fixtures/logs")).default([])
}).refine((h2) => h2.fallback || h2.match.length > 0, { path: ["match"], message: "needs at least one matcher (only a fallback hint has none)" });
var HintCatalog = external_exports.strictObject({
  version: external_exports.literal(1),
  hints: external_exports.array(Hint)
});

// src/domain/hints/catalog.ts
function parseHintCatalog(text, file) {
  const doc = (0, import_yaml3.parseDocument)(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new RefineryError("config", `not valid YAML: ${err.message.split("\n")[0]}`, {
      location: { file, ...err.linePos?.[0] ? { line: err.linePos[0].line } : {} },
      fix: "fix the YAML syntax at that line"
    });
  }
  const parsed = HintCatalog.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RefineryError("config", `invalid hint catalog: ${issue.message}`, {
      location: { file, field: issue.path.map(String).join(".") || "(top level)" },
      fix: "see docs/hints.md for the hint format"
    });
  }
  const seen = /* @__PURE__ */ new Set();
  parsed.data.hints.forEach((h2, i2) => {
    if (seen.has(h2.id)) {
      throw new RefineryError("config", `duplicate hint id '${h2.id}'`, { location: { file, field: `hints.${i2}.id` }, fix: "give every hint a unique id" });
    }
    seen.add(h2.id);
  });
  return parsed.data;
}
async function loadHintCatalog(file) {
  let text;
  try {
    text = await readFile6(file, "utf8");
  } catch (e) {
    throw new RefineryError("config", `cannot read hint catalog: ${e.code ?? String(e)}`, {
      location: { file },
      fix: "pass an existing hints file"
    });
  }
  return parseHintCatalog(text, file);
}
function mergeCatalogs(...catalogs) {
  const byId = /* @__PURE__ */ new Map();
  for (const c3 of catalogs) for (const h2 of c3.hints) byId.set(h2.id, h2);
  return { version: 1, hints: [...byId.values()] };
}
function hintById(catalog, id) {
  return catalog.hints.find((h2) => h2.id === id);
}
function hintAdvice(h2, command) {
  return h2.description.replaceAll("{command}", command ? `refinery ${command}` : "refinery build, run or worker");
}

// src/domain/hints/match.ts
var MAX_LOG_CHARS = 2e6;
function matchLog(catalog, log, phase) {
  const text = log.length > MAX_LOG_CHARS ? log.slice(-MAX_LOG_CHARS) : log;
  const found = [];
  catalog.hints.forEach((hint, order) => {
    const m = firstMatch(hint, text, phase);
    if (m) found.push({ ...m, order });
  });
  found.sort((a2, b) => b.priority - a2.priority || b.offset - a2.offset || a2.order - b.order);
  return found.map(({ offset: _o, order: _r, ...m }) => m);
}
function firstMatch(hint, text, phase) {
  let best;
  for (const m of hint.match) {
    if (phase !== void 0 && m.stage !== "any" && m.stage !== phase) continue;
    const re = new RegExp(m.pattern, m.ignoreCase ? "gim" : "gm");
    let last = null;
    for (let r = re.exec(text); r !== null; r = re.exec(text)) {
      last = r;
      if (r[0].length === 0) re.lastIndex++;
    }
    if (!last) continue;
    if (best && best.offset >= last.index) continue;
    const lineStart = text.lastIndexOf("\n", last.index) + 1;
    const lineEndRaw = text.indexOf("\n", last.index);
    const lineEnd = lineEndRaw === -1 ? text.length : lineEndRaw;
    best = {
      hint: hint.id,
      class: hint.class,
      priority: hint.priority,
      line: text.slice(lineStart, lineEnd).trim().slice(0, 300),
      lineNumber: countLines(text, lineStart),
      pattern: m.pattern,
      offset: last.index
    };
  }
  return best;
}
function countLines(text, upTo) {
  let n2 = 1;
  for (let i2 = text.indexOf("\n"); i2 !== -1 && i2 < upTo; i2 = text.indexOf("\n", i2 + 1)) n2++;
  return n2;
}

// src/stages/builder/frontend.ts
function frontendCommand(frontend, python, o2) {
  const settings = Object.entries(o2.configSettings).sort(([a2], [b]) => byCodePoint(a2, b));
  if (frontend === "uv") {
    return [
      o2.uv ?? "uv",
      "build",
      "--wheel",
      "--no-sources",
      "--python",
      python,
      "--out-dir",
      o2.outDir,
      ...o2.isolation ? [] : ["--no-build-isolation"],
      ...settings.map(([k, v]) => `--config-setting=${k}=${v}`),
      o2.srcDir
    ];
  }
  if (frontend === "build") {
    return [
      python,
      "-m",
      "build",
      "--wheel",
      "--outdir",
      o2.outDir,
      ...o2.isolation ? [] : ["--no-isolation"],
      ...settings.map(([k, v]) => `--config-setting=${k}=${v}`),
      o2.srcDir
    ];
  }
  return [
    // --verbose keeps the backend's output in the log even when the build succeeds.
    python,
    "-m",
    "pip",
    "wheel",
    "--verbose",
    "--no-deps",
    "--wheel-dir",
    o2.outDir,
    ...o2.isolation ? [] : ["--no-build-isolation"],
    ...settings.map(([k, v]) => `--config-settings=${k}=${v}`),
    o2.srcDir
  ];
}
function installCommands(pm, packages) {
  if (packages.length === 0) return void 0;
  switch (pm) {
    case "apt":
      return { install: ["apt-get", "install", "-y", "--no-install-recommends", ...packages], refresh: ["apt-get", "update"] };
    case "dnf":
      return { install: ["dnf", "install", "-y", ...packages] };
    case "yum":
      return { install: ["yum", "install", "-y", ...packages] };
    case "apk":
      return { install: ["apk", "add", "--no-cache", ...packages] };
    case "none":
      return void 0;
  }
}
function installedQuery(pm, packages) {
  if (packages.length === 0) return void 0;
  const named = (re) => (output) => {
    const out = /* @__PURE__ */ new Set();
    for (const line of output.split("\n")) {
      const name = re.exec(line.trim())?.[1];
      if (name && packages.includes(name)) out.add(name);
    }
    return out;
  };
  switch (pm) {
    case "apt":
      return { argv: ["dpkg-query", "-W", "-f=${Package} ${db:Status-Abbrev}\n", ...packages], installed: named(/^(\S+) [a-z]i\s*$/) };
    case "dnf":
    case "yum":
      return { argv: ["rpm", "-q", "--qf", "%{NAME}\n", ...packages], installed: named(/^(\S+)$/) };
    case "apk":
      return { argv: ["apk", "info", "-e", ...packages], installed: named(/^(\S+)$/) };
    case "none":
      return void 0;
  }
}
function useIsolation(defaultIsolation, r) {
  if (r.preinstall.length > 0) return false;
  return r.buildIsolation ?? defaultIsolation;
}

// src/stages/builder/uv-seed.ts
import { randomBytes as randomBytes4 } from "node:crypto";
import { cp, mkdir as mkdir4, mkdtemp, readdir as readdir5, readlink as readlink2, rename as rename3, rm as rm3, writeFile as writeFile2 } from "node:fs/promises";
import { isAbsolute, join as join8, relative as relative4, resolve as resolve7 } from "node:path";

// src/stages/builder/attempt.ts
import { createWriteStream as createWriteStream2 } from "node:fs";
import { copyFile, mkdir as mkdir3, readdir as readdir4, rename as rename2, rm as rm2, writeFile } from "node:fs/promises";
import { join as join7, relative as relative3 } from "node:path";

// src/domain/hints/remedy.ts
function emptyRemedy() {
  return { packages: [], env: {}, constraints: [], configSettings: {}, preinstall: [] };
}
function remedyFor(hint, pm) {
  const r = hint.remedy;
  const specific = pm === "none" ? void 0 : r[pm];
  const hasSpecific = Boolean(r.apt || r.dnf || r.yum || r.apk);
  if (hasSpecific && !specific) return void 0;
  if (!specific && !r.any) return void 0;
  return mergeForms(r.any, specific);
}
function mergeForms(a2, b) {
  const out = { packages: [], env: {}, constraints: [], configSettings: {}, preinstall: [] };
  for (const f of [a2, b]) if (f) foldForm(out, f);
  return out;
}
function foldForm(out, f) {
  for (const p of f.packages) if (!out.packages.includes(p)) out.packages.push(p);
  for (const c3 of f.constraints) if (!out.constraints.includes(c3)) out.constraints.push(c3);
  for (const p of f.preinstall) if (!out.preinstall.includes(p)) out.preinstall.push(p);
  Object.assign(out.configSettings, f.configSettings);
  out.env = mergeEnv(out.env, f.env);
  if (f.buildIsolation !== void 0) out.buildIsolation = f.buildIsolation;
  if (f.compiler) out.compiler = f.compiler;
  if (f.cargoRegistry) out.cargoRegistry = f.cargoRegistry;
  if (f.toolchain) out.toolchain = f.toolchain;
}
function mergeEnv(base, add) {
  const out = { ...base };
  for (const [k, v] of Object.entries(add)) {
    const prev = out[k];
    out[k] = k.endsWith("FLAGS") && prev && !prev.split(/\s+/).includes(v) ? `${prev} ${v}` : v;
  }
  return out;
}
function combineRemedies(hints, pm) {
  const out = emptyRemedy();
  for (const h2 of hints) {
    const f = remedyFor(h2, pm);
    if (f) foldForm(out, f);
  }
  return out;
}

// src/stages/builder/wheel-contents.ts
import { basename } from "node:path";

// src/domain/python/elf.ts
var ElfError = class extends Error {
};
var PT_LOAD = 1;
var PT_DYNAMIC = 2;
var DT_NULL = 0n;
var DT_NEEDED = 1n;
var DT_STRTAB = 5n;
var DT_SONAME = 14n;
var MAX_DYN_ENTRIES = 1e5;
function isElf(buf) {
  return buf.length >= 4 && buf[0] === 127 && buf[1] === 69 && buf[2] === 76 && buf[3] === 70;
}
function parseElf(data) {
  if (!isElf(data)) throw new ElfError("not an ELF file (no \\x7fELF magic)");
  if (data.length < 52) throw new ElfError("truncated ELF header");
  const cls = data[4];
  const enc = data[5];
  if (cls !== 1 && cls !== 2) throw new ElfError(`unknown ELF class ${cls}`);
  if (enc !== 1 && enc !== 2) throw new ElfError(`unknown ELF data encoding ${enc}`);
  const bits = cls === 2 ? 64 : 32;
  const le = enc === 1;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const need = (off, len, what) => {
    if (!Number.isSafeInteger(off) || off < 0 || off + len > data.length) throw new ElfError(`${what} lies outside the file`);
  };
  const u16 = (off) => {
    need(off, 2, "a field");
    return view.getUint16(off, le);
  };
  const u32 = (off) => {
    need(off, 4, "a field");
    return view.getUint32(off, le);
  };
  const word = (off) => {
    if (bits === 32) return BigInt(u32(off));
    need(off, 8, "a field");
    return view.getBigUint64(off, le);
  };
  const num = (v, what) => {
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`${what} is out of range`);
    return Number(v);
  };
  if (bits === 64 && data.length < 64) throw new ElfError("truncated ELF header");
  const machine = u16(18);
  const phoff = num(word(bits === 64 ? 32 : 28), "e_phoff");
  const phentsize = u16(bits === 64 ? 54 : 42);
  const phnum = u16(bits === 64 ? 56 : 44);
  const segments = [];
  for (let i2 = 0; i2 < phnum; i2++) {
    const p = phoff + i2 * phentsize;
    need(p, bits === 64 ? 56 : 32, `program header ${i2}`);
    const type = u32(p);
    if (bits === 64) segments.push({ type, offset: num(word(p + 8), "p_offset"), vaddr: word(p + 16), filesz: num(word(p + 32), "p_filesz") });
    else segments.push({ type, offset: u32(p + 4), vaddr: BigInt(u32(p + 8)), filesz: u32(p + 16) });
  }
  const dyn = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dyn) return { machine, bits, littleEndian: le, needed: [] };
  need(dyn.offset, dyn.filesz, "the dynamic section");
  const entSize = bits === 64 ? 16 : 8;
  const tags = [];
  for (let i2 = 0; i2 < Math.min(dyn.filesz / entSize, MAX_DYN_ENTRIES); i2++) {
    const e = dyn.offset + i2 * entSize;
    const tag = word(e);
    if (tag === DT_NULL) break;
    tags.push({ tag, val: word(e + entSize / 2) });
  }
  const strtabAddr = tags.find((t) => t.tag === DT_STRTAB)?.val;
  if (strtabAddr === void 0) throw new ElfError("dynamic section without a string table (DT_STRTAB)");
  const load2 = segments.find((s) => s.type === PT_LOAD && strtabAddr >= s.vaddr && strtabAddr < s.vaddr + BigInt(s.filesz));
  if (!load2) throw new ElfError("the string table (DT_STRTAB) is in no loadable segment");
  const strtab = load2.offset + num(strtabAddr - load2.vaddr, "DT_STRTAB");
  const str = (off) => {
    const start = strtab + num(off, "a string offset");
    need(start, 1, "a dynamic string");
    let end = start;
    while (end < data.length && data[end] !== 0 && end - start < 4096) end++;
    if (end >= data.length || data[end] !== 0) throw new ElfError("an unterminated dynamic string");
    return new TextDecoder("utf-8", { fatal: false }).decode(data.subarray(start, end));
  };
  const needed = tags.filter((t) => t.tag === DT_NEEDED).map((t) => str(t.val));
  const sonameTag = tags.find((t) => t.tag === DT_SONAME);
  return { machine, bits, littleEndian: le, needed, ...sonameTag ? { soname: str(sonameTag.val) } : {} };
}
function isSharedObjectName(member) {
  return !member.endsWith("/") && /\.so(\.\d+)*$/.test(member.split("/").at(-1) ?? "");
}

// src/stages/builder/wheel-contents.ts
var IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
var EXTENSION = /^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z0-9_-]+)?\.so$/;
var LIBRARY_NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;
function sitePath(member) {
  const parts = member.split("/");
  if (parts[0]?.endsWith(".data")) {
    if (parts.length < 3 || parts[1] !== "purelib" && parts[1] !== "platlib") return void 0;
    return parts.slice(2);
  }
  if (parts[0]?.endsWith(".dist-info")) return void 0;
  return parts;
}
async function inspectWheel(wheelPath2) {
  const { paths, members } = await readZipMembers(wheelPath2, isSharedObjectName, { filename: basename(wheelPath2) });
  const files = paths.filter((p) => !p.endsWith("/"));
  const site = files.map(sitePath).filter((p) => p !== void 0 && p.length > 0);
  const inits = new Set(site.filter((p) => p.at(-1) === "__init__.py").map((p) => p.slice(0, -1).join("/")));
  const modules = /* @__PURE__ */ new Set();
  const extensions = /* @__PURE__ */ new Set();
  for (const p of site) {
    const file = p.at(-1);
    const dirs = p.slice(0, -1);
    if (p[0] === "__pycache__" || !dirs.every((d) => IDENT.test(d))) continue;
    const ext = EXTENSION.exec(file);
    if (ext) extensions.add([...dirs, ext[1]].join("."));
    const depth = dirs.findIndex((_, i2) => inits.has(dirs.slice(0, i2 + 1).join("/")));
    if (depth >= 0) modules.add(dirs.slice(0, depth + 1).join("."));
    else if (file.endsWith(".py") && IDENT.test(file.slice(0, -3))) modules.add([...dirs, file.slice(0, -3)].join("."));
    else if (ext) modules.add([...dirs, ext[1]].join("."));
  }
  const carried = new Set(files.map((f) => f.split("/").at(-1)));
  const needed = /* @__PURE__ */ new Set();
  const machines = /* @__PURE__ */ new Set();
  const badObjects = [];
  for (const m of members) {
    if (!isElf(m.data)) {
      badObjects.push({ member: m.path, error: "not an ELF shared object" });
      continue;
    }
    try {
      const elf = parseElf(m.data);
      machines.add(elf.machine);
      if (elf.soname) carried.add(elf.soname);
      for (const n2 of elf.needed) needed.add(n2);
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
      badObjects.push({ member: m.path, error: e.message });
    }
  }
  return {
    modules: [...modules].sort(),
    extensions: [...extensions].sort(),
    needed: [...needed].filter((n2) => !carried.has(n2) && LIBRARY_NAME.test(n2)).sort(),
    machines: [...machines].sort((a2, b) => a2 - b),
    badObjects
  };
}

// src/stages/builder/smoke.ts
var SMOKE_SCRIPT = String.raw`
import ctypes, importlib, json, os, sys, sysconfig, zipfile
wheel = sys.argv[1]
spec = json.loads(sys.argv[2])
site = sysconfig.get_paths()["platlib"]
with zipfile.ZipFile(wheel) as z:
    # Install: members go to site-packages, <name>.data/{purelib,platlib}/ too; scripts and headers
    # are not needed to import. Member paths are checked to stay inside site-packages.
    for f in z.namelist():
        parts = f.split("/")
        if parts[0].endswith(".data"):
            if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                continue
            parts = parts[2:]
        dest = os.path.realpath(os.path.join(site, *parts))
        if not dest.startswith(os.path.realpath(site) + os.sep):
            print("REFINERY-SMOKE-ERROR member escapes site-packages: " + f)
            sys.exit(2)
        if f.endswith("/"):
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as out:
            out.write(z.read(f))
importlib.invalidate_caches()

def ext_file(name):
    d, stem = os.path.split(os.path.join(site, *name.split(".")))
    if not os.path.isdir(d):
        return None
    return next((os.path.join(d, f) for f in sorted(os.listdir(d)) if f.startswith(stem + ".") and f.endswith(".so")), None)

def provided(name):
    # Whether the wheel itself holds this module (a missing one outside it is a dependency).
    base = os.path.join(site, *name.split("."))
    return os.path.isfile(os.path.join(base, "__init__.py")) or os.path.isfile(base + ".py") or ext_file(name) is not None

result = {"imported": [], "linked": [], "failed": [], "missingDeps": [], "missingLibraries": [], "byteorder": sys.byteorder}

def link(n, path):
    # Load and link an extension without importing it (ctypes binds every symbol now).
    try:
        ctypes.CDLL(path)
        result["linked"].append(n)
    except OSError as le:
        result["failed"].append({"module": n, "error": repr(le)})

for n in spec["modules"] + [e for e in spec["extensions"] if e not in spec["modules"]]:
    try:
        importlib.import_module(n)
        result["imported"].append(n)
    except ModuleNotFoundError as e:
        if e.name and not provided(e.name):
            result["missingDeps"].append({"module": n, "missing": e.name})
            # An extension whose init imports an absent dependency: at least prove it loads and
            # links (ctypes binds every symbol now, the interpreter's own included).
            path = ext_file(n) if n in spec["extensions"] else None
            if path:
                link(n, path)
        else:
            result["failed"].append({"module": n, "error": repr(e)})
    except ImportError as e:
        # CPython's words for a .so without PyInit_<name>: a plain shared library the package loads
        # with ctypes or cffi (pycryptodome's Crypto.Cipher._raw_aes), not a module: load and link it.
        path = ext_file(n) if n in spec["extensions"] else None
        if path and "does not define module export function" in str(e):
            link(n, path)
        else:
            result["failed"].append({"module": n, "error": repr(e)})
    except Exception as e:
        result["failed"].append({"module": n, "error": repr(e)})
for lib in spec["needed"]:
    try:
        ctypes.CDLL(lib)
    except OSError:
        result["missingLibraries"].append(lib)
print("REFINERY-SMOKE " + json.dumps(result))
`;
function smokeSpec(c3) {
  const ok = (n2) => n2.split(".").every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p));
  return JSON.stringify({ modules: c3.modules.filter(ok), extensions: c3.extensions.filter(ok), needed: c3.needed.filter((n2) => LIBRARY_NAME.test(n2)) });
}
function parseSmokeOutput(output) {
  const line = output.split("\n").find((l) => l.startsWith("REFINERY-SMOKE "));
  if (!line) return void 0;
  try {
    const r = JSON.parse(line.slice("REFINERY-SMOKE ".length));
    if (!Array.isArray(r.imported) || !Array.isArray(r.failed) || !Array.isArray(r.missingDeps)) return void 0;
    return {
      imported: r.imported,
      linked: Array.isArray(r.linked) ? r.linked : [],
      failed: r.failed,
      missingDeps: r.missingDeps,
      missingLibraries: r.missingLibraries ?? [],
      byteorder: String(r.byteorder)
    };
  } catch {
    return void 0;
  }
}
var MISSING_LIBRARY = /([A-Za-z0-9_+][A-Za-z0-9._+-]*\.so[.0-9]*): cannot open shared object file/;
function judgeSmoke(r) {
  const libs = [.../* @__PURE__ */ new Set([...r.missingLibraries, ...r.failed.map((f) => MISSING_LIBRARY.exec(f.error)?.[1]).filter((x) => !!x)])].sort();
  const own = r.failed.filter((f) => !MISSING_LIBRARY.test(f.error));
  if (own.length > 0) return { verdict: "failed", reason: `import ${own[0].module} failed: ${own[0].error.slice(0, 300)}`, externalLibraries: libs };
  if (libs.length > 0) return { verdict: "unverified", reason: `needs system libraries the bare image lacks: ${libs.join(", ")}`, externalLibraries: libs };
  if (r.imported.length === 0) {
    const deps = [...new Set(r.missingDeps.map((d) => d.missing))];
    return {
      verdict: "unverified",
      reason: deps.length > 0 ? `imports nothing without its dependencies (${deps.join(", ")} not installed)` : "the wheel has no importable module",
      externalLibraries: libs
    };
  }
  return { verdict: "passed", externalLibraries: libs };
}

// src/stages/builder/runtime-packages.ts
var LOCATE_SCRIPT = String.raw`
import ctypes, json, os, sys
def mapped():
    paths = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[5].startswith("/"):
                paths.add(parts[5].strip())
    return paths
out = {}
for name in json.loads(sys.argv[1]):
    before = mapped()
    found = []
    try:
        ctypes.CDLL(name)
    except OSError:
        out[name] = found
        continue
    # The file just mapped whose folder holds the name (the soname link) is the library itself.
    for p in sorted(mapped() - before) or sorted(before):
        link = os.path.join(os.path.dirname(p), name)
        if os.path.exists(link) and os.path.realpath(link) == os.path.realpath(p):
            found = [link, os.path.realpath(p)]
            break
    out[name] = found
print("REFINERY-LIBS " + json.dumps(out))
`;
function parseLocated(output, names) {
  const line = output.split("\n").find((l) => l.startsWith("REFINERY-LIBS "));
  const found = /* @__PURE__ */ new Map();
  if (!line) return found;
  let data;
  try {
    data = JSON.parse(line.slice("REFINERY-LIBS ".length));
  } catch {
    return found;
  }
  if (typeof data !== "object" || data === null) return found;
  for (const name of names) {
    const paths = data[name];
    if (!Array.isArray(paths)) continue;
    const ok = paths.filter((p) => typeof p === "string" && SAFE_PATH.test(p) && !p.split("/").includes(".."));
    if (ok.length > 0) found.set(name, ok);
  }
  return found;
}
var SAFE_PATH = /^\/[A-Za-z0-9._+\-/]{1,400}$/;
function ownerQueryPaths(pm, paths) {
  const out = /* @__PURE__ */ new Set();
  for (const p of paths) {
    out.add(p);
    if (pm !== "apt") continue;
    if (p.startsWith("/usr/lib/")) out.add(p.slice(4));
    else if (p.startsWith("/lib/")) out.add(`/usr${p}`);
  }
  return [...out];
}
function ownerCommand(pm, paths) {
  if (paths.length === 0) return void 0;
  switch (pm) {
    case "apt":
      return ["dpkg-query", "--search", "--", ...paths];
    case "dnf":
    case "yum":
      return ["rpm", "--query", "--file", "--queryformat", "REFINERY-OWNER %{NAME}\\n", "--", ...paths];
    case "apk":
      return ["apk", "info", "--who-owns", "--", ...paths];
    case "none":
      return void 0;
  }
}
var PACKAGE = /^[A-Za-z0-9][A-Za-z0-9+._-]{0,127}$/;
function parseOwners(pm, output, paths) {
  const owners = /* @__PURE__ */ new Set();
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (pm === "apt") {
      const sep5 = line.lastIndexOf(": ");
      if (sep5 < 0 || !paths.includes(line.slice(sep5 + 2))) continue;
      for (const p of line.slice(0, sep5).split(", ")) {
        const name = p.replace(/:[a-z0-9-]+$/, "");
        if (PACKAGE.test(name)) owners.add(name);
      }
    } else if (pm === "dnf" || pm === "yum") {
      const m = /^REFINERY-OWNER (\S+)$/.exec(line);
      if (m && PACKAGE.test(m[1])) owners.add(m[1]);
    } else if (pm === "apk") {
      const at = line.indexOf(" is owned by ");
      if (at < 0 || !paths.includes(line.slice(0, at))) continue;
      const name = line.slice(at + " is owned by ".length).replace(/-\d[^-]*-r\d+$/, "");
      if (PACKAGE.test(name)) owners.add(name);
    }
  }
  return [...owners].sort();
}
function locatable(libs) {
  return libs.filter((l) => LIBRARY_NAME.test(l)).slice(0, 200);
}

// src/stages/builder/attempt.ts
function stopWords(r) {
  if (!r.tree) return r.durationMs === 0 ? "no command started" : "command killed";
  if (r.tree.stopped) return `process tree stopped (${r.tree.how})`;
  return `the process tree may NOT be fully stopped (${r.tree.how})`;
}
async function runAttempt(a2) {
  const now = a2.now ?? Date.now;
  const started = now();
  const watch = { phase: "prepare", lastLine: () => "" };
  const beat = a2.onHeartbeat ? setInterval(() => a2.onHeartbeat({ phase: watch.phase, elapsedMs: now() - started, lastLine: watch.lastLine() }), a2.heartbeatMs ?? 3e4) : void 0;
  beat?.unref();
  try {
    return await attemptBody(a2, watch);
  } finally {
    if (beat) clearInterval(beat);
  }
}
async function attemptBody(a2, watch) {
  const now = a2.now ?? Date.now;
  const log = new AttemptLog(a2.logFile);
  watch.lastLine = () => log.lastLine();
  const durations = {};
  const wd = a2.session.workDir;
  const env = mergeEnv(a2.env, a2.remedy.env);
  if (a2.pipConfigRel && env.PIP_CONFIG_FILE === void 0 && env.PIP_INDEX_URL === void 0) {
    env.PIP_CONFIG_FILE = `${wd}/${a2.pipConfigRel}`;
  }
  const distName = `dist-${a2.n}`;
  const hostDist = join7(a2.hostWorkDir, distName);
  await rm2(hostDist, { recursive: true, force: true });
  await mkdir3(hostDist, { recursive: true });
  if (a2.compilerNote) log.line(`[refinery] compiler: ${a2.compilerNote}`);
  for (const note of a2.notes ?? []) log.line(`[refinery] ${note}`);
  const done = async (o2) => {
    log.line(`[refinery] attempt ${a2.n}: ${o2.status}${o2.phase ? ` in phase ${o2.phase}` : ""}${o2.killed ? " (killed)" : ""}`);
    return { ...o2, log: await log.close(), phaseDurationsMs: durations };
  };
  const step = async (phase, argv, extraEnv = {}, on6 = { session: a2.session, env }) => {
    const remaining = a2.deadline - now();
    const limit = Math.max(1, Math.min(a2.timeouts[phase], remaining));
    log.line(`[refinery] ${phase}: ${argv.map((x) => x.length > 200 || x.includes("\n") ? "<script>" : x).join(" ")}`);
    const started = now();
    watch.phase = phase;
    const r = remaining <= 0 || a2.signal?.aborted ? { exitCode: -1, killed: true, durationMs: 0, output: "" } : await on6.session.exec(argv, { env: { ...on6.env, ...extraEnv }, timeoutMs: limit, onOutput: (c3) => log.write(c3), signal: a2.signal });
    durations[phase] = (durations[phase] ?? 0) + (now() - started);
    for (const n2 of r.tree?.notes ?? []) log.line(`[refinery] ${n2}`);
    if (r.killed) {
      const by = a2.signal?.aborted ? "cancel" : remaining <= a2.timeouts[phase] ? "unit" : "phase";
      const what = by === "cancel" ? "the build was cancelled (refinery was asked to stop)" : `${by === "unit" ? "the unit" : `phase ${phase}`} exceeded its timeout of ${Math.round((by === "unit" ? Math.max(remaining, 0) : a2.timeouts[phase]) / 1e3)} s`;
      log.line(`[refinery] KILLED: ${what}; ${stopWords(r)}`);
      return { ...r, exitCode: r.exitCode === 0 ? 137 : r.exitCode, killedBy: by };
    }
    return r;
  };
  const query = installedQuery(a2.session.packageManager, a2.remedy.packages);
  const asked = query ? await step("prepare", query.argv) : void 0;
  if (asked?.killed) return done({ status: "failure", phase: "prepare", killed: true, ...asked.killedBy ? { killedBy: asked.killedBy } : {} });
  const have = query && asked ? query.installed(asked.output) : /* @__PURE__ */ new Set();
  const missing = a2.remedy.packages.filter((p) => !have.has(p));
  if (have.size > 0) log.line(`[refinery] prepare: already installed: ${[...have].join(", ")}${missing.length === 0 ? "; nothing to install" : ""}`);
  const pkgs = installCommands(a2.session.packageManager, missing);
  if (pkgs) {
    let r = await step("prepare", pkgs.install);
    if (r.exitCode !== 0 && !r.killed && pkgs.refresh) {
      r = await step("prepare", pkgs.refresh);
      if (r.exitCode === 0 && !r.killed) r = await step("prepare", pkgs.install);
    }
    if (r.exitCode !== 0) return done({ status: "failure", phase: "prepare", killed: r.killed, ...r.killedBy ? { killedBy: r.killedBy } : {} });
  }
  const stepEnv = {};
  if (a2.findLinksRel) stepEnv.PIP_FIND_LINKS = `${wd}/${a2.findLinksRel}`;
  if (a2.remedy.constraints.length > 0) {
    await writeFile(join7(a2.hostWorkDir, `constraints-${a2.n}.txt`), `${a2.remedy.constraints.join("\n")}
`);
    stepEnv.PIP_CONSTRAINT = `${wd}/constraints-${a2.n}.txt`;
  }
  if (a2.remedy.cargoRegistry) {
    const home = `cargo-home-${a2.n}`;
    await mkdir3(join7(a2.hostWorkDir, home), { recursive: true });
    await writeFile(join7(a2.hostWorkDir, home, "config.toml"), cargoRegistryConfig(a2.remedy.cargoRegistry));
    stepEnv.CARGO_HOME = `${wd}/${home}`;
    log.line(`[refinery] cargo: crates from ${a2.remedy.cargoRegistry} instead of crates.io (offline)`);
    for (const lock of await setAsideCargoLocks(join7(a2.hostWorkDir, a2.srcRel))) log.line(`[refinery] cargo: ${lock} set aside as Cargo.lock.sdist`);
  }
  if (a2.pyo3Config && env.PYO3_CONFIG_FILE === void 0) {
    await writeFile(join7(a2.hostWorkDir, `pyo3-config-${a2.n}.txt`), a2.pyo3Config);
    stepEnv.PYO3_CONFIG_FILE = `${wd}/pyo3-config-${a2.n}.txt`;
  }
  if (a2.remedy.preinstall.length > 0) {
    const r = await step("prepare", [a2.python, "-m", "pip", "install", ...a2.remedy.preinstall], { ...stepEnv, PIP_BREAK_SYSTEM_PACKAGES: "1" });
    if (r.exitCode !== 0) return done({ status: "failure", phase: "prepare", killed: r.killed, ...r.killedBy ? { killedBy: r.killedBy } : {} });
  }
  const isolation = useIsolation(a2.isolation, a2.remedy);
  if (a2.frontend === "uv" && a2.uvCache && env.UV_CACHE_DIR === void 0) log.line(`[refinery] uv cache: ${a2.uvCache.note}`);
  const build = await step(
    "build",
    frontendCommand(a2.frontend, a2.python, {
      srcDir: `${wd}/${a2.srcRel}`,
      outDir: `${wd}/${distName}`,
      isolation,
      configSettings: a2.remedy.configSettings,
      ...a2.uv ? { uv: a2.uv } : {}
    }),
    {
      ...lightPipEnv(env),
      ...stepEnv,
      ...a2.frontend === "uv" ? uvEnv({ ...env, ...stepEnv }, a2.uvConfigRel ? `${wd}/${a2.uvConfigRel}` : void 0) : {},
      ...a2.frontend === "uv" && a2.uvCache?.rel && env.UV_CACHE_DIR === void 0 ? { UV_CACHE_DIR: `${wd}/${a2.uvCache.rel}` } : {}
    }
  );
  if (build.exitCode !== 0) return done({ status: "failure", phase: "build", killed: build.killed, ...build.killedBy ? { killedBy: build.killedBy } : {} });
  let wheelName = (await readdir4(hostDist)).find((f) => f.endsWith(".whl"));
  if (!wheelName) {
    log.line("[refinery] build: the frontend exited 0 but wrote no wheel");
    return done({ status: "failure", phase: "build", killed: false });
  }
  await mkdir3(a2.outDir, { recursive: true });
  let outPath = join7(a2.outDir, wheelName);
  await copyFile(join7(hostDist, wheelName), outPath);
  log.line(`[refinery] wheel: ${wheelName}`);
  if (a2.repair === "auditwheel" && /-none-any\.whl$/.test(wheelName)) log.line("[refinery] repair: pure-Python wheel, nothing to repair");
  else if (a2.repair === "auditwheel") {
    const repairedDir = `repaired-${a2.n}`;
    const w = a2.repairWith;
    const repair = async () => {
      if (!w) return failedOrNone(await step("repair", ["auditwheel", "repair", "--wheel-dir", `${wd}/${repairedDir}`, `${wd}/${distName}/${wheelName}`]));
      const tools = installCommands(a2.session.packageManager, w.packages);
      if (tools) {
        let r2 = await step("repair", tools.install);
        if (r2.exitCode !== 0 && !r2.killed && tools.refresh) {
          r2 = await step("repair", tools.refresh);
          if (r2.exitCode === 0 && !r2.killed) r2 = await step("repair", tools.install);
        }
        if (r2.exitCode !== 0) return r2;
      }
      const venv = `${a2.session.scratchDir}/refinery-repair-${a2.n}`;
      const python = w.pip.length > 0 ? `${venv}/bin/python` : a2.python;
      if (w.pip.length > 0) {
        for (const argv of [
          [a2.python, "-m", "venv", "--clear", venv],
          [python, "-m", "pip", "install", "--disable-pip-version-check", ...w.pip]
        ]) {
          const r2 = await step("repair", argv, stepEnv);
          if (r2.exitCode !== 0) return r2;
        }
      }
      return failedOrNone(
        await step("repair", [
          python,
          "-c",
          AUDITWHEEL,
          "repair",
          "--plat",
          w.platform,
          "--wheel-dir",
          `${wd}/${repairedDir}`,
          `${wd}/${distName}/${wheelName}`
        ])
      );
    };
    const r = await repair();
    if (r && (!w || r.killedBy === "cancel" || r.killedBy === "unit")) {
      return done({
        status: "failure",
        phase: "repair",
        killed: r.killed,
        ...r.killedBy ? { killedBy: r.killedBy } : {},
        wheelPath: outPath,
        wheelFilename: wheelName
      });
    }
    if (r) log.line(`[refinery] repair: FAILED (exit ${r.exitCode}); the unrepaired ${wheelName} is tested and kept instead`);
    const repaired = r ? void 0 : (await readdir4(join7(a2.hostWorkDir, repairedDir))).find((f) => f.endsWith(".whl"));
    if (repaired) {
      await rm2(outPath, { force: true });
      outPath = join7(a2.outDir, repaired);
      await copyFile(join7(a2.hostWorkDir, repairedDir, repaired), outPath);
      await copyFile(join7(a2.hostWorkDir, repairedDir, repaired), join7(hostDist, repaired));
      wheelName = repaired;
      log.line(`[refinery] repaired wheel: ${repaired}`);
    }
  }
  const built = { wheelPath: outPath, wheelFilename: wheelName };
  let contents;
  try {
    contents = await inspectWheel(outPath);
  } catch (e) {
    log.line(`[refinery] test: the wheel cannot be read: ${e.message}`);
    return done({ status: "failure", phase: "test", killed: false, ...built });
  }
  for (const b of contents.badObjects) log.line(`[refinery] test: ${b.member}: ${b.error}`);
  log.line(
    `[refinery] test: modules ${contents.modules.join(", ") || "none"}; extension modules ${contents.extensions.join(", ") || "none"}; needed libraries ${contents.needed.join(", ") || "none"}`
  );
  const unverified = (reason) => {
    log.line(`[refinery] test: UNVERIFIED: ${reason}`);
    return done({ status: "success", killed: false, ...built, verdict: { verdict: "unverified", reason, externalLibraries: [] } });
  };
  const round = async (k, packages, pythonDeps = false) => {
    let fresh = a2.session;
    if (a2.openFresh) {
      try {
        fresh = await a2.openFresh();
      } catch (e) {
        return { kind: "unverified", reason: `the fresh container for the smoke test did not start: ${e.message.split("\n")[0]}` };
      }
    }
    try {
      const on6 = { session: fresh, env: { ...a2.env } };
      log.line(
        `[refinery] test: ${a2.openFresh ? "a fresh container of the preset's image, without the build's remedies" : "in the build session"}${packages.length > 0 ? `, with the runtime packages ${packages.join(", ")}` : ""}`
      );
      const pkgs2 = installCommands(fresh.packageManager, packages);
      if (pkgs2) {
        let r = await step("test", pkgs2.install, {}, on6);
        if (r.exitCode !== 0 && !r.killed && pkgs2.refresh) {
          r = await step("test", pkgs2.refresh, {}, on6);
          if (r.exitCode === 0 && !r.killed) r = await step("test", pkgs2.install, {}, on6);
        }
        if (r.killedBy === "cancel") return { kind: "cancelled" };
        if (r.exitCode !== 0) return { kind: "unverified", reason: `the runtime packages ${packages.join(", ")} could not be installed (exit ${r.exitCode})` };
      }
      const venv = `${fresh.scratchDir}/refinery-smoke-${a2.n}-${k}`;
      const mkVenv = await step("test", [a2.python, "-m", "venv", "--clear", "--without-pip", venv], {}, on6);
      if (mkVenv.killedBy === "cancel") return { kind: "cancelled" };
      if (mkVenv.exitCode !== 0) return { kind: "unverified", reason: `the smoke test's venv could not be made (exit ${mkVenv.exitCode})` };
      if (pythonDeps) {
        const usesConf = a2.pipConfigRel && a2.env.PIP_CONFIG_FILE === void 0 && a2.env.PIP_INDEX_URL === void 0;
        const depEnv = {
          PIP_DISABLE_PIP_VERSION_CHECK: "1",
          PIP_NO_COMPILE: "1",
          ...usesConf ? { PIP_CONFIG_FILE: `${fresh.workDir}/${a2.pipConfigRel}` } : {},
          ...a2.findLinksRel ? { PIP_FIND_LINKS: `${fresh.workDir}/${a2.findLinksRel}` } : {}
        };
        const argv = [
          a2.python,
          "-m",
          "pip",
          "--python",
          `${venv}/bin/python`,
          "install",
          "--only-binary",
          ":all:",
          `${fresh.workDir}/${distName}/${wheelName}`
        ];
        const pip = await step("test", argv, depEnv, on6);
        if (pip.killedBy === "cancel") return { kind: "cancelled" };
        if (pip.exitCode !== 0) {
          const why = pip.output.split("\n").filter((l) => l.startsWith("ERROR: ")).at(-1)?.slice(7, 307) ?? `exit ${pip.exitCode}`;
          return { kind: "unverified", reason: `its dependencies could not be installed as wheels: ${why}` };
        }
      }
      const smoke = await step(
        "test",
        [`${venv}/bin/python`, "-c", SMOKE_SCRIPT, `${fresh.workDir}/${distName}/${wheelName}`, smokeSpec(contents)],
        { PYTHONDONTWRITEBYTECODE: "1" },
        on6
      );
      if (smoke.killedBy === "cancel") return { kind: "cancelled" };
      if (smoke.killed)
        return { kind: "unverified", reason: `the smoke test was killed: ${smoke.killedBy === "unit" ? "the unit's" : "the test phase's"} timeout ran out` };
      const report = parseSmokeOutput(smoke.output);
      if (!report || smoke.exitCode !== 0) return { kind: "crashed", output: smoke.output, exitCode: smoke.exitCode };
      for (const f of report.failed) log.line(`[refinery] test: import ${f.module} failed: ${f.error.slice(0, 300)}`);
      return { kind: "judged", report, verdict: judgeSmoke(report), output: smoke.output };
    } finally {
      if (fresh !== a2.session) await fresh.close().catch(() => void 0);
    }
  };
  const cancelled = () => done({ status: "failure", phase: "test", killed: true, killedBy: "cancel", ...built });
  const reasonOf = (r) => r.kind === "judged" ? r.verdict.reason : r.kind === "crashed" ? `the smoke test's interpreter died (exit ${r.exitCode})` : r.reason;
  const first = await round(1, []);
  if (first.kind === "cancelled") return cancelled();
  if (first.kind === "unverified") return unverified(first.reason);
  if (first.kind === "judged" && first.verdict.verdict === "passed") {
    log.line("[refinery] test: passed");
    return done({ status: "success", killed: false, ...built, smoke: first.report, verdict: first.verdict });
  }
  if (first.kind === "judged" && first.verdict.verdict === "unverified" && first.verdict.externalLibraries.length === 0) {
    if (first.report.missingDeps.length > 0) {
      log.line(`[refinery] test: ${first.verdict.reason}: once more, the wheel installed by pip with its dependencies`);
      const withDeps = await round(2, [], true);
      if (withDeps.kind === "cancelled") return cancelled();
      if (withDeps.kind === "judged" && withDeps.verdict.verdict === "passed") {
        log.line("[refinery] test: passed with its dependencies installed");
        return done({ status: "success", killed: false, ...built, smoke: withDeps.report, verdict: withDeps.verdict });
      }
      const why = reasonOf(withDeps);
      const reason = why === first.verdict.reason ? `${why}, even with its declared dependencies installed` : `${first.verdict.reason}; with its dependencies: ${why}`;
      log.line(`[refinery] test: UNVERIFIED: ${reason}`);
      return done({ status: "success", killed: false, ...built, smoke: first.report, verdict: { ...first.verdict, reason } });
    }
    log.line(`[refinery] test: UNVERIFIED: ${first.verdict.reason}`);
    return done({ status: "success", killed: false, ...built, smoke: first.report, verdict: first.verdict });
  }
  const firstReason = first.kind === "crashed" ? `the smoke test's interpreter died (exit ${first.exitCode}) before it could report` : first.verdict.reason;
  const libs = first.kind === "judged" ? first.verdict.externalLibraries : [];
  log.line(`[refinery] test: SMOKE TEST FAILED in the bare image: ${firstReason}`);
  const match = a2.classifySmoke?.(first.output);
  const firstFailure = {
    failureClass: "smoke-test",
    ...match ? { matchedHint: match.hint, matchedLine: match.line } : {},
    retry: "none"
  };
  log.line(`[refinery] test: classified smoke-test${match ? ` by hint ${match.hint}: ${match.line}` : " (no hint matched)"}`);
  const keep = (reason, extra = {}) => {
    log.line(`[refinery] test: UNVERIFIED (wheel kept): ${reason}`);
    return done({
      status: "success",
      killed: false,
      ...built,
      ...first.kind === "judged" ? { smoke: first.report } : {},
      verdict: { verdict: "unverified", reason, externalLibraries: libs },
      firstFailure,
      ...extra
    });
  };
  if (libs.length === 0) return keep(firstReason);
  const runtime = await findRuntimePackages(libs, a2.python, a2.session, (argv) => step("test", argv));
  if (!runtime) return keep(`${firstReason}; the image's package manager cannot say which packages provide them`);
  if (runtime.unresolved.length > 0) log.line(`[refinery] test: no package found for ${runtime.unresolved.join(", ")} in the build container`);
  if (runtime.packages.length === 0) return keep(`${firstReason}; no package of the build container provides them`);
  log.line(`[refinery] test: runtime packages (${runtime.manager}): ${runtime.packages.join(", ")}, owners of ${libs.join(", ")} in the build container`);
  firstFailure.retry = "runtime-packages";
  const runtimePackages = { manager: runtime.manager, packages: runtime.packages };
  const second = await round(2, runtime.packages);
  if (second.kind === "cancelled") return cancelled();
  if (second.kind === "judged" && second.verdict.verdict === "passed") {
    log.line(`[refinery] test: passed with the runtime packages ${runtime.packages.join(", ")}`);
    return done({
      status: "success",
      killed: false,
      ...built,
      smoke: second.report,
      verdict: { verdict: "passed-with-runtime-packages", externalLibraries: libs },
      firstFailure,
      runtimePackages
    });
  }
  return keep(`${firstReason}; with the runtime packages ${runtime.packages.join(", ")} installed: ${reasonOf(second)}`, { runtimePackages });
}
var AUDITWHEEL = String.raw`
import os, sys
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
from auditwheel.main import main
sys.argv[0] = "auditwheel"
sys.exit(main())
`;
function failedOrNone(r) {
  return r.exitCode === 0 ? void 0 : r;
}
async function findRuntimePackages(libs, python, session, run2) {
  const pm = session.packageManager;
  if (pm === "none") return void 0;
  const names = locatable(libs);
  const located = parseLocated((await run2([python, "-c", LOCATE_SCRIPT, JSON.stringify(names)])).output, names);
  const packages = /* @__PURE__ */ new Set();
  const unresolved = [];
  for (const lib of names) {
    const paths = ownerQueryPaths(pm, located.get(lib) ?? []);
    const argv = ownerCommand(pm, paths);
    const owners = argv ? parseOwners(pm, (await run2(argv)).output, paths) : [];
    if (owners.length === 0) unresolved.push(lib);
    for (const o2 of owners) packages.add(o2);
  }
  return { manager: pm, packages: [...packages].sort(), unresolved };
}
function lightPipEnv(env) {
  return {
    ...env.PIP_NO_COMPILE === void 0 ? { PIP_NO_COMPILE: "0" } : {},
    ...env.PIP_DISABLE_PIP_VERSION_CHECK === void 0 ? { PIP_DISABLE_PIP_VERSION_CHECK: "1" } : {}
  };
}
var PIP_TO_UV = [
  ["PIP_INDEX_URL", "UV_INDEX_URL"],
  ["PIP_EXTRA_INDEX_URL", "UV_EXTRA_INDEX_URL"],
  ["PIP_FIND_LINKS", "UV_FIND_LINKS"],
  ["PIP_CONSTRAINT", "UV_BUILD_CONSTRAINT"],
  ["PIP_CERT", "SSL_CERT_FILE"]
];
function uvEnv(env, uvConfig) {
  const out = { UV_NO_CONFIG: "1", UV_PYTHON_DOWNLOADS: "never", UV_NO_PROGRESS: "1" };
  if (uvConfig && env.PIP_INDEX_URL === void 0) out.UV_CONFIG_FILE = uvConfig;
  for (const [pip, uv] of PIP_TO_UV) {
    const v = env[pip];
    if (v !== void 0) out[uv] = v;
  }
  for (const k of Object.keys(out)) if (env[k] !== void 0) out[k] = env[k];
  return out;
}
async function setAsideCargoLocks(srcDir) {
  const moved = [];
  for (const e of await readdir4(srcDir, { recursive: true, withFileTypes: true })) {
    if (e.name !== "Cargo.lock" || !e.isFile()) continue;
    await rename2(join7(e.parentPath, e.name), join7(e.parentPath, "Cargo.lock.sdist"));
    moved.push(relative3(srcDir, join7(e.parentPath, e.name)));
  }
  return moved.sort();
}
function cargoRegistryConfig(dir) {
  return [
    "# written by refinery: crates from a local directory source, not crates.io",
    "[source.crates-io]",
    'replace-with = "refinery-local"',
    "",
    "[source.refinery-local]",
    `directory = "${dir}"`,
    "",
    "[net]",
    "offline = true",
    ""
  ].join("\n");
}
var AttemptLog = class {
  stream;
  chunks = [];
  constructor(file) {
    this.stream = createWriteStream2(file, { flags: "w" });
  }
  write(chunk) {
    this.chunks.push(chunk);
    this.stream.write(chunk);
  }
  line(text) {
    const last = this.chunks[this.chunks.length - 1];
    this.write(`${last && !last.endsWith("\n") ? "\n" : ""}${text}
`);
  }
  /** The last non-empty line written so far, cleaned for a terminal (it is the package's output). */
  lastLine() {
    let tail = "";
    for (let i2 = this.chunks.length - 1; i2 >= 0 && tail.length < 4096; i2--) tail = this.chunks[i2] + tail;
    const lines = tail.slice(-4096).split(/\r?\n|\r/).map(clean).filter((l) => l !== "");
    return (lines.at(-1) ?? "").slice(0, 200);
  }
  async close() {
    await new Promise((resolve11, reject) => this.stream.end((e) => e ? reject(e) : resolve11()));
    return this.chunks.join("");
  }
};
function clean(line) {
  return line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/[\x00-\x1f\x7f]/g, "").trim();
}

// src/stages/builder/uv-seed.ts
var SEEDED_PACKAGES = ["setuptools", "wheel"];
function uvSeedsDir(cacheDir) {
  return join8(cacheDir, "uv-seeds");
}
var SEED_MAX_AGE_MS = 24 * 36e5;
var SeedManifest = external_exports.object({
  schema: external_exports.literal("refinery/uv-seed@1"),
  createdAt: external_exports.string().datetime(),
  uv: external_exports.string(),
  python: external_exports.string(),
  /** `name==version` lines, as `uv pip freeze` printed them. */
  packages: external_exports.array(external_exports.string().regex(/^[A-Za-z0-9._-]+==[A-Za-z0-9.+!_-]+$/)).max(20)
}).strict();
var INDEX_VARS = ["PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX"];
function uvSeedKey(o2) {
  const index = INDEX_VARS.map((k) => [k, o2.env[k] ?? null]);
  return sha256(JSON.stringify({ identity: o2.identity, python: o2.python, uv: o2.uv.version, uvConf: o2.uvConf ?? null, index })).slice(0, 24);
}
async function ensureUvSeed(o2, log) {
  const now = o2.now ?? Date.now;
  const dir = join8(o2.seedsDir, uvSeedKey(o2));
  const found = await readSeed(dir);
  if (found && now() - Date.parse(found.createdAt) < SEED_MAX_AGE_MS) return { dir, manifest: found, made: false, ms: 0 };
  const t0 = now();
  await mkdir4(o2.seedsDir, { recursive: true });
  const tmp = await mkdtemp(join8(o2.seedsDir, ".new-"));
  try {
    const manifest = await makeSeed(o2, tmp, now);
    await rm3(dir, { recursive: true, force: true });
    await rename3(join8(tmp, "cache"), dir).catch(async (e) => {
      if (!await readSeed(dir)) throw e;
    });
    return { dir, manifest, made: true, ms: now() - t0 };
  } catch (e) {
    log(`not seeded: the seed could not be made (${e.message.split("\n")[0]}); the build fills its own`);
    return void 0;
  } finally {
    await rm3(tmp, { recursive: true, force: true }).catch(() => void 0);
  }
}
async function readSeed(dir) {
  try {
    const manifest = await readJson(SeedManifest, join8(dir, MANIFEST), { code: "environment", fix: "remove the seed folder; the next build makes it again" });
    for (const e of await readdir5(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile() || e.isDirectory()) continue;
      if (!e.isSymbolicLink()) return void 0;
      const target = await readlink2(join8(e.parentPath, e.name));
      const inside = relative4(dir, resolve7(e.parentPath, target));
      if (isAbsolute(target) || inside.startsWith("..") || isAbsolute(inside)) return void 0;
    }
    return manifest;
  } catch {
    return void 0;
  }
}
var MANIFEST = "refinery-seed.json";
async function makeSeed(o2, tmp, now) {
  if (o2.uvConf) await writeFile2(join8(tmp, "uv.toml"), o2.uvConf, { mode: 384 });
  const session = await o2.executor.open({
    name: `refinery-uv-seed-${randomBytes4(4).toString("hex")}`,
    hostWorkDir: tmp,
    preset: o2.preset,
    maxLifetimeMs: 15 * 6e4,
    compiler: "emulated",
    uv: true
  });
  const wd = session.workDir;
  const env = { ...uvEnv(o2.env, o2.uvConf ? `${wd}/uv.toml` : void 0), UV_CACHE_DIR: `${wd}/cache` };
  const venvPython = `${wd}/venv/bin/python`;
  let freeze = "";
  try {
    const steps = [
      [o2.uv.path, "venv", "--quiet", `${wd}/venv`, "--python", o2.python],
      // Wheels only: a seed runs no package's build code.
      [o2.uv.path, "pip", "install", "--quiet", "--no-build", "--python", venvPython, ...SEEDED_PACKAGES],
      [o2.uv.path, "pip", "freeze", "--python", venvPython],
      // Compiles, never imports, what the wheels unpacked into the cache.
      [o2.python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "checked-hash", `${wd}/cache/archive-v0`]
    ];
    for (const argv of steps) {
      const r = await session.exec(argv, { env, timeoutMs: 10 * 6e4, ...o2.signal ? { signal: o2.signal } : {} });
      if (r.exitCode !== 0) throw new Error(`${argv.slice(0, 3).join(" ")} exited ${r.exitCode}: ${r.output.trim().split("\n").at(-1) ?? ""}`);
      if (argv[2] === "freeze") freeze = r.output;
    }
  } finally {
    await session.close();
  }
  const cache = join8(tmp, "cache");
  for (const e of await readdir5(cache)) if (/^(simple-v|builds-v|sdists-v)/.test(e)) await rm3(join8(cache, e), { recursive: true, force: true });
  const manifest = SeedManifest.parse({
    schema: "refinery/uv-seed@1",
    createdAt: new Date(now()).toISOString(),
    uv: o2.uv.version,
    python: o2.python,
    packages: freeze.split("\n").map((l) => l.trim()).filter((l) => l.includes("=="))
  });
  await writeFile2(join8(cache, MANIFEST), `${JSON.stringify(manifest, null, 2)}
`);
  return manifest;
}
async function copySeed(seed, workDir, rel) {
  await cp(seed.dir, join8(workDir, rel), { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith(MANIFEST) });
}

// src/stages/builder/unit.ts
import { randomBytes as randomBytes5 } from "node:crypto";
import { copyFile as copyFile2, mkdir as mkdir6, mkdtemp as mkdtemp2, readdir as readdir7, rm as rm4, stat as stat3, writeFile as writeFile3 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join11 } from "node:path";
import { setTimeout as sleepMs2 } from "node:timers/promises";

// src/domain/hints/evidence.ts
var ERRORISH = /\b(error|fatal|failed|cannot|could not|not found|no such file|undefined reference|unrecognized|unsupported|requires?)\b|\w(Error|Exception)\b/i;
var BOILERPLATE = [
  /error: subprocess-exited-with-error/i,
  /note: This error originates from a subprocess/i,
  /ERROR: Failed (building wheel|to build)/i,
  /^\s*Failed to build /i,
  /error: metadata-generation-failed/i,
  /Encountered error while generating package metadata/i,
  /exit code: \d+/i,
  /^\s*[│|]?\s*(File ".*", line \d+|Traceback \(most recent call last\))/,
  /finished with status 'error'/,
  /See above for (output|details)/i,
  /This is an issue with the package mentioned above/i,
  /\[end of output\]/i,
  /^[×╰╭│|]/,
  /^(note|hint): /i
];
var TAIL_LINES = 3;
var EVIDENCE_LINES = 8;
var EVIDENCE_LINE_CHARS = 300;
function errorLines(log, max = EVIDENCE_LINES) {
  const errorish = [];
  const plain = [];
  for (const raw of log.split("\n")) {
    const line = raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "").trim();
    if (!line || BOILERPLATE.some((b) => b.test(line)) || line.startsWith("[refinery]") || line.startsWith("=====")) continue;
    const cut = line.length > EVIDENCE_LINE_CHARS ? `${line.slice(0, EVIDENCE_LINE_CHARS - 1)}\u2026` : line;
    const into = ERRORISH.test(line) ? errorish : plain;
    if (!into.includes(cut)) into.push(cut);
  }
  return errorish.length > 0 ? errorish.slice(-max) : plain.slice(-Math.min(TAIL_LINES, max));
}

// src/domain/hints/rust.ts
function parseVersion(text) {
  const m = /^\s*(?:>=|\^|~)?\s*(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : void 0;
}
function compareRust(a2, b) {
  const x = parseVersion(a2) ?? [0, 0, 0];
  const y = parseVersion(b) ?? [0, 0, 0];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
function normalized(text) {
  const v = parseVersion(text);
  return v ? v.join(".") : void 0;
}
function strictestNeed(...needs) {
  let best;
  for (const n2 of needs) if (n2 && (!best || compareRust(n2.version, best.version) > 0)) best = n2;
  return best;
}
function rustNeedFromSources(files) {
  const needs = [];
  for (const f of files) {
    let doc;
    try {
      doc = parse(f.text);
    } catch {
      continue;
    }
    const declared = f.path.endsWith("pyproject.toml") ? asArray(get(doc, ["tool", "setuptools-rust", "ext-modules"])).map((m) => get(m, ["rust-version"])) : [get(doc, ["package", "rust-version"]), get(doc, ["workspace", "package", "rust-version"])];
    for (const d of declared) {
      const v = typeof d === "string" ? normalized(d) : void 0;
      if (v) needs.push({ version: v, because: `rust-version ${d} in ${f.path}` });
    }
  }
  return strictestNeed(...needs);
}
var LOG_FORMS = [
  // setuptools-rust checks the extension's rust-version before cargo runs
  { re: /Rust (\d+\.\d+(?:\.\d+)?) does not match extension requirement >=\s*(\d+\.\d+(?:\.\d+)?)/, need: (m) => m[2], say: "setuptools-rust" },
  // cargo: a crate's rust-version above the active compiler
  { re: /requires rustc (\d+\.\d+(?:\.\d+)?) or newer, while the currently active rustc version is/, need: (m) => m[1], say: "cargo" },
  // Cargo.lock version 4 is read by cargo 1.78 and newer
  {
    re: /lock file version (\d+) was found, but this version of Cargo does not understand this lock file/,
    need: (m) => m[1] === "4" ? "1.78.0" : m[1] === "3" ? "1.53.0" : void 0,
    say: "Cargo.lock"
  },
  // edition 2024 needs Rust 1.85
  { re: /feature `edition2024` is required/, need: () => "1.85.0", say: "edition 2024" }
];
function rustNeedFromLog(log) {
  const needs = [];
  for (const f of LOG_FORMS) {
    const m = f.re.exec(log);
    const v = m ? f.need(m) : void 0;
    const n2 = v ? normalized(v) : void 0;
    if (m && n2) needs.push({ version: n2, because: `${f.say}: ${m[0].slice(0, 160)}` });
  }
  return strictestNeed(...needs);
}
function chooseRust(preset, need) {
  const offers = [...preset.toolchains?.rust ?? []].sort((a2, b) => compareRust(a2.version, b.version));
  if (offers.length === 0) return void 0;
  const newest = offers.at(-1);
  const list = (o2) => o2.packages.join(", ");
  if (!need) {
    return {
      kind: "packages",
      packages: newest.packages,
      version: newest.version,
      note: `no declared minimum; the newest of preset ${preset.name}: ${list(newest)} (Rust ${newest.version})`
    };
  }
  const fit = offers.find((o2) => compareRust(o2.version, need.version) >= 0);
  if (fit) {
    const older = offers.filter((o2) => compareRust(o2.version, need.version) < 0).map((o2) => `${list(o2)} (${o2.version})`);
    return {
      kind: "packages",
      packages: fit.packages,
      version: fit.version,
      note: `needs Rust >= ${need.version} (${need.because}); ${list(fit)} (Rust ${fit.version}) of preset ${preset.name}${older.length > 0 ? `, not ${older.join(", ")}` : ""}`
    };
  }
  return {
    kind: "too-old",
    packages: newest.packages,
    version: newest.version,
    note: `needs Rust >= ${need.version} (${need.because}); the newest of preset ${preset.name} is ${list(newest)} (Rust ${newest.version}): a preset with a newer Rust, or rustup (https://rustup.rs) on a runner that reaches static.rust-lang.org, is needed`
  };
}
function withRustChoice(remedy, inForce, pm, preset, need) {
  const rustHints = inForce.filter((h2) => remedyFor(h2, pm)?.toolchain === "rust");
  if (rustHints.length === 0) return { remedy };
  const rustPackages = new Set(rustHints.flatMap((h2) => remedyFor(h2, pm)?.packages ?? []));
  const choice = chooseRust(preset, need);
  const keep = choice ? choice.packages : remedyFor(rustHints.at(-1), pm)?.packages ?? [];
  const packages = [...remedy.packages.filter((p) => !rustPackages.has(p)), ...keep.filter((p) => !remedy.packages.includes(p) || rustPackages.has(p))];
  const note = choice ? `rust: ${choice.note}` : need ? `rust: needs Rust >= ${need.version} (${need.because}); preset ${preset.name} lists no Rust toolchains, installing ${keep.join(", ")}` : void 0;
  return { remedy: { ...remedy, packages: [...new Set(packages)] }, ...note ? { note } : {} };
}
function get(v, path7) {
  let cur = v;
  for (const k of path7) {
    if (!cur || typeof cur !== "object" || Array.isArray(cur)) return void 0;
    cur = cur[k];
  }
  return cur;
}
function asArray(v) {
  return Array.isArray(v) ? v : [];
}

// src/domain/model/fingerprint.ts
import { createHash as createHash4 } from "node:crypto";
function inputsFingerprint(i2) {
  const canonical = stableJson({ ...i2, hints: [...new Set(i2.hints)].sort() });
  return `sha256:${createHash4("sha256").update(canonical).digest("hex")}`;
}

// src/domain/python/tags.ts
var ARCH = "s390x";
var OLDEST_GLIBC_MINOR = 17;
var LEGACY_MANYLINUX = { "2.17": "manylinux2014" };
function platformTags(policy) {
  const libc = policyLibc(policy);
  const tags = [];
  if (policy !== "linux" && libc.libc === "glibc") {
    for (let minor = libc.minor; minor >= OLDEST_GLIBC_MINOR; minor--) {
      tags.push(`manylinux_${libc.major}_${minor}_${ARCH}`);
      const legacy = LEGACY_MANYLINUX[`${libc.major}.${minor}`];
      if (legacy) tags.push(`${legacy}_${ARCH}`);
    }
  } else if (libc.libc === "musl") {
    for (let minor = libc.minor; minor >= 0; minor--) tags.push(`musllinux_${libc.major}_${minor}_${ARCH}`);
  }
  tags.push(`linux_${ARCH}`);
  return tags;
}
function pythonParts(python) {
  const [major, minor] = python.split(".").map(Number);
  return { major, minor, nodot: `${major}${minor}` };
}
var tagListCache = /* @__PURE__ */ new Map();
function compatibleTags(target) {
  const key = `${target.python}/${target.platform}`;
  const cached = tagListCache.get(key);
  if (cached) return cached;
  const { major, minor, nodot } = pythonParts(target.python);
  const plats = platformTags(target.platform);
  const cp2 = `cp${nodot}`;
  const tags = [];
  const each = (interp, abi) => {
    for (const p of plats) tags.push(`${interp}-${abi}-${p}`);
  };
  each(cp2, cp2);
  each(cp2, "abi3");
  each(cp2, "none");
  for (let m = minor - 1; m >= 2; m--) each(`cp${major}${m}`, "abi3");
  const pyRange = [`py${nodot}`, `py${major}`, ...Array.from({ length: minor }, (_, i2) => `py${major}${minor - 1 - i2}`)];
  for (const py of pyRange) each(py, "none");
  tags.push(`${cp2}-none-any`);
  for (const py of pyRange) tags.push(`${py}-none-any`);
  const frozen = Object.freeze(tags);
  tagListCache.set(key, frozen);
  return frozen;
}
var rankCache = /* @__PURE__ */ new Map();
function tagRanks(target) {
  const key = `${target.python}/${target.platform}`;
  let ranks = rankCache.get(key);
  if (!ranks) {
    const m = /* @__PURE__ */ new Map();
    compatibleTags(target).forEach((t, i2) => {
      if (!m.has(t)) m.set(t, i2);
    });
    ranks = m;
    rankCache.set(key, ranks);
  }
  return ranks;
}
function wheelRank(wheel, target) {
  const ranks = tagRanks(target);
  let best;
  for (const t of wheel.tags) {
    const r = ranks.get(t);
    if (r !== void 0 && (best === void 0 || r < best)) best = r;
  }
  return best;
}
function isPureWheel(tags) {
  return tags.length > 0 && tags.every((t) => t.endsWith("-none-any"));
}
function wheelServes(tags, target) {
  const ranks = tagRanks(target);
  return tags.some((t) => ranks.has(t));
}
function wheelAbi(filename) {
  const { abiTags } = parseWheelFilename(filename);
  if (abiTags.some((a2) => a2.startsWith("cp"))) return "cpython";
  if (abiTags.includes("abi3")) return "abi3";
  return "none";
}
function bestWheel(files, target, opts = {}) {
  const python = opts.pythonFullVersion ?? DEFAULT_PATCH[target.python] ?? `${target.python}.0`;
  const tagList = compatibleTags(target);
  let best;
  for (const file of files) {
    if (!isWheel(file.filename)) continue;
    if (file.yanked !== void 0 && file.yanked !== false && !opts.pinned) continue;
    const rp = file.requiresPython?.trim();
    if (rp && isValidSpecifier(rp) && !satisfies(python, rp)) continue;
    if (!mayRunOnArch(file.filename)) continue;
    let wheel;
    try {
      wheel = parseWheelFilename(file.filename);
    } catch {
      continue;
    }
    const rank = wheelRank(wheel, target);
    if (rank === void 0) continue;
    const candidate = { file, wheel, tag: tagList[rank], rank };
    if (!best || better(candidate, best)) best = candidate;
  }
  return best;
}
function mayRunOnArch(filename) {
  const stem = filename.endsWith(".whl") ? filename.slice(0, -4) : filename;
  const platforms = stem.slice(stem.lastIndexOf("-") + 1).toLowerCase().split(".");
  return platforms.some((p) => p === "any" || p.endsWith(`_${ARCH}`));
}
function better(a2, b) {
  if (a2.rank !== b.rank) return a2.rank < b.rank;
  const an = a2.wheel.build?.number ?? -1;
  const bn = b.wheel.build?.number ?? -1;
  if (an !== bn) return an > bn;
  return (a2.wheel.build?.rest ?? "") > (b.wheel.build?.rest ?? "");
}

// src/domain/package-index/credentials.ts
function urlWithCredentials(ix) {
  if (!ix.auth) return ix.url;
  const u2 = new URL(ix.url);
  if (ix.auth.kind === "basic") {
    u2.username = encodeURIComponent(ix.auth.username);
    u2.password = encodeURIComponent(ix.auth.password);
  } else {
    u2.username = "__token__";
    u2.password = encodeURIComponent(ix.auth.token);
  }
  return u2.toString();
}

// src/stages/builder/pip-config.ts
var slash = (u2) => u2.endsWith("/") ? u2 : `${u2}/`;
function pipIndexConfig(indexes) {
  const [primary, ...extras] = indexes;
  if (!primary) return void 0;
  if (extras.length === 0 && !primary.auth && slash(primary.url) === slash(DEFAULT_PRIMARY_INDEX)) return void 0;
  const lines = ["[global]", `index-url = ${urlWithCredentials(primary)}`];
  if (extras.length > 0) lines.push("extra-index-url =", ...extras.map((e) => `    ${urlWithCredentials(e)}`));
  return `${lines.join("\n")}
`;
}
function uvIndexConfig(indexes) {
  if (!pipIndexConfig(indexes)) return void 0;
  const [primary, ...extras] = indexes;
  const lines = [`index-url = ${JSON.stringify(urlWithCredentials(primary))}`];
  if (extras.length > 0) lines.push(`extra-index-url = [${extras.map((e) => JSON.stringify(urlWithCredentials(e))).join(", ")}]`);
  return `${lines.join("\n")}
`;
}

// src/stages/builder/fetch.ts
import { mkdir as mkdir5 } from "node:fs/promises";
import { basename as basename2, join as join9 } from "node:path";
import { fileURLToPath as fileURLToPath3 } from "node:url";
async function fetchSdist(ref2, destDir, opts = {}) {
  if (basename2(ref2.filename) !== ref2.filename || ref2.filename.startsWith(".")) {
    throw new RefineryError("input", `sdist filename ${JSON.stringify(ref2.filename)} is not a plain file name`, {
      fix: "the plan unit must name the sdist file only"
    });
  }
  await mkdir5(destDir, { recursive: true });
  const dest = join9(destDir, ref2.filename);
  const expected = { sha256: ref2.sha256 };
  const wording = {
    name: ref2.filename,
    source: "the plan",
    fix: "the file changed since it was planned or was corrupted in transit; re-run scan/plan, and report it if it persists"
  };
  if (/^https?:\/\//i.test(ref2.url)) {
    const sha2562 = await downloadVerified(opts.http ?? new HttpClient(), ref2.url, dest, expected, { signal: opts.signal, wording });
    return { path: dest, sha256: sha2562 };
  }
  const src = ref2.url.startsWith("file:") ? fileURLToPath3(ref2.url) : ref2.url;
  try {
    const { sha256: sha2562 } = await copyVerified(src, dest, expected, wording);
    return { path: dest, sha256: sha2562 };
  } catch (e) {
    if (e instanceof RefineryError) throw e;
    throw new RefineryError("input", `cannot read sdist ${src}: ${e.code ?? String(e)}`, { fix: "pass an existing sdist file" });
  }
}

// src/stages/builder/rust-sources.ts
import { readdir as readdir6 } from "node:fs/promises";
import { join as join10, relative as relative5 } from "node:path";
var MAX_FILES = 64;
var MAX_DEPTH = 5;
var MAX_BYTES = 1024 ** 2;
var SKIP_DIRS = /* @__PURE__ */ new Set(["vendor", "target", "tests", "test", "docs", "node_modules", ".git"]);
async function rustSources(srcDir) {
  const out = [];
  const read = async (file) => {
    if (out.length >= MAX_FILES) return;
    const text = await readTextFile(file, { maxBytes: MAX_BYTES }).catch(() => void 0);
    if (text !== void 0) out.push({ path: relative5(srcDir, file), text });
  };
  await read(join10(srcDir, "pyproject.toml"));
  const walk = async (dir, depth) => {
    const entries = await readdir6(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isFile() && e.name === "Cargo.toml") await read(join10(dir, e.name));
    }
    if (depth >= MAX_DEPTH) return;
    for (const e of entries) {
      if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) await walk(join10(dir, e.name), depth + 1);
    }
  };
  await walk(srcDir, 0);
  return out;
}

// src/stages/builder/unit.ts
var DEFAULT_TIMEOUTS = { prepare: 20 * 6e4, build: 150 * 6e4, repair: 15 * 6e4, test: 15 * 6e4 };
async function unitFingerprint(unit, o2, sdistSha256) {
  const recipe = o2.recipe;
  const initial = dedupe([...o2.preset.hints, ...recipe?.hints ?? [], ...unit.hints]);
  const identity3 = await o2.executor.identity(o2.preset);
  const isolation = o2.isolation ?? true;
  return inputsFingerprint({
    sdistSha256,
    image: identity3.fingerprint,
    python: unit.buildPython,
    preset: o2.preset.name,
    hints: [...initial, ...recipe ? [`recipe:${recipe.name}`] : []],
    env: mergeEnv({ ...o2.env ?? {} }, o2.preset.env),
    frontend: `${frontendName(o2)}${isolation ? "" : " --no-build-isolation"}`,
    ...turboFingerprint(turboToolchain(unit, o2)),
    ...o2.preset.repair === "auditwheel" && o2.preset.repairWith ? { repair: `${[...o2.preset.repairWith.pip, ...o2.preset.repairWith.packages].join(" ")} to ${o2.preset.repairWith.platform}` } : {}
  });
}
function uvNote(uv) {
  return uv ? `frontend: uv ${uv.version} (${uv.path}, native x86_64)` : "frontend: uv (from PATH)";
}
function frontendName(o2) {
  const f = o2.frontend ?? "pip";
  const uv = f === "uv" ? o2.executor.uv?.() : void 0;
  return uv ? `uv ${uv.version}` : f;
}
function turboToolchain(unit, o2) {
  const wanted = o2.compiler ?? unit.compiler ?? "turbo";
  return wanted === "turbo" ? o2.executor.turbo?.(o2.preset) : void 0;
}
function predictedOf(unit, inForce) {
  const p = (unit.predictedHints ?? []).filter((h2) => inForce.includes(h2));
  return p.length > 0 ? { hintsPredicted: p } : {};
}
function turboFingerprint(t) {
  return t ? { compiler: `turbo: ${t.fingerprint}` } : {};
}
async function buildUnit(unit, o2) {
  const recipe = o2.recipe;
  if (recipe?.skip) {
    throw new RefineryError("build", `${unit.package} is skipped by its recipe: ${recipe.skip}`, { fix: "remove the recipe skip to try anyway" });
  }
  if (!o2.skipCheck) {
    const problems = await o2.executor.check(o2.preset);
    if (problems.length > 0) throw environmentError(`the ${o2.executor.kind} executor cannot build here`, problems);
  }
  const python = o2.executor.interpreter(o2.preset, unit.buildPython);
  const pm = o2.executor.packageManager(o2.preset);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...o2.timeouts };
  const started = Date.now();
  const deadline = started + (o2.unitTimeoutMs ?? DEFAULT_LIMITS.unitTimeoutMinutes * 6e4);
  const maxAttempts = o2.maxAttempts ?? DEFAULT_LIMITS.maxAttempts;
  const transientRetries = o2.transientRetries ?? 2;
  const backoff = o2.backoff ?? { baseMs: 1e4, maxMs: 12e4 };
  const random = o2.random ?? Math.random;
  const sleep2 = o2.sleep ?? ((ms2, signal) => sleepMs2(ms2, void 0, { signal }).catch(() => void 0));
  const frontend = o2.frontend ?? "pip";
  const isolation = o2.isolation ?? true;
  await mkdir6(o2.outDir, { recursive: true });
  const work = await mkdtemp2(join11(o2.workRoot ?? tmpdir(), `refinery-${unit.id.slice(0, 60)}-`));
  try {
    const fetchStart = Date.now();
    let sdist;
    try {
      if (o2.signal?.aborted) throw o2.signal.reason;
      sdist = await fetchSdist(o2.sdistFile ? { ...unit.sdist, url: o2.sdistFile } : unit.sdist, join11(work, "sdist"), { http: o2.http, signal: o2.signal });
    } catch (e) {
      if (!o2.signal?.aborted) throw e;
      return await cancelledBeforeStart(unit, o2, new Date(fetchStart));
    }
    const fetchMs = Date.now() - fetchStart;
    const linked = await stageFindLinks(o2.findLinks ?? [], join11(work, FIND_LINKS_DIR));
    const pipConf = pipIndexConfig(o2.indexes ?? []);
    if (pipConf) await writeFile3(join11(work, PIP_CONF), pipConf, { mode: 384 });
    const uvConf = frontend === "uv" ? uvIndexConfig(o2.indexes ?? []) : void 0;
    if (uvConf) await writeFile3(join11(work, UV_CONF), uvConf, { mode: 384 });
    const uv = frontend === "uv" ? o2.executor.uv?.() : void 0;
    if (linked > 0) o2.onOutput?.(`[refinery] find-links: ${linked} wheel(s) from earlier builds for build requirements
`);
    const initial = dedupe([...o2.preset.hints, ...recipe?.hints ?? [], ...unit.hints]);
    const applied = [];
    const unknown = [];
    for (const id of initial) {
      const h2 = hintById(o2.catalog, id);
      if (h2) applied.push(h2);
      else unknown.push(id);
    }
    const baseEnv = mergeEnv({ ...o2.passEnv ?? {}, ...o2.env ?? {} }, o2.preset.env);
    const recipeRemedy = recipe ? recipeHint(recipe.remedy) : void 0;
    const identity3 = await o2.executor.identity(o2.preset);
    const fingerprint = await unitFingerprint(unit, o2, sdist.sha256);
    const turbo = turboToolchain(unit, o2);
    let compiler = "emulated";
    let seedProblem;
    const seed = uv && o2.uvSeedsDir && o2.executor.kind === "container" && baseEnv.UV_CACHE_DIR === void 0 ? await ensureUvSeed(
      {
        executor: o2.executor,
        preset: o2.preset,
        python,
        uv,
        seedsDir: o2.uvSeedsDir,
        identity: identity3.fingerprint,
        env: baseEnv,
        ...uvConf ? { uvConf } : {},
        ...o2.signal ? { signal: o2.signal } : {}
      },
      (line) => {
        seedProblem = line;
      }
    ) : void 0;
    const seedNote = seed ? `seeded with ${seed.manifest.packages.join(", ")} and their bytecode (${seed.made ? `made now in ${(seed.ms / 1e3).toFixed(1)} s` : `made ${seed.manifest.createdAt}`}, ${seed.dir})` : seedProblem;
    const attempts = [];
    const logs = [];
    let transientUsed = 0;
    let success;
    let last;
    if (unknown.length > 0) o2.onOutput?.(`[refinery] unknown hint ids ignored: ${unknown.join(", ")}
`);
    let rustNeed;
    for (let n2 = 1; n2 <= maxAttempts; n2++) {
      if (Date.now() >= deadline || o2.signal?.aborted) break;
      const srcRel = `src-${n2}`;
      await extractSafely(sdist.path, join11(work, srcRel));
      const top = await singleTopDir(join11(work, srcRel), unit.sdist.filename);
      if (n2 === 1) rustNeed = rustNeedFromSources(await rustSources(join11(work, srcRel, top)));
      const inForce = [...recipeRemedy ? [recipeRemedy] : [], ...applied];
      const rust = withRustChoice(combineRemedies(inForce, pm), inForce, pm, o2.preset, rustNeed);
      const remedy = rust.remedy;
      compiler = turbo && remedy.compiler !== "emulated" ? "turbo" : "emulated";
      const hintIds = applied.map((h2) => h2.id);
      const logName2 = `${unit.id}.attempt-${n2}.log`;
      o2.onEvent?.({ type: "attempt-start", n: n2, hints: hintIds, log: join11(o2.outDir, logName2) });
      const name = `refinery-${unit.id.slice(0, 80)}-${n2}-${randomBytes5(3).toString("hex")}`;
      const pyo3Config = compiler === "turbo" && turbo?.rust ? turboPyo3Config(unit.buildPython) : void 0;
      const session = await o2.executor.open({
        name,
        hostWorkDir: work,
        preset: o2.preset,
        maxLifetimeMs: Math.max(0, deadline - Date.now()),
        compiler,
        ...uv ? { uv: true } : {}
      });
      if (seed) await copySeed(seed, work, `uv-cache-${n2}`);
      const startedAt = /* @__PURE__ */ new Date();
      let outcome;
      try {
        outcome = await runAttempt({
          n: n2,
          session,
          hostWorkDir: work,
          srcRel: `${srcRel}/${top}`,
          python,
          frontend,
          isolation,
          // The host executor builds for this machine: no auditwheel there, nothing to make manylinux.
          repair: o2.executor.kind === "host" ? "none" : o2.preset.repair,
          ...o2.preset.repairWith && o2.executor.kind !== "host" ? { repairWith: o2.preset.repairWith } : {},
          remedy,
          env: baseEnv,
          timeouts,
          deadline,
          outDir: o2.outDir,
          ...linked > 0 ? { findLinksRel: FIND_LINKS_DIR } : {},
          ...pyo3Config ? { pyo3Config } : {},
          ...pipConf ? { pipConfigRel: PIP_CONF } : {},
          ...uvConf ? { uvConfigRel: UV_CONF } : {},
          ...uv ? { uv: uv.path } : {},
          ...seedNote ? { uvCache: { ...seed ? { rel: `uv-cache-${n2}` } : {}, note: seedNote } } : {},
          logFile: join11(o2.outDir, logName2),
          // Containers: the smoke test gets its own, fresh from the image (host and native
          // executors have no image to start afresh: they test where they built).
          ...o2.executor.kind === "container" ? {
            openFresh: () => o2.executor.open({
              name: `${name}-smoke`,
              hostWorkDir: work,
              preset: o2.preset,
              maxLifetimeMs: Math.max(0, deadline - Date.now()),
              compiler: "emulated"
            })
          } : {},
          classifySmoke: (output) => {
            const m = matchLog(o2.catalog, output, "test").find((x) => x.class === "smoke-test");
            return m ? { hint: m.hint, class: m.class, line: cleanLine(m.line) } : void 0;
          },
          compilerNote: compiler === "turbo" ? `turbo (${turbo.fingerprint}, host-speed compilers mounted at ${turbo.mountPoint})` : turbo ? "emulated (turbo turned off by a hint)" : "emulated",
          ...rust.note || frontend === "uv" ? { notes: [...rust.note ? [rust.note] : [], ...frontend === "uv" ? [uvNote(uv)] : []] } : {},
          ...o2.signal ? { signal: o2.signal } : {},
          ...o2.onEvent ? {
            onHeartbeat: (h2) => o2.onEvent({ type: "heartbeat", n: n2, ...h2, unitElapsedMs: Date.now() - started }),
            heartbeatMs: o2.heartbeatMs ?? 3e4
          } : {}
        });
      } finally {
        await session.close().catch(() => void 0);
      }
      last = outcome;
      logs.push(`===== attempt ${n2} (hints: ${hintIds.join(", ") || "none"}) =====
${outcome.log}`);
      if (o2.onOutput) o2.onOutput(outcome.log);
      if (outcome.wheelPath) o2.onEvent?.({ type: "wheel", path: outcome.wheelPath });
      const cancelled = outcome.killedBy === "cancel";
      if (outcome.status === "failure") rustNeed = strictestNeed(rustNeed, rustNeedFromLog(outcome.log));
      const matches2 = outcome.status === "failure" && !cancelled ? matchLog(o2.catalog, outcome.log, outcome.phase) : [];
      const best = matches2[0];
      const failureClass = outcome.status === "success" || cancelled ? void 0 : outcome.killed ? "timeout" : best?.class;
      const attempt = {
        n: n2,
        startedAt: startedAt.toISOString(),
        finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        status: outcome.status,
        ...outcome.phase ? { phase: outcome.phase } : {},
        ...failureClass ? { failureClass } : {},
        ...best && !outcome.killed ? { matchedHint: best.hint, matchedLine: cleanLine(best.line) } : {},
        hintsApplied: [...recipe ? [`recipe:${recipe.name}`] : [], ...hintIds],
        ...predictedOf(unit, hintIds),
        killed: outcome.killed,
        log: logName2,
        compiler
      };
      const unclassified = outcome.status === "failure" && !cancelled && !outcome.killed && matches2.length === 0;
      if (unclassified) {
        const evidence = errorLines(outcome.log);
        if (evidence.length > 0) attempt.evidence = evidence;
      }
      attempts.push(attempt);
      o2.onEvent?.({ type: "attempt-end", attempt, matches: matches2 });
      if (outcome.status === "success") {
        success = outcome;
        break;
      }
      if (outcome.killed) break;
      if (failureClass === "transient" || failureClass === "qemu-fault") {
        if (transientUsed >= transientRetries) break;
        transientUsed++;
        const delayMs = backoffDelayMs(transientUsed, backoff, random);
        if (Date.now() + delayMs >= deadline) break;
        o2.onEvent?.({ type: "retry-wait", delayMs, reason: `${failureClass} (${best?.hint})` });
        await sleep2(delayMs, o2.signal);
        continue;
      }
      const untried = (h2) => !applied.some((a2) => a2.id === h2.id) && (hasEffect(remedyFor(h2, pm)) || compiler === "turbo" && remedyFor(h2, pm)?.compiler === "emulated");
      const next = matches2.map((m) => hintById(o2.catalog, m.hint)).find(untried) ?? // An unclassified failure is not the end: the catalog's fallback (build tools) gets one try.
      (unclassified ? o2.catalog.hints.find((h2) => h2.fallback && untried(h2)) : void 0);
      if (!next) break;
      applied.push(next);
      o2.onEvent?.({ type: "hint-applied", hint: next.id, class: next.class, forAttempt: n2 + 1 });
    }
    if (attempts.length === 0 && o2.signal?.aborted) return await cancelledBeforeStart(unit, o2, new Date(fetchStart));
    if (attempts.length === 0) {
      throw new RefineryError("build", `${unit.id}: no attempt could start before the unit timeout`, { fix: "raise the unit timeout" });
    }
    const phaseDurationsMs = { fetch: fetchMs, ...last?.phaseDurationsMs ?? {} };
    const logName = `${unit.id}.log`;
    await writeFile3(join11(o2.outDir, logName), logs.join("\n"));
    let wheel;
    if (success?.wheelPath && success.wheelFilename) {
      const st = await stat3(success.wheelPath);
      wheel = {
        filename: success.wheelFilename,
        sha256: await sha256File(success.wheelPath),
        size: st.size,
        tags: parseWheelFilename(success.wheelFilename).tags
      };
      const why = wheelMismatch(wheel.filename, unit.package, unit.version);
      if (why) {
        throw new RefineryError("build", `${unit.id}: the build made ${wheel.filename}, which is not a wheel of ${unit.package} ${unit.version} (${why})`, {
          fix: "the sdist builds another project or version than the requirement names: check the pin, or the sdist (upstream metadata mismatch)"
        });
      }
    }
    const result = BuildResult.parse({
      schema: "refinery/result@1",
      unit: { id: unit.id, package: unit.package, version: unit.version, python: unit.python, targets: servedTargets(unit, wheel) },
      status: success ? "success" : last?.killedBy === "cancel" || o2.signal?.aborted ? "cancelled" : "failure",
      ...wheel ? { wheel } : {},
      ...wheel && success ? { smoke: smokeSummary(success) } : {},
      attempts,
      executor: o2.executor.kind,
      preset: o2.preset.name,
      ...identity3.image ? { image: identity3.image } : {},
      ...identity3.imageDigest ? { imageDigest: identity3.imageDigest } : {},
      compiler,
      ...compiler === "turbo" ? { toolchain: turbo.fingerprint } : {},
      ...o2.runner ? { runner: o2.runner } : {},
      ...o2.runUrl ? { runUrl: o2.runUrl } : {},
      sdist: { filename: unit.sdist.filename, sha256: sdist.sha256 },
      inputsFingerprint: fingerprint,
      phaseDurationsMs,
      log: logName
    });
    await writeJsonAtomic(join11(o2.outDir, `${unit.id}.result.json`), result);
    return result;
  } finally {
    await rm4(join11(work, PIP_CONF), { force: true }).catch(() => void 0);
    await rm4(join11(work, UV_CONF), { force: true }).catch(() => void 0);
    if (!o2.keepWorkDir) await rm4(work, { recursive: true, force: true }).catch(() => void 0);
  }
}
async function cancelledBeforeStart(unit, o2, startedAt) {
  const logName = `${unit.id}.log`;
  await writeFile3(
    join11(o2.outDir, logName),
    `[refinery] cancelled before attempt 1 could run (fetching or unpacking ${unit.sdist.filename}); nothing was built
`
  );
  const result = BuildResult.parse({
    schema: "refinery/result@1",
    unit: { id: unit.id, package: unit.package, version: unit.version, python: unit.python, targets: unit.targets },
    status: "cancelled",
    attempts: [
      {
        n: 1,
        startedAt: startedAt.toISOString(),
        finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        status: "failure",
        phase: "fetch",
        hintsApplied: [],
        killed: true,
        log: logName
      }
    ],
    executor: o2.executor.kind,
    preset: o2.preset.name,
    ...o2.runner ? { runner: o2.runner } : {},
    ...o2.runUrl ? { runUrl: o2.runUrl } : {},
    sdist: { filename: unit.sdist.filename, sha256: unit.sdist.sha256 ?? "" },
    inputsFingerprint: "",
    phaseDurationsMs: { fetch: Date.now() - startedAt.getTime() },
    log: logName
  });
  await writeJsonAtomic(join11(o2.outDir, `${unit.id}.result.json`), result);
  return result;
}
function smokeSummary(o2) {
  const v = o2.verdict;
  const r = o2.smoke;
  const deps = [...new Set(r?.missingDeps.map((d) => d.missing) ?? [])].sort();
  const passed = v?.verdict === "passed" || v?.verdict === "passed-with-runtime-packages";
  return {
    verdict: v?.verdict === "passed" || v?.verdict === "passed-with-runtime-packages" ? v.verdict : "unverified",
    ...v && !passed && "reason" in v ? { reason: v.reason.slice(0, 500) } : !v ? { reason: "no smoke test ran" } : {},
    imported: [...r?.imported ?? [], ...r?.linked ?? []].slice(0, 1e3),
    externalLibraries: (v?.externalLibraries ?? []).filter((l) => LibraryName.safeParse(l).success).slice(0, 200),
    ...deps.length > 0 ? { missingDependencies: deps.slice(0, 200) } : {},
    ...o2.runtimePackages ? { runtimePackages: o2.runtimePackages } : {},
    ...o2.firstFailure ? { firstFailure: o2.firstFailure } : {}
  };
}
var FIND_LINKS_DIR = "find-links";
var PIP_CONF = "pip.conf";
var UV_CONF = "uv.toml";
async function stageFindLinks(dirs, dest) {
  const copied = /* @__PURE__ */ new Set();
  for (const dir of dirs) {
    const names = await readdir7(dir).catch((e) => {
      if (e.code === "ENOENT") return [];
      throw e;
    });
    for (const name of names.filter((n2) => n2.endsWith(".whl") && !copied.has(n2))) {
      if (copied.size === 0) await mkdir6(dest, { recursive: true });
      await copyFile2(join11(dir, name), join11(dest, name));
      copied.add(name);
    }
  }
  return copied.size;
}
function servedTargets(unit, wheel) {
  if (unit.python !== "py3" || !wheel || isPureWheel(wheel.tags)) return unit.targets;
  return unit.targets.filter((t) => t.startsWith(`${cpTag(unit.buildPython)}-`));
}
function hasEffect(f) {
  if (!f) return false;
  return f.packages.length + f.constraints.length + f.preinstall.length + Object.keys(f.env).length + Object.keys(f.configSettings).length > 0 || f.buildIsolation !== void 0 || f.cargoRegistry !== void 0;
}
function recipeHint(remedy) {
  return {
    id: "recipe",
    class: "permanent",
    description: "recipe",
    match: [{ pattern: "(?!)", stage: "any", ignoreCase: false }],
    priority: 0,
    remedy,
    evidence: [],
    fallback: false
  };
}
function cleanLine(line) {
  return line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/[\x00-\x1f\x7f]/g, "").slice(0, 300);
}
function dedupe(ids) {
  return [...new Set(ids)];
}
async function singleTopDir(dir, filename) {
  const entries = await readdir7(dir, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory());
  if (dirs.length !== 1 || entries.length !== 1) {
    throw new RefineryError(
      "input",
      `${filename}: an sdist must contain exactly one top-level directory, found ${entries.map((e) => e.name).join(", ") || "nothing"}`,
      {
        fix: "build from a standard sdist (python -m build --sdist)"
      }
    );
  }
  return dirs[0].name;
}

// src/domain/presets/seeds.ts
import { existsSync as existsSync2 } from "node:fs";
import { dirname as dirname3, join as join12 } from "node:path";
import { fileURLToPath as fileURLToPath4 } from "node:url";
function seedsDir(from = import.meta.url) {
  let dir = dirname3(fileURLToPath4(from));
  for (let i2 = 0; i2 < 6; i2++) {
    if (existsSync2(join12(dir, "seeds", "presets.yml"))) return join12(dir, "seeds");
    const up = dirname3(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error("refinery: shipped seeds/ directory not found next to the installed package");
}

// src/domain/recipes/load.ts
var import_yaml4 = __toESM(require_dist(), 1);
import { readdir as readdir8, readFile as readFile7 } from "node:fs/promises";
import { join as join13 } from "node:path";
var Recipe = external_exports.strictObject({
  name: external_exports.string().min(1),
  description: external_exports.string().default(""),
  /** Known system deps, env, settings: applied from the first attempt (same shape as a hint remedy). */
  remedy: Remedy.default({}),
  /** Hint ids applied from the first attempt. */
  hints: external_exports.array(external_exports.string()).default([]),
  /** Preset the plan should pick for this package when the config does not say. */
  preferredPreset: external_exports.string().optional(),
  /** When set, the package is not built and this is why (the plan records it). */
  skip: external_exports.string().min(1).optional(),
  /** Versions the recipe is for (PEP 440 specifier); all when absent. */
  versions: external_exports.string().optional()
});
function parseRecipe(text, file) {
  const doc = (0, import_yaml4.parseDocument)(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new RefineryError("config", `not valid YAML: ${doc.errors[0].message.split("\n")[0]}`, { location: { file } });
  const parsed = Recipe.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RefineryError("config", `invalid recipe: ${issue.message}`, {
      location: { file, field: issue.path.map(String).join(".") || "(top level)" },
      fix: 'see docs/build.md, "Recipes"'
    });
  }
  return parsed.data;
}
async function loadRecipes(dir) {
  let names;
  try {
    names = (await readdir8(dir)).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml")).sort();
  } catch (e) {
    if (e.code === "ENOENT") return /* @__PURE__ */ new Map();
    throw e;
  }
  const out = /* @__PURE__ */ new Map();
  for (const f of names) {
    const file = join13(dir, f);
    const r = parseRecipe(await readFile7(file, "utf8"), file);
    out.set(normalizeName(r.name), r);
  }
  return out;
}
function recipeFor(recipes, pkg) {
  return recipes?.get(normalizeName(pkg));
}

// src/domain/recipes/build-info.ts
function buildInfo(recipes, name, version, defaultPreset) {
  const found = recipeFor(recipes, name);
  const recipe = found && (!found.versions || satisfies(version, found.versions)) ? found : void 0;
  return {
    ...recipe ? { recipe } : {},
    preset: recipe?.preferredPreset ?? defaultPreset,
    hints: recipe?.hints ?? [],
    ...recipe?.skip ? { skip: recipe.skip } : {}
  };
}

// src/stages/plan/from-state.ts
import { join as join14 } from "node:path";

// src/stages/plan/deps.ts
var DEFAULT_PRESET_SUCCESSION = ["manylinux2014", "manylinux_2_28", "manylinux_2_34"];
function planDepsFromState(state, recipe, now) {
  const due = new Set(dueQueueEntries(state, now).map((q) => `${q.package}\0${q.version}`));
  return {
    recipe,
    // A hint learned from turbo-incompatible failures only says "not turbo for that version": it
    // becomes the unit's compiler (turboIncompatible), not a hint for every later version.
    learnedHints: (name) => learnedHints(state, name).filter((h2) => h2.evidence.some((e) => e.failureClass !== "turbo-incompatible")).map((h2) => h2.hint),
    turboIncompatible(name, version) {
      for (const h2 of learnedHints(state, name)) {
        const e = h2.evidence.find((x) => x.failureClass === "turbo-incompatible" && x.version === version);
        if (e) return `turbo compilers failed for ${version} (hint ${h2.hint}, run ${e.run}) and the emulated retry built it: compiling emulated`;
      }
      return void 0;
    },
    lastFailure(name, version) {
      const failing = knownFailing(state, name, version).sort((a2, b) => byCodePoint(a2.at, b.at)).at(-1);
      if (!failing) return void 0;
      return {
        failureClass: failing.failureClass ?? "permanent",
        preset: failing.preset,
        hints: failing.hintsApplied,
        permanent: failing.retry !== "queued"
      };
    },
    queued(name, version) {
      const entry = state.packages.get(name)?.queue.find((q) => q.version === version && q.status === "waiting");
      if (!entry) return void 0;
      return { due: due.has(`${name}\0${version}`), nextAt: entry.nextEligibleAt };
    },
    durationEstimate: (name, version, like) => durationEvidence(state, name, version, {
      preset: like.preset,
      compiler: like.compiler,
      // A native runner may build in a container or directly; QEMU builds run in a container.
      executors: like.executor === "native" ? ["native", "container"] : ["container"]
    }),
    presetSuccession: DEFAULT_PRESET_SUCCESSION,
    now
  };
}

// src/stages/plan/from-state.ts
function refuseUnservedPythons(presets, pythons) {
  const have = [...new Set([...presets.values()].flatMap((p) => Object.keys(p.python)))].sort(versionCompare);
  const unserved = [...new Set(pythons)].filter((v) => !have.includes(v)).sort(versionCompare);
  if (unserved.length === 0) return;
  throw new RefineryError("config", `no preset has CPython ${unserved.join(", ")}: the presets have CPython ${have.join(", ")}`, {
    location: { field: "targets.python" },
    fix: `target one of ${have.join(", ")} (--python), or define a preset with an interpreter for ${unserved.join(", ")} under presets:`
  });
}
function satisfiedBy(p) {
  if (!p) return [];
  return [...p.hints, ...p.compilers?.cxx ? ["cxx-compiler"] : [], ...p.compilers?.cc ? ["c-compiler"] : []];
}
async function configPresets(config) {
  return withUserPresets(await loadPresets(join14(seedsDir(), "presets.yml")), config.presets, "refinery.yml");
}
async function planFromState(inventory, config, o2) {
  const state = o2.state ?? await loadState(o2.stateDir);
  const buildable = (p) => p.status === "needs-build" || p.status === "built" || p.status === "known-failing";
  const mayBuild = inventory.packages.some(buildable);
  const recipes = o2.recipes ?? (mayBuild ? await loadRecipes(join14(seedsDir(), "recipes")) : /* @__PURE__ */ new Map());
  const presets = o2.presets ?? (mayBuild ? await configPresets(config) : /* @__PURE__ */ new Map());
  if (mayBuild)
    refuseUnservedPythons(
      presets,
      inventory.packages.filter(buildable).map((p) => p.python)
    );
  const fromState = planDepsFromState(
    state,
    (name, version) => {
      const info = buildInfo(recipes, name, version, effectivePreset(config));
      if (!info.recipe) return void 0;
      return { preset: info.preset, hints: info.hints, ...info.skip ? { skip: info.skip } : {} };
    },
    o2.now ?? /* @__PURE__ */ new Date()
  );
  const result = plan(inventory, config, {
    ...fromState,
    turboApplies: (name) => presets.get(name)?.turbo === true,
    presetSatisfies: (name) => satisfiedBy(presets.get(name))
  });
  if (result.matrix.include.length === 0) return result;
  for (const u2 of result.matrix.include) {
    if (!presets.has(u2.preset)) {
      const fromRecipe = recipeFor(recipes, u2.package)?.preferredPreset === u2.preset;
      throw new RefineryError("config", `unit ${u2.id} asks for preset '${u2.preset}', which is neither shipped nor defined in presets`, {
        location: fromRecipe ? { field: `recipe ${u2.package}: preferredPreset` } : { field: "preset" },
        fix: `use one of: ${[...presets.keys()].sort().join(", ")}; or define it under presets:`
      });
    }
    const pythons = Object.keys(presets.get(u2.preset).python);
    if (!pythons.includes(u2.buildPython)) {
      const serving = [...presets].filter(([, p]) => u2.buildPython in p.python).map(([name]) => name);
      throw new RefineryError(
        "config",
        `unit ${u2.id} builds with CPython ${u2.buildPython}, and preset '${u2.preset}' has no interpreter for it (it has ${pythons.join(", ") || "none"})`,
        {
          location: { field: "targets.python" },
          fix: serving.length > 0 ? `target a Python the preset has, or pick a preset that has ${u2.buildPython}: ${serving.sort().join(", ")}` : `no preset has CPython ${u2.buildPython}: target one of ${pythons.join(", ")}, or define a preset with it under presets:`
        }
      );
    }
  }
  return result;
}

// src/domain/package-index/client.ts
import { mkdtemp as mkdtemp3, rm as rm5 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join16 } from "node:path";

// src/adapters/http-cache.ts
import { readFileSync as readFileSync5, rmSync } from "node:fs";
import { join as join15 } from "node:path";

// src/adapters/page-pack.ts
import { readFileSync as readFileSync4 } from "node:fs";
var MAGIC = "refinery-pack 2 ";
var PagePack = class _PagePack {
  constructor(index) {
    this.index = index;
  }
  index;
  get size() {
    return this.index.size;
  }
  /** Every key with its entry. */
  entries() {
    return this.index.entries();
  }
  /** The entry stored under `key`, or undefined. */
  get(key) {
    return this.index.get(key);
  }
  /** The pack at `path`; null when there is none, it is damaged, or another layout. */
  static load(path7) {
    let raw;
    try {
      raw = readFileSync4(path7);
    } catch {
      return null;
    }
    try {
      const newline = raw.indexOf(10);
      const head = raw.toString("latin1", 0, Math.max(newline, 0));
      if (newline < 0 || !head.startsWith(MAGIC)) return null;
      const [indexBytes, hash] = head.slice(MAGIC.length).split(" ");
      const body = raw.subarray(newline + 1);
      if (sha256(body) !== hash) return null;
      const indexEnd = Number(indexBytes);
      const spans = JSON.parse(body.toString("utf8", 0, indexEnd));
      const data = body.subarray(indexEnd);
      const index = /* @__PURE__ */ new Map();
      for (const key in spans) {
        const span = spans[key];
        if (!Array.isArray(span) || !Number.isInteger(span[0]) || !Number.isInteger(span[1]) || span[0] < 0 || span[0] + span[1] > data.length) return null;
        index.set(key, { meta: span[2], data: data.subarray(span[0], span[0] + span[1]) });
      }
      return new _PagePack(index);
    } catch {
      return null;
    }
  }
  /** Write `entries` as the pack at `path` (atomically; best effort like every cache write). */
  static write(path7, entries) {
    const spans = {};
    const datas = [];
    let at = 0;
    for (const [key, { meta, data }] of entries) {
      spans[key] = [at, data.length, meta];
      datas.push(data);
      at += data.length;
    }
    const index = Buffer.from(JSON.stringify(spans));
    const body = Buffer.concat([index, ...datas]);
    try {
      writeCacheFileSync(path7, Buffer.concat([Buffer.from(`${MAGIC}${index.length} ${sha256(body)}
`), body]));
    } catch {
    }
  }
};

// src/adapters/http-cache.ts
function entryMetaOf(v) {
  const m = v;
  const optionalString = (k) => m[k] === void 0 || typeof m[k] === "string";
  const body = m?.body;
  const ok = typeof m === "object" && m !== null && m.version === 2 && typeof m.url === "string" && typeof m.fetchedAt === "number" && (m.maxAgeSeconds === void 0 || typeof m.maxAgeSeconds === "number" && m.maxAgeSeconds >= 0) && optionalString("contentType") && optionalString("etag") && optionalString("lastModified") && optionalString("derived") && (body === void 0 ? typeof m.derived === "string" : Number.isInteger(body.size) && typeof body.sha256 === "string" && SHA256.test(body.sha256));
  if (!ok) throw new Error("malformed cache entry meta");
  return m;
}
var SHA256 = /^[0-9a-f]{64}$/;
var PACK_KEEP_DAYS = 30;
function packEntry(meta, encoded) {
  return { meta: { ...meta, head: encoded.head }, data: encoded.data };
}
function entryBytes(meta, content) {
  return Buffer.concat([Buffer.from(`${JSON.stringify(meta)}
`), content]);
}
function entryKey(url, headers) {
  return `${url}
${headers.accept ?? headers.Accept ?? ""}`;
}
var HttpCache = class {
  constructor(dir, http, options = {}) {
    this.dir = dir;
    this.http = http;
    this.now = options.now ?? Date.now;
    this.blobs = new BlobCache(dir, http);
  }
  dir;
  http;
  now;
  /** The previous scan's entries in one file (undefined: not read yet; null: none). */
  pack;
  /** Derived entries served or stored by this cache, for the next pack. */
  used = /* @__PURE__ */ new Map();
  packStale = false;
  /** Metadata files and distributions, by sha256 (the methods below hand over to it). */
  blobs;
  /**
   * GET a page through the cache. `headers` take part in the key (an Accept header changes what
   * the server answers). Only 200 answers are stored; other statuses pass through.
   */
  async get(url, headers = {}) {
    const key = entryKey(url, headers);
    const raw = this.readEntryFile(key);
    const stored = raw && this.parseEntry(raw);
    if (raw && !stored) rmSync(this.entryPath(key), { force: true });
    const got = await this.revalidate(url, headers, stored || void 0);
    if (got.kind === "network") {
      const res = got.res;
      const answer = {
        status: res.status,
        url: res.url,
        contentType: res.headers.get("content-type") ?? void 0,
        body: res.body,
        source: "network"
      };
      const meta2 = res.status === 200 ? this.metaFor(res) : void 0;
      if (meta2) this.writeEntry(key, entryBytes({ ...meta2, body: { size: res.body.length, sha256: sha256(res.body) } }, res.body));
      return answer;
    }
    const { meta, body } = got.stored;
    if (got.kind === "revalidated") this.writeEntry(key, entryBytes(got.meta, body));
    return { status: 200, url: meta.url, contentType: meta.contentType, body, source: got.kind };
  }
  /**
   * GET a page and return what `derive` makes of it, storing that instead of the body: a later
   * fresh or revalidated hit answers without reading or parsing the page again. An entry with
   * another derivation id (the parser changed) is a miss, fetched without validators; one that does
   * not decode is dropped and fetched likewise. An answer that `derive.fn` rejects (throws) is not
   * stored.
   */
  async getDerived(url, headers, derive) {
    const key = entryKey(url, headers);
    const packed = this.packed(key);
    let stored = packed && this.unpack(packed, derive);
    if (!stored) {
      const raw = this.readEntryFile(key);
      stored = raw && this.parseEntry(raw);
    }
    const got = await this.revalidate(url, headers, stored || void 0);
    if (got.kind === "network") {
      const res = got.res;
      if (res.status !== 200) return { status: res.status, url: res.url, source: "network" };
      const answer = { status: 200, url: res.url, contentType: res.headers.get("content-type") ?? void 0, body: res.body };
      const derived2 = derive.fn(answer);
      const meta = this.metaFor(res);
      if (meta) this.keep(key, packEntry({ ...meta, derived: derive.id }, derive.encode(derived2)));
      return { status: 200, url: res.url, source: "network", derived: derived2 };
    }
    const entry = got.stored;
    const derived = entry.derived ?? derive.fn({ status: 200, url: entry.meta.url, contentType: entry.meta.contentType, body: entry.body });
    if (got.kind === "revalidated" || entry.derived === void 0) {
      const { body: _body, head: _head, ...meta } = got.meta;
      this.keep(key, packEntry({ ...meta, derived: derive.id }, derive.encode(derived)));
    } else this.keep(key, packed, true);
    return { status: 200, url: entry.meta.url, source: got.kind, derived };
  }
  /**
   * The derivation of a page whose packed entry is fresh, at once (no request, no wait); undefined
   * otherwise, and then getDerived fetches or revalidates. A warm scan asks a thousand of these:
   * answering synchronously spares each a chain of promise hops (`npm run bench:scan`).
   */
  freshDerived(url, headers, derive) {
    const key = entryKey(url, headers);
    const packed = this.packed(key);
    const stored = packed && this.unpack(packed, derive);
    if (!stored || !this.isFresh(stored.meta)) return void 0;
    this.http.noteCacheHit(url);
    this.keep(key, packed, true);
    return stored.derived;
  }
  /** A derived entry: served or stored by this cache, else from the previous scans' pack. */
  packed(key) {
    return this.used.get(key) ?? this.loadPack()?.get(key);
  }
  isFresh(meta) {
    return meta.maxAgeSeconds !== void 0 && this.now() - meta.fetchedAt < meta.maxAgeSeconds * 1e3;
  }
  /**
   * Write the derived entries this cache served or stored into the pack, one file the next scan
   * reads instead of one per project. Entries other scans of this cache packed stay, unless they
   * are older than PACK_KEEP_DAYS. Nothing is written when every entry came from the pack
   * unchanged. Derived entries are only kept this way: call it once a scan is done (also when it
   * failed), or its pages are fetched again next time.
   */
  savePack() {
    if (!this.packStale) return;
    const merged = new Map(this.used);
    const oldest = this.now() - PACK_KEEP_DAYS * 864e5;
    for (const [key, entry] of this.loadPack()?.entries() ?? []) {
      const fetchedAt = entry.meta?.fetchedAt;
      if (!merged.has(key) && typeof fetchedAt === "number" && fetchedAt >= oldest) merged.set(key, entry);
    }
    PagePack.write(join15(this.dir, "pages.pack"), merged);
    this.packStale = false;
  }
  loadPack() {
    if (this.pack === void 0) this.pack = PagePack.load(join15(this.dir, "pages.pack"));
    return this.pack;
  }
  /** Remember an entry for the pack; one that did not come from the pack unchanged makes it stale. */
  keep(key, entry, fromPack = false) {
    this.used.set(key, entry);
    if (!fromPack) this.packStale = true;
  }
  /** Fresh entries answer alone; stale ones are revalidated; misses go to the network. */
  async revalidate(url, headers, stored) {
    const meta = stored?.meta;
    if (stored && this.isFresh(meta)) {
      this.http.noteCacheHit(url);
      return { kind: "fresh", stored, meta };
    }
    const conditional = {};
    if (meta?.etag) conditional["if-none-match"] = meta.etag;
    if (meta?.lastModified) conditional["if-modified-since"] = meta.lastModified;
    const res = await this.http.get(url, { headers: { ...headers, ...conditional } });
    if (res.status === 304 && stored) {
      this.http.noteCacheHit(url);
      const maxAge = maxAgeOf(res.headers.get("cache-control")) ?? meta.maxAgeSeconds;
      const renewed = { ...meta, fetchedAt: this.now(), maxAgeSeconds: maxAge };
      if (maxAge === void 0) delete renewed.maxAgeSeconds;
      return { kind: "revalidated", stored, meta: renewed };
    }
    return { kind: "network", res };
  }
  /** A small content-addressed file (a PEP 658 metadata file); see BlobCache.getImmutable. */
  getImmutable(url, sha256Hex2) {
    return this.blobs.getImmutable(url, sha256Hex2);
  }
  /** A verified copy of a distribution; see BlobCache.fetchBlob. */
  fetchBlob(url, sha256Hex2, size) {
    return this.blobs.fetchBlob(url, sha256Hex2, size);
  }
  blobPath(sha256Hex2) {
    return this.blobs.blobPath(sha256Hex2);
  }
  /**
   * One flat folder of page entries: a first scan creates a thousand of them, and fanning them out
   * over 256 sub-folders cost 256 mkdirs on top (ext4 and the like index large folders anyway).
   */
  entryPath(key) {
    return join15(this.dir, "pages", `${sha256(key)}.entry`);
  }
  readEntryFile(key) {
    try {
      return readFileSync5(this.entryPath(key));
    } catch {
      return void 0;
    }
  }
  /**
   * An entry file: the meta line, then the body. Undefined when damaged (the body must match the
   * size and sha256 on the meta line) or not a body entry.
   */
  parseEntry(raw) {
    try {
      const newline = raw.indexOf(10);
      if (newline < 0) return void 0;
      const meta = entryMetaOf(JSON.parse(raw.toString("utf8", 0, newline)));
      const rest = raw.subarray(newline + 1);
      if (!meta.body || rest.length !== meta.body.size || sha256(rest) !== meta.body.sha256) return void 0;
      return { meta, body: rest };
    } catch {
      return void 0;
    }
  }
  /** A packed entry as `derive`'s value; undefined when another derivation's, or damaged. */
  unpack(entry, derive) {
    try {
      const meta = entryMetaOf(entry.meta);
      if (meta.derived !== derive.id) return void 0;
      const value = derive.decode(meta.head, entry.data);
      return value === void 0 ? void 0 : { meta, derived: value };
    } catch {
      return void 0;
    }
  }
  /** Metadata to store a 200 answer under, or undefined when the server forbids storing it. */
  metaFor(res) {
    const cacheControl = res.headers.get("cache-control") ?? "";
    if (/\bno-store\b/i.test(cacheControl)) return void 0;
    const maxAge = /\bno-cache\b/i.test(cacheControl) ? 0 : maxAgeOf(cacheControl);
    const meta = { version: 2, url: res.url, fetchedAt: this.now() };
    const contentType = res.headers.get("content-type");
    if (contentType) meta.contentType = contentType;
    const etag = res.headers.get("etag");
    if (etag) meta.etag = etag;
    const lastModified = res.headers.get("last-modified");
    if (lastModified) meta.lastModified = lastModified;
    if (maxAge !== void 0) meta.maxAgeSeconds = maxAge;
    return meta;
  }
  /**
   * One synchronous write per entry (see the header comment). Best effort: a cache that cannot be
   * written (full disk, read-only folder) costs speed, not correctness.
   */
  writeEntry(key, bytes) {
    try {
      writeCacheFileSync(this.entryPath(key), bytes);
    } catch {
    }
  }
};
function maxAgeOf(cacheControl) {
  const m = cacheControl ? /(?:^|[,\s])max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl) : null;
  return m ? Number(m[1]) : void 0;
}

// src/domain/package-index/links.ts
function indexError(pageUrl, what) {
  return new RefineryError("index", `${redactUrl(pageUrl)}: ${what}`, {
    fix: "the index served a broken page; check the index URL, or report it to the index operator"
  });
}
function resolveLink(href, pageUrl, where) {
  let u2;
  try {
    u2 = new URL(href, pageUrl);
  } catch {
    throw indexError(String(pageUrl), `${where}: ${JSON.stringify(href)} is not a valid URL`);
  }
  if (u2.hash) u2.hash = "";
  if (u2.username) u2.username = "";
  if (u2.password) u2.password = "";
  return u2.href;
}
function fragmentHashes(href) {
  const hash = href.includes("#") ? href.slice(href.indexOf("#") + 1) : "";
  const m = /^([A-Za-z0-9_]+)=([0-9A-Fa-f]+)$/.exec(hash);
  return m ? { [m[1].toLowerCase()]: m[2].toLowerCase() } : {};
}
function urlFilename(url) {
  const path7 = new URL(url).pathname;
  const last = path7.slice(path7.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

// node_modules/entities/dist/decode-codepoint.js
var c1 = [
  8364,
  0,
  8218,
  402,
  8222,
  8230,
  8224,
  8225,
  710,
  8240,
  352,
  8249,
  338,
  0,
  381,
  0,
  0,
  8216,
  8217,
  8220,
  8221,
  8226,
  8211,
  8212,
  732,
  8482,
  353,
  8250,
  339,
  0,
  382,
  376
];
function isInvalidCodePoint(codePoint) {
  return codePoint === 0 || codePoint >= 55296 && codePoint <= 57343 || codePoint > 1114111;
}
function replaceCodePoint(codePoint) {
  if (isInvalidCodePoint(codePoint)) {
    return 65533;
  }
  if (codePoint >= 128 && codePoint <= 159) {
    return c1[codePoint - 128] || codePoint;
  }
  return codePoint;
}
function replaceCodePointXML(codePoint) {
  return isInvalidCodePoint(codePoint) ? 65533 : codePoint;
}

// node_modules/entities/dist/internal/decode-shared.js
var BASE91_INVERSE = /* @__PURE__ */ (() => {
  const table = new Uint8Array(127);
  let code = 0;
  for (let char = 33; char <= 126; char++) {
    if (char !== 34 && char !== 36 && char !== 92) {
      table[char] = code++;
    }
  }
  return table;
})();
function decodeTrieDict(input, resultLength, atomCount, dict1AtomCount, ngramCount, dictSize) {
  const base = 91;
  const inputLength = input.length;
  const twoCharBias = dictSize * (base - 1);
  let pos = 0;
  const readSlotCode = () => {
    const c12 = BASE91_INVERSE[input.charCodeAt(pos++)];
    return c12 < dictSize ? c12 : c12 * base - twoCharBias + BASE91_INVERSE[input.charCodeAt(pos++)];
  };
  const dict2AtomCount = atomCount - dict1AtomCount;
  const slotCount = atomCount + ngramCount;
  const single = new Int32Array(slotCount);
  single.fill(-1, dict1AtomCount, dictSize);
  single.fill(-1, dictSize + dict2AtomCount, slotCount);
  const start = new Int32Array(slotCount);
  const length = new Int32Array(slotCount);
  function decodeDelta(count2, off) {
    let previous = 0;
    let slot = off;
    const end = off + count2;
    while (slot < end) {
      const code = BASE91_INVERSE[input.charCodeAt(pos++)];
      if (code < 89) {
        previous += code;
        single[slot++] = previous;
      } else if (code === 89) {
        let runLength = BASE91_INVERSE[input.charCodeAt(pos++)] + 2;
        while (runLength--)
          single[slot++] = ++previous;
      } else {
        const next = BASE91_INVERSE[input.charCodeAt(pos++)];
        previous += 89 + // eslint-disable-next-line unicorn/prefer-minimal-ternary -- branches read a different number of side-effecting input bytes
        (next < 90 ? next * base + BASE91_INVERSE[input.charCodeAt(pos++)] : BASE91_INVERSE[input.charCodeAt(pos++)] * 8281 + BASE91_INVERSE[input.charCodeAt(pos++)] * base + BASE91_INVERSE[input.charCodeAt(pos++)]);
        single[slot++] = previous;
      }
    }
  }
  decodeDelta(dict1AtomCount, 0);
  decodeDelta(dict2AtomCount, dictSize);
  const references = new Int32Array(ngramCount * 2);
  let poolSize = 0;
  let ngramIndex = 0;
  function readNgramReferences(count2, startSlot) {
    for (let index = 0; index < count2; index++) {
      const slot = startSlot + index;
      const a2 = readSlotCode();
      const b = readSlotCode();
      references[ngramIndex * 2] = a2;
      references[ngramIndex * 2 + 1] = b;
      ngramIndex += 1;
      start[slot] = poolSize;
      const entryLength = (single[a2] < 0 ? length[a2] : 1) + (single[b] < 0 ? length[b] : 1);
      length[slot] = entryLength;
      poolSize += entryLength;
    }
  }
  readNgramReferences(ngramCount - dictSize + dict1AtomCount, dictSize + dict2AtomCount);
  readNgramReferences(dictSize - dict1AtomCount, dict1AtomCount);
  const pool = new Uint16Array(poolSize);
  let write = 0;
  for (let index = 0; index < ngramIndex; index++) {
    for (let half = 0; half < 2; half++) {
      const source = references[index * 2 + half];
      const value = single[source];
      if (value < 0) {
        let read = start[source];
        const readEnd = read + length[source];
        while (read < readEnd)
          pool[write++] = pool[read++];
      } else {
        pool[write++] = value;
      }
    }
  }
  const out = new Uint16Array(resultLength);
  let outIndex = 0;
  while (pos < inputLength) {
    let slot = BASE91_INVERSE[input.charCodeAt(pos++)];
    if (slot >= dictSize) {
      slot = slot * base - twoCharBias + BASE91_INVERSE[input.charCodeAt(pos++)];
    }
    const value = single[slot];
    if (value < 0) {
      let read = start[slot];
      const readEnd = read + length[slot];
      while (read < readEnd)
        out[outIndex++] = pool[read++];
    } else {
      out[outIndex++] = value;
    }
  }
  return out;
}

// node_modules/entities/dist/generated/decode-data-html.js
var htmlDecodeTree = /* @__PURE__ */ decodeTrieDict("!}.&u%}'&}*'~!6*)%&,~!J~!J~%L~y<~!R,~~%Lu~~#GD~~#|)1#%}^%}2%+#.##%##%}&%##%'#%##&%#%#'%#&#%#&#'#%%#&#%##%#)%''%&%#%#'%#%%#%%}%%%#%#&(23#%%#&-%0%('1#(##%#'##+%'*.:1}#%#6-+(%'%%#%%%}#L'2351&('%}&/N'(0(/*-%(%%}#'+&T%7.2}#&%&#%#36/5##%&%%#&#%%#))2%%##%&&'0~!#*+&'%1~!%).'3q?&%'1~!.##%6(~!+%%%(Gw'rT~!E#<nA%#jZ~!H%(~!42##~!*31&~!G%U~#)5~#`3~!J~!Z~%]~%Y~%C~!q~!u~#kz~%#~!6'~!D~!U~!?~#T~!c%~!G#'~%7|~!G~!J~!G&~#pb~(Df}#%}*&}#%##%##%##&#-}&'#'&%#.++}%mI,#,@&(}*%}*'%&##&#%##%}&0}#.},U},%}+%}&%}#%##&}B%(}(%}+%)})%##%#&}&%##%&}<%}>%#%&}*%}(%}9%}/%})%}*%}*%}?&}&%}3%}&*#%})%#%#)}#&#-#+*%E%%'%'#%}#*V##&##I}#&&##%&%#&&Qf%%))w/0+&%#(#.%-''''++++7}>%4'',##1,#%#&%##&#'##&#*#9)%&%}#*}%,#+P(%A&%#'&##wSD',9E00#y#@}(+}&%&>~!#~!X}#*}(&&}(&}(,%}%&#+&}#&}I%#%}%)#(},'%#*}4%%#%}(''}#/##(##),%-##%%)#&}(.}&%#&}%%}*&#%},&&}&%}#%*'#%})%}D&}&%}-&}6&#&}-,%}#%})-(~+`~,=?~I9'9%~!,#%})%})%}@%}?%}(~!?~#<~#pP~#BG~#=1#%K+~#?#~%;)~#A~#mF1~#A'~'X%'~#lR~#N~'N~#r~#m#-~#i'?%#'%~#B%##%,%#~#_%#0%~#]732~,w~2+#:&#%&'0%&>%}#>##F+)#%&&#(+_}4&}-%}(&}@&}O7Fdf0@+/v4}&WU##&/0#&'('B#%}.%}'+#%}#%%&#&%#%##+#&#)#6#'#.},%}c%},%#%##%&#&%#&~#>'*-.%##%##%}#%%}%'~#)D1}#%*&~#_%%'(~#S2%'.}#~#=##*'*-%}&'%'##&&~'E%.#&~#M4}%%##&'%#~#O1##%&#'+~#<B%##%%'%+~#;#@%}#&%#&&%#(~#H1}'%'##&&~#?A}&'~#D#%32}'&&&&~#[}'(#%}'~#;C})&}%%#%~#=&%,3}%'(#%%~#^'#&&)#%'~#Y%-~#d-%'~#^%%&#&&&}#~#b~2t*&'~&(~&@~0%~e~3}%*''0})&}+~!9##-}#%-hD*)1fC#%/&/fB#40~!+#)*4~!+~!K'&:~!/*7~!.#~!H~!L':~%x&~!H#~!*~%1~!I#~!+A~#p'~!F~~#-#~,,(~.Z~!V~%;'B'mq-W~!N~%I%#&&#&}#%},%%}'%}+X#%}#&}(%}'%}<%}#%}%%'}'%}:~![)9@~%>~#UA%-%##&~!C%~!-.9:~!1~!-^2/:a~!y,D*J#-5)/4~%23,~#G~!L1~!0X3`~!2+~!!0-~&E~!W~!o,>Y&]~%cZx_&~#O*9#A#'#+I'%#)~!0B*-5A+-((F&*M#)(-7-5+'-3a5Vi~!Y~!?+[)%3),ERHm~!+:D,VG.+)?fB%%*(%)'(#&80%1'8`K8?`+'Z#&O&'H5#*9)A%%5&3))0%39+.*7#()&&*=4@**L)<'_&*+..;(#*+)./&0#3)%')-8(4ixD(&.}%,('aI:,)%,k2231T)I'#/-W7,/'Q#.'Y24+h')37</31&83##&0#),H(?'&?/1##%#&&#%''-%&&&#(&''&#.-'%#%%(,')*'&#&#'##%(%(#%('#&##%%%%('%#%#%%#%#&%##h>w+v<ayvyvcg.uuhKr}g/v|g>u9i[~>g5uI~=RvdwEg;v/g;uk!!TTSx]@RT!U!#!@VBRUU!'UTe-d0c`e&gSdicedFcrdTaqb.kYcAohdYd@a3e+d}dMdtd.aJ#bqcK`dle/e.e'dwdPdodddjbEb}ogd^ofdpduc6j?l%d{drdqc)d7bacOdQ%T#Y)X.sR[yH>6Vyv3[xwLu>vo'!*.[yBacahoj>6Rew3[xqdZa#!a&#^(X-[yG>6Vyu3[xvg3sEr|g.u/Ri9db0T#^(Xa)!-[y;>6Vylg4wKs{JwNZt3@3r=c4Z([xlg;wKt!cpq's@v7A'*a(a+!-a#[y<3Dt?3Dt'>6Vym3[xmg9rxsNJwLZt4~?r?db1T#`-!(Xa,!0[yS>6Vz%NuQs.g4wKtnJwNZtS@3r>c4Z([y%g;wKtrdga8!a(!#&T*Y-Xa#!a0<or[yc3Dtq>6Vz43[y3JwNZtf@3s!Ju}!%Dti:pm3c_%X#tjB5pkd6q!r]u?voC'*-a.a2!0a&a+[yI3DtI3Ds~3DtH>6Vyw3[xx;:s#~<5pKJwNZtE@3r~d`a)!a2T#a.(!+U.X1[yT3Dt`3Dtv>6Vz&3[y&g9rxwzcxstPu.<rAJwLZtT~?r@dZa%!a.&^*Za(/Reu[ya>6Vz23[y1g3sEr}wkg{NuQRg{ci(U#5@b`~,cg#U(2WnH5wugcRh7dX#T(Y,a'Ta!!a,[yZ<]mj>6Vz,3[y+Pv#5ReZKu+=,%!H}7ABwkaS?Rh:BcW(X#<]mrj:ubv/ARekdg%!(!a.*Ta(Y.X1!#sP>Rl*Dt6[y>>6Vyo3Wf*jOvuumvuRgRJuq*!:9<B@bX~3jVv&v@s@5Re[d/rQt{uAvo&a&a*)a2!,0Wf!3Dt0=Bs'>6Re}3[xy~<5s%JwJZt1~Gs)c;&!#2sJkNuXvzq7rxu,Re8dka4!a8(aEZ+a@Y.X1Xa)[yd=Bs(3DtP>6Vz53[y4cX#X&Re:avRe9~<5s&JwJZtQ~Gs*i^rzvdRg+Jv{%!2sbB@bX}kdga,!Za?&^*T1/!a'Dt+[y6>6Vyf3Wf%g/u;s4hGu6?Rh-JvZ,!c%#&RoX54Rivj7uyvf8RgTKvZB%*!2sGh<vu5Rgq<=C::9bb~#dZ#T&Ta6Y.X*Dt>[y93Wf)coZ(T,6VyifluvRgC@95@B@bX~/hFu34cC#T,k/unq8w8Q5RkUklwQuzunq8w8Q5Rk8d/rJu?v8w9)-&!a0a;a&aIWejg3sEr/h1s<DtDJvyZqY5aws3Jvy!&Wei~Hr1:au5@Bag>23E~5c:Z&bX};kKv?w&unuVu5Rjc;>bs)#~@:Rh.=ay<a]C;b`}Vd6s/t{uAvoaxa()!a,a7%-a#a2Dt,[yF2Wo[>6Vyt3[xuNuPRi&NuPwpi#RoWh?vf8Ri%Jv]!%Ri:KvxD!.'2WeAjZu`q9rxu,Re7woeAg-unLq(qA_/*2Wg_g3u5q^9:4E}/jTrxrzv=Wkkd~0UX#^^Xa-a1a5T&a=U1a'*aEa]!a*aPaA-adok[y54Rn>;:p3~Dp5g9rpsFNvZqjg3uJp4~<5p0Pw;5qlJwNZt*@3p1Pw:5p/Ou!5p2JvG'!6Vye=<qnJvh_[xhg3v,Rh3kOwOw-sDuev/Re^dha[a%!%!a+#Ta7)-5TaCaO!aka!a)sf[yb2>Rl!9ARiq5E}Qg=ucRkBE|oJrJ_@Wk~@Wk{JrJ_@Wk|@WkyJrJ_@Wk}@WkzJvO_[y2g-vMRmiKuYC!)&>Ri;>Ri<@3RkNc](X#@9Rk=g5vuRmhKvDB!+'=]meg3u4Rmgd)#Y'Vz3CARmfd`a+!%T'!+#Ta1Ta6TaM-sTDt9[yA9sYd'%Y#s[[xpj:ueunaXRgEjRq,v-vuqdd2'`#6Rev<32@5>:2<E}5xIo9a*X#Y(;5RePJvD_g>vyRgNj8w)v8<wggs:RgXiZt|vjx,hSq3ah!-(~@:Ro/Ou!5RhWj^v(pyw8unRhUdx-UY#^Ua.a3a70!)%UX1TaDa)'omRiRRhE[y:3Dsz=Br,>6Vyj3[xkg6ruwjcqsrPw;5r*Ku]D'Zt-@3r(~?r.i[vwv]dU1a--U#`a4(g/vsRhPOu!5RhLj:rmu9Wo!~@:wdh@g/vsRiTjXuvvNr}:RhBj^v(pyw8unRn]dz1UYa'a+^Y(!aETZalaRY.Ta?a4[yDJw1!#qLsW>6Vyrfzq-pLflpwRe|Js>%!Dt@3Dt&Jvy_[xs~HrnjMuwpsw'RecKu+D#'!t<~Grl~?rjg5u-x,gwp{ah!-(~@:Rg~Ou!5Rh'jXuvvNr}:Rh#cW#X/c;&!#2sLi[v7u7RgpJv)(!iLrxu,Re6j7v@s@5Se[e7d`aW!Za(a`T.a#!a3!&aDa-!9)Dt_=6s+3[x~~DR|h~DS6avhGun5RkZj3w)v-]mkKunB!&*]kb97R|i<ARk<c:Z(6Vy}Juh'!wziMRoS:F|vkLuauJv5vtvQRh1d='T+Y#VyO~DR|jcF#T'7R|g97R|kJv3'!ay<Rj,Jvh&!:ReXcsa6*a+#a#_aIRf9aLRf?c,Z&Rf5Rf7c.Z&Rf;Rf>cQ#%T'p-Rf8Rf=ct#%'(*!,p,Rf4p+Rf6Rf:Rf<d~'Ua%U*^UYa(!a,-!#a4YaTalaEX0a8a<Weo3Dt/3Dsx=Br93Wen~Dr;~<5p<JwNZt2@3p=Pw:5p;Ou!5r3c7&!#:p>3Ds}KvGB)_6Vyk2sM=<r7x'eovA(!hFu1ARf}cV#X&@r5j6rvwQa^Rf3c=Za'wkghJv__g;unRggA53B9=b^}%j6uduo5Jq;!(hIv%2Re`Ou4ARe_e%a#^^^Xa&!a*a2!&a6YaP!*ad!#a:aE/5Rn?[y@>6Vyp;:pE~DrY~<5pBJwNZt8@3pCh=rt3rWPw:5pAJup_[xoNuPpF9c!#'45pD5ARn)d8#X'X*3@rU72s]h>v<<sSjJpqvewOJq/(!hNw'5ReBk0s2u3w/w'5ReE5@Jq.!a+JQ!&WeU23d(#Y&RjG5]jBk!u7w&u0udARjEe#+^^^Ub#!a2/a`Z(agT1!a-a;|@TaG!aS[yV=Re~fow'RguNuPRe?bz#'>RoUWeL>:Cbb|?JwPZtVg6ruRmzJvD'!6Vz(g/vmRh~Jvy_[y(g9voRgyx*cy(#2>Ri2B9b]~9kIw9u7rluJu3Rg]dI#a%UY'@=p%CAx.gQZ&RhwwygtRm{x5g_Z'+ABqR9Woa=Bp&dV#^*Xa'!&@o{g4v]Rk;Jv{!%Rk[wkkiA5RkiwwfUB=x,fUuqC&*!>RfTg8v0RfV~ARfSd;rJsAuAv9wR'ae+/aO!a@aza/a#[yQ@Wg!2Wemg3sEr0JvB_g>uvReWg2v+Re=KupB_+[y!2AbY~-~Hr2AJwD!(h<~El>h<~El?Kun@+_:9b`}Kg-v/Ri3g;vtwyk_9]k_d=&T#*U.6qh@Ab`|K9:H|CJv[!&3Dtex'fDwC%!Rf[9WlMd[(^X,!a%Z06Vz!@WgBg=v~Rgvg,QRe@awd,#Y+jTv|Q~EfWj]uNr|~FRfXdy#Y&^Ua%!aO.!(a)Ua;=!a@aKap!a-,a!Ta]a[rSa]p?[y82sK=Bq~;:p:~<5p8Pw:5p7d'#Y'Wf(;RnRi[u4w&RgJJvG'!6Vyh=<r#ijuuv/sIKuYD'ZtG@3p9~Gr&d2#`(g<vtRgFj`u5w&rqpxRf2CJuY!+:wfnTOu!5Rg}jNs1ucv&RfwJvA!&3@q|BDcC#T,k/unq8w8Q5RkTklwQuzunq8w8Q5Rk9dga#!a'!a=#a0!:+Tb*b@aO.a4!aba8aFJv^}?!VyR~Dr<g;u%Rn.~<5p[x'e`wNZtR@3p]Pw:5pZhNvjBp.woe_g5u-r4JwF!%DtO3:ooc7&!#:p^3DtpLuGw(!+%)Dtk6Vz#2sd=<r8d'#Y([y#<x3gJt`w@!)%}MRiowzikRij=]ilxAf3,U(#B2Rf#g0v-Rm[ck{`U#]giKv3>)!&6Ri154s,KuGB_%@r68r:dJ|t`#X(9<E|u2@H|rx3gJu?w'!+'1Nu7Reg4=H~+9<wxgY95Rm]xLggZ-`(X}U2:Ri4h<uOawRmsJv__5@bb{jbV~3dka#a'a]!,#a+U=a>b6a3b%!/aKa/)!arwve^VyJ;:pR~DpTg3uJpS~<5pOPw;5qmPw:5pNOu!5pQJvG'!6Vyx=<qoJvA!{~Jup!%@qk7Rn/KvyD!}''[xz;>wkh'?Rh,x8gyt`w5D!&),(SgyccRgztJ@3pPB5p#d'(Y#<]mmifubw&RgoJvE&!82s^JvF&!8Rf,ADb]~;x=h'rNu]vK!,%'*0RnORh)4Rh*AqQg-vaRnNg;wHwkh'ba~4cE#Ta*x3gctyw@'!+%RnFRnD<4Rn@hFvK5RnCxWg[#`&a0Ua()`1Rm75Rg[c]%X#qi8Rg^NvdRj>BwzgZauwji7Rm6A4wgg]d1#&(*,.0a#Rm;Rm<Rm=Rm>Rm?Rm@RmARmBe%#^^^Xaea?aC/b+(,!a+a#!a/!>a&Ta<aKbD!2wphBRnk[yPw}hE|.=Br-3Dtm>6Vy~g6urRf.x,hPrNav!%'RnqRo%Ro#Nu;q[Pw;5r+JwNZtM@3r)d'#Y'Weh;xChL#`&RnmRnoKu}>%(!Rne~Bs-;2wjcussJv+'!aYSO}6@B<5?ba~8LrNvj!.%*ROwungw~ng~:9;Ri^>wtnig;wHRnixDh@|(UZ.x1h@|)!#:2<H|*xHn]#-UX'3Ro)z=iT}6ARns=Bwsn_wpnaRncw]aR(#UXa&Ua*a/=]iPd'#Y&Ro'WnXf{QRm2hNvj]nZd`'T~&1`{|`#9b]{}c:'!#Wl{>@=be}]?cl{{U#:5Abb}Jds#^YaF!a*b4a#a3aPa>&Tb!bH!*a_!Eau?/a&RjY<]gj>6Vz*;:pe~DrZg,QRj1JwNZtX@wihspcJvZ&!VyX9WmOJu|!|N2WmHJvh&!]ht~Bpbcn&T(!#RmQ<s7Nu;padH#X'`+WmJ@>RmKCARhnKup=!)&Wf+:RhqNuPpf9c!#'45pd5AwghpARn(Ls@w!%,)!RmP@Wfe<E|IJva!&WmNg8vsRmLd`*.`#Y'Xa!axRn*]hrA8Rhug5s@rXg8u!RmMd8#X'X*3@rV72smdI*#UY&RmICARho~GsgxVgd)Ta'U-Y&Xa!T#RnEWnA@Wffg1uDRi0hFvK5RnBxGnG&#`%owp)@wsf+bX}Ze-*1!a*^^^Ua|!#a.aq&Ya2!a>.a6!a:aO`aJDtL[y`@Wg#>6Vz12@wzoYRoZNuPRi!NuPRhzg=ucRi,@=b`{Yg=ucRi-ACJvB!&Sh[ebSh]ebi`wUuFRm4Jw2_[y0JvB!.<Ju(!&SoG}6Shd}6<Ju(!&SoH}6She}6Kur@._g5vHRieJvx!{L2G{Kx6gd'T#?Rh82Wi5cZ#X(g1w)Rm5dW-Y(Ta#!a)!#aYa=wnfE=su2>>bU{0j9udv:<svj8uQv-7RgHdE%#^'sq9sp=>Bb_{TJv`!&g/r|snj6v(us5d,#Y(56H}[978H}]Jw5!&g1rushJvB!+j;v{u5?zDhd}6}bj;v{u5?zDhe}6}ce*#`(^^^a[aea!=!a6a*aoXb1a.!aAbL!b>,b'aL!aV@Wf|2Wlg3[y/JwNZt^@3piPw:5pgJunZou3@rsJva&!Vy_g<v~Rm#JvG'!6Vz0=<r{Ju{%!:pj@WfsiXuJu3Rm:JvZ&!WfA~Bph@c4Z&Dtwax5rubx(#:awRk1@d,#Y&RfjRfid1#,Y(@Wfp2Wlrg5s@ryKu[@!,'=]ig9wlk?Rk>g5u-rqJvy'!@9RkQcH(T#=>Ri~@<wkj(Wj(KuZB*!&<7rw@9RkRcH(T#=>Ri}@<wkj)Wj)dg(Ta2Xa9X#`-!a*CARhg@@=I}d9x;c~#X%so=<sj>2@@=aybb}XjWv0Q~EfEj3vLv;<d,#Y(56H}`978H}_dgaPaFa'a/!#a3Y0a_a;a|!1(a7-[yE3[xt;:pJNvZrrg3uJrvJwNZt=@3pIh=rt3rxPw:5pGOu!5rpJvG'!6Vys=<rz@c4Z&Dt(ax5rtJvZ!&~BpH@wsfNg-vaRlNci*U#=<wei<F}a5@Jq.!a*JQ!%@qZ23d(#Y&RjH5]jCk!u7w&u0udARjFd/prq=tyvpaEa(a:.!a1aZ(@@=I}:9wpd%=<sX55w_h}@@=I{t=ay<aU@@=I}T=ay<2@@=I})?C9:9au@9Cb]}DP~=x-fAZ(2Wl1=ay<aU@@=I}>5@d##Y+jTv|vV~EfFj]uNpn~FRfGdgaK!Z2&!a8a-Tb({E!acTbM*!a(DtY[yYd'%Y#sl[y*hHvh>Re5x2c{Z}.j4uCvcawRiMd+#X+_x&d!},<5RkX;2Hzw@x,gavfB-!{CcF&T#Roe;RodwWbBg5urRgaKvHC*_6Vz+<4opieuew&Rmq@d]&Y)X,T#X0Rh}<BqP=4qS9:ReMg/ujReNJw0!/<Jui%!bd{kawwnemRelAxUa?a3#*.&UX(Ya+a/RhvRnQ<o}9Wmtd-#Y&RgSRmw9;Rmxay=Rmyg-vaRmuxEhSrNu,v-voC!%(aR.a(a7+1Ro1>Ro5CE{A9b]{@;5x#eO{:g;urRi+KrNA!%(Ro3>Ro79;Ri_Ku@>{;&!x%gX|{KunA_+g5QRj/g3u5Rj#g>uERj%wio/xRhS&!,!#^1U}wba{8>>@=be}qC@:D5ba{7Ku+A&!}x?ba}t>>@=be}se(aA^^^Uat!b0#{pa+awUazbGa#aLb9bgaWac'a5TbS=Br!d1#`%scp_Jvl!#rT>Re0JvX&!VyN=H{Fcm#U&:pY=ReaJv2&!]h0=]nUJvG'!6Vy|=<r%JrM_=]h2@Wlud'#)U'Wf'b]{i=]h/Jvh!&~BpWg=v]RnMx+ny#'Nu;pVwjnu=]nwxJnx,T#`&Reqwjnt=]nvieu9vrRjLLuYwP(#+!th@wih5pX~Gr'g5v/Rh4KunA'!-CARnP@wwiN:Rm_9x'cvw>!|l=<saKvAA!0&3@q}>w^e1bp#&Re2Re3BDx7gH#T|f5H|eKuZ>!%(:qNAH{]Jv6!+3B2B9=b^{X<5<B92:E{ZLvhwA(a;a%!igQuyRmad+#Y}m@3Rh5d8#X'X*:AqUAHzmaxwbh<aXRnVcF}RT#Nw&cj#U(BWnug/vsRntdka)(a3+.Zb7aYYan1!bVa@Xa}[y^@b[{G=H{+hFu73Rj&Pv#5ReQcK%T#sig1v{Rj'Ku+D#'!t]~Grm~?rkKuMB!01d5#`'Vy.ta3Dtu~Hroc8#'{^45s85AwZbP&!#Rn!wghxWn#KvEA!)&2RlA2RlBx:h|#(T,=]j09Wobz>x]z/@awRoTd+#Y(az]hFhCrm4d,#Y+jTv|Q~EfMj]uNr|~FRfOdCa!Xa9_X#@<plJvf!%b`{(9;Rgwc;.!#2x7cw#T|UDb]|T5Ju={(!=@E{&Jv)&!Ab`{'awJvf!~*>>@=be{#KuY>!+&4Ezyi[ugv&RjIdea+T)#UXa&T-T&a!Rh9auRmW=]kLg5vuRn+g3u4Rn-Ow6ARn,hHus5xNk?#UX(U~)/g8v0RkD~AwkkF?Ri.OuNBwkkA?Ri/d|a2`a*^UYa.!aBTZaTa'Xa;!(!2!-a#b2[yC>6Vyq3[xr2Wi?g1rusVh%s?DtF~<5rbJs;%!DtBfswKtCj[uvuSsEu3RgVx3o:u+wN'*Zt;@3rd~Grh~?rfg8w)Lq)qE&-a%!>bI|`jWv0vV~EfCjTv|vV~Ef@j]uNpn~FRfBcK#T']gWNu7x,k7q4ai(0!hHv8<RhmkMu9vrsBuev/RhlCJvB!,g<v{wchh~@:Rhji[vrv{wchi~@:RhkdS&a5UY#Ta!RgPwwiI5BwciI~@:Rh`x'iJvj'!5]iJPu8Bwch]~@:Rhach)U#h3rp]gLh@t|Ax,hTq3ah!-(~@:Ro0Ou!5RhXj^v(pyw8unRhVd|)`,^UYas!a?/a2Z'a^Ta{Tb7Ta(a#!a,Wf&9sZ3DtAadamov=Bqt3[xig8vsRm~>waiL2b`{QJv*_Ouv2qgj<v]v2BqfdR'X*X#Y-@3qr~Gqv~?p6hHv-]glPup5Lq+q?_%*b_{qF{n9b^{rOu4ARhpKvCD!+&~Bqp:5Dbb}nwoiKl&unuTuBv]v+ueunaXRf0=Jvh!0nKufu8v1w&w7q%w&uHrz:Rgnj5w,uxDJq/(!hNw'5ReCk0s2u3w/w'5ReFd>Za&!*UaA=<wkgsRnSJv^!%Refifw3vyRgOKu_B'!,<]gkiiu:w&Rh<=C@a^<B57@2F{[<B5@aW:=3away9A5aW=<B=C@a^<B57@2F{Ie-#`(^^^bCara.b8aza6!/bZ,!adTbnTbOb+aFaS!aAT9@Wf~2Wli3Dtl2@d,#Y&RfnRfmJwJZtN~GqyJva&!VyMg<v~Rm%iXuJu3Rm9Jv[_=]ih9wlkDRkCd1#`(@Wg>2Wls3cH#T(@<Rj*=>Ri|b~'#23s9h<~El.d'#Y&Dtxi^rzvdRl#d*#U%(o|B2s`hJwSaxRmDKv4B&!1:Rmdd5#`'Vx}to~Hq{x'f1v3(!BA5ba|bJv_&!Wfug1v]ReIdO+U/Y#&G}-8wze=Rh{g1v]ReHg/uQRf/by#)ibQwERl/cH#T(@<Rj+=>Ri{cNu+vlax-!(#a0qa9<Rii2;;bU{H;x<i=&X#Rk`<4wwi=C9H~8xAI(Y#<azRi@45wXI<B9;5bb~7dL(X#Xa(+!aL6Vy{g5QqOau:5au2@ay547EzbxOcU(UX-T#Ta#:Cbb|A?wjh/b_|SOw6ARgtihr}u7Rhy<d1#T)X1@@=I|~=ay<2@@=aybb}Sj3vLv;<d,#Y(56H}A978H}@dGpvs@uAu`vcw9*!aFa+ai%(b!aXa8.a?a[ozWey=sU2@G}Nch&U#Rf_WexKu+D#'!t:~Gr`~?r^j]uNr|~FRg*j^psurwJt|RmcKv)@&!)7Rkv~Br[@wxfO:Rl3co#U'6Rezj_q#vIuavjRltwzeyh@vr5JqD0!>aY?C9:9au@9Cb]}9cl#U*5;5<H||jbuus1ucv&Rfvg1v~d/pppzqFr^a--a~!aMat1(hFv;Wiz@@=Izoj5uuv-7Rix~Cw`fk2WlVcZ#X,k)u3vWs@u2]ktg;wEx'fBq(_2Wg/jTv|vV~EfoJv]!15x'hzqG!(P~EfU~CRl_j6v(us5x4i-#T(2WmZ?C2F|d>Kq<aj1!*jTqIsBv=Wl`~Cw`fi2WlWj`v0u*~>RlR=c>Z,k#u3vWs@u2]kr<c1Z+jTqIsBv=Wla~Cw`fm2WlXdmb3!a{(arZa`bkTa%TbQTa-a9+c'!aM!/[yL=Bqug.w'RifhFvyDRj.g>vgwyk^9]k^Jv3_@WfbAARkhJw2_[x|JvB_wkoIRoKwkoJRoLd'(Y#<]gm=<9<H|yd'%_X#skDtb3awwqkgNulRkgdB#^',9:p'hJwSaxRmEBwVb8@4=H|qLu+w50&!)@3qs~?pU>Awwn;;Rn=c:Z'ARn<=<qwKvC@!/&~BqqJv6!&]eVb^z^xRge'/a%+^`#Sge}6<4Rn3=]n0Pw2>Rn8Jw0!&>Rn:>Rn6cY#a7+!a&=<wkaNw~h3z_c5Z{=wjh#=]nLKv^D!&)Vyz=bW|swYb<WetcG#T(2wxa@qVx@gD#Y&b^|V5JwG&!5bb|pg/w&RgD@x=kHs=uAvn!a%%/'+RmSRh694Ro`g-vaRmRhHv-]mlxCcS#`&ba~.5cD#Ta)P~=d,#Y(56H{>978H{Dd_#{2^Y%_+qbbb{6g3sERhsbU{?dfa.,`a(Xa<!aiX#(55RiG54RiHcI#T'WiU3RiVNvdwtfcRlKNvdd,#Y&RlHRlExQgf.1*^T'X#Sgf}6Wn4=]hfPrk>Rn7Jw0!&>Rn5>Rn9Lunw?&a2!,5<oq@@wqfdRlJj5Q~=d,#Y(~ARfcOuN]fdDKw;ay(}i!547E}j?cI#T(@5bV}iCbV}hdv(^^Tb?a40,b##Tbo!a*bR!a<b|a/!aKai!aU[yK=]o^g:v>ReGJwPZtK<7Rh+h<~El,Pv#5ReR@awwxjCg,ulRjDJv6&!]j!z?aQeeg>w=Sh<eeJw;!&axEzOg,Qosc!#*:wkeJ]eJ>x'h-u(!%Ro.w~h.zPdNZ(X,Ya![x{;9ReY;wkgxRiF:x?ap#Y&RmUg<s2Rkod]+UY0TZ'!a&A9sw<=bczLNvuw{gqzNhJwSaxRmCKuLay!#&s_Rf-55b^{uJvZa!!c%#(55Ri654wmiu5RiuawLu,vp!+}^%b_}Y9;wkgxba}o>A9:=b^}zKuh=a''!3awRk3c*'!#aHRk6c+Z&Rk5Rk4Jv)&!awRjSawd9*`#0?C2@EzMj8u<uJ5RmbjQrquJu3x,k>uq@_+=ayb^|W~ARkEOuN]k@7dhzV^X/X&a-#zRzSb`zXcJzTT#2WkVKvDBzW!%FzY9;5bbzWjQrquJu3Jw3%!b`zU=ayb^zQd:#X(T-a!6Vyywxh}=b]{Jg=u1RiAdGp~qHtzv!w(wA+a+a;<!aJaYai'anasb(=azRmV:Cbb{MLq2vb!%')RjuRjrRjtRjqx3jnqCw3!%')Rk(Rk+Rk&Rk)Lq2vb!%')Rj{RjxRjzRjwLq2vb!%')RjsRjpRjfRjex3jcqCw3!%')Rk'Rk*RjkRjl9<CbbzfOu4ARhxLq2vb!%')RjyRjvRjhRjgx=joq*uKvb!%')+-Rk.Rk%Rj~Rk-Rk#Rj}x=jdq*uKvb!%')+-Rk,Rk!Rj|RjmRjjRjidAq&qKs@uAv8Aa.'*-a@a&0!aM@a5[y73Dsy3Ds|3Dt):wxgI2sHJwJZt.~Gqxwsf0ikrzt}Rl0Jvy_[xj~HqzKv_A|D!&WfP8axRoVcf,U#k(v]v+ueunaXRf1Ju}'!g8u#Ri=jQw!sCunLprq>!,')~<5qeGzq9F{W=c##%s5au:5aU3CBE|;d4#X(D!a&6Vygx(b;#(=]ed?C2F{N<capoq2r[a&!aPa9,'Pw;5s:@@=I|,55w_h|@@=IzcP~=x'fCqB_2Wl2>aU@@=I|1OuNBc1Z+jTqIsBv=Wlc~Cw`fl2WlZ~AcTa%!Z+jTqIsBv=Wlb~Cw`fh2WlYk+uNqJsBv=WlSg,u3dca3#UXaMYa)TaB-=cM|7T#<bI}l5@B932:aV2G{BOuNBJq:|M!5Ezt=<B=C@a^<B57@2F{v>cB{/T#=ay<bI{3Jv6!a.6BKq0ah&+!5E}HP~Ef{978BaU@@=Iza<7d#.Y#978BaU@@=IzH~AJq0!(@@=IzG978BaU@@=IzFe,aU*Y&^^^bvJb,b:bFad!a,c2Ta>aL.bo6!a#CbTa'T#Re{2Wlh2@G{yg6t~Ro_NvdRfticuRQRllJv3&!x&c|zs@Jw3!%RflwpfkRlpKuL;%(!Re<@G|C2GzdhIvuBwgjAg-u0RjAKQB%!(GzZ@G|5NuuRl7d='T+Y#Vy[g<v~Rm!==G|>JvA!)@wma=]m1ifuaw&RmnLs@vT'!|/+[y,g:v>ReTJw1!#qX=x!eC{bLu+wT&)ZtZauq_~Graci&U#F|89:r_Lupvq!.)&2RlG8RfaC=x!eF{_h?rpWlmd&'!#X|&]k::xJey#`'T|+<E|&2@H|%dE#(^,g;u.RiEg6vjRiC9xCkA{O|zY#g=ucRmXKs0@!&*@G|m@awRknJuh!,3d(}gY}eJvj!%Rm):Jw3!%Rm+Rm-Ls0w(&!a(a#@b[|6cZ#X'7RkxWgAOu4ARn'dH'U#Y*Vz-Wm'CARm}d]*#a%^a*T'aK!a<9bV{PC=p*Jw4!&SgxcbB5r]idw(wBRmF7xFkt#&`(Rm/Rm8E|!JuY_9:Rl5=wrgr2:bbxd@xXfB(a*#T+!.X0X1Ta/a'T&RlDRfL>RlyARl9b[z[>RfZ:RlL:RfRwlg/ARl;9;RlxKv,A/!%7s69<74=BA5ba{-8Bde#`a<XaKYa1,a'P~=wxfB2bZ}}?C972@@=I}r8@55B9;5bb}G978B2@@=aybb}3j3vLv;<Jw3&!>Rfk=ayb^}4~Ad1#`*@@=aybb{w2@>==<bbz]dx+UY#^UaF!a9!bB'Ya1.!ajXa#%olRhD[y=3Dt#Ov5BrHKuMB%!(Rf^Wep~HrJwkiQjKr|~FRg)Ku+D#'!t5~GrF~?rDdV)UY,Z/_7RkuG{<~BrBg,rlsO:235B@bX}|d?a1!#`(6Vyn5@d##Y+jTv|vV~EfIj]uNpn~FRfH7Lq2vb1!a9-978BaU@@=Iz9978BbU}#~AJq0!(@@=Iz8978BaU@@=Iz7~AJQ|}!978BbU}!JvkaK!AdUa21-U#`a+(g/vsRn~Ou!5RPj:rmu9WhOjXuvvNr}:RhAj^v(pyw8unRn[kPr}p|u7vwv]RiSBd;pppzq@qHQa?(b.!a.a`@.|xa(hFv;Wiyj5uuv-7Riw~Cw`fg2WlU978BbU|wOuNBJqG!(P~EfD~CRlQcZ#X,k)u3vWs@u2]ksg;wEx'f@q1_2Wg.j]uNpn~FRfqJv]!15x'h{qG!(@@=IzK~CRl^j6v(us5x4i,#T(2WmY?C2F{1>Kq<aj1!*jTqIsBv=Wld~Cw`fj2Wl[j`v0u*~>RlT=c>Z,k#u3vWs@u2]kq<c1Z+jTqIsBv=Wle~Cw`fn2Wl]dn1#c(a(b^a2!b/bAT(bj!aDa7bu,a_a{c0!2T0g:v>ReD2@G{42@G{5~DpM~<5rc=Bx6i>{RT#RnI@zCx]y]z:2Jv[!zr5Awyk]9]k]dD(Y+X#6Vz.g=wKtgwhaCwgmTWj2Lu,w%_+/[y-B;b^xeg3u3Rj-2@bX{*KrJ<!+'@Wg(g?QRlC@Jv`!%b[zIwsfII}8JQ_@w|kW|=Jv(%!AqcOuNBJvEzh!bYzjLs@wP#(0!oy@>RkdJwMZtc3Dtd@BcG#T'9bWxg2@2Fznd*#Y+;2x'c}w<zizixNgwa#Z'U+!/!a'!a+w~g~z6wcn{Rn}wcnzRn|5Rh%=]nJg5vuRmvNvdRlvcprJu}w*az*a#!%.a.'Bot9qT]kj@Wg'ay2Gzv@Jv`!%b[zEwsfHI}1;ck#Ux`<Cbbx_Lu+w!a&0*!wko*wwo,So,}6Juqxf!E}PigQuyRm`d3(`#8>Rn%:A5B;bZ~%KvhCa!a2!x>k7#Uxb@b{#xaRk7Jw0!)>wwhlShl}6>wwhmShm}6CJvB!.x'hhvj{!!5Bwkhhbaz}x'hivjz~!5Bwkhibaz|xEhTrNu,v-vpD!a%&/)a3a.,%Ro2t[CE{)@3re9b]{%wjo09:rgc:Z&Ro6=<riifuaw&RmoKrNA!%(Ro4>Ro89;Ri`dSaL'UYzxZb)7Rka3xRhT&!,!#^1U}vbaz{>>@=be}yC@:D5bazzKu+A&!}{?ba}y>>@=be}wxBh[t`u~vJvr!%a!a()a,a0a4RoC=]o;Ju(!%RoGRhdwjh`=]oAg>w#Ro?g5vuRo=NvdRl|Ku]C.!&;RoEJvB!%RoORoMBx'h[v+_?w~h`}~5?w~hd~!xKh]oiptu-utv.vp!#%&a30a@a'a+(a/aOp(o~p!RoDJu(!%RoHRhewjha=]oBNvdRl}g>w#Ro@g5vuRo>c[#X']o<CauRoRAd-#Y':RkpauRoQKu]C.!&;RoFJvB!%RoNRoPBx'h]v+_?w~ha}t5?w~he}ue!/UbhYacXaW^Tc&a;b:a-c/#b&aja1(!cL+!bKbt!bmcRc9aIc?8[yW3Dtt94Rg`Jv}!&SiRMzBhEebShEMNuPRe>x7gL#TzuwjirRipc<Z&>on;>z=h-MSh.Mwqczx'a7vj&!>Re4@=ResJt__NuPRi*NuPRi)j]uNr|~FRfzKrJ>_+@Wfy@Wf]2WocKrJ<!+'@Wg%g/QRl@@Jv`!&awRl<wsfFIzgLu(w*!.*&ShBMwvhIRhI9;RhNx1hK'!#Sn]Mx1hK~0!#:2<H~7cNu+w7D*'1ZtW>Rn1~?rOc:Z&Rn2=<rQ<7wjh&=BSnLMc]#X(6Vz)w[b=a!U#9wzgMc3#&(RgMRitRis<x,gKt`ax!&+SioM=BSilMc3#&(RgKRinRimKurB,!&SiQMzBhDebShDM6BJQ!(P~Efx978B2@@=I}WLrJw!!,a*&@G}O@9wkibRid@@x'fKwC!&SlDMSfLMjUv~Q~EfKKv3@a+!(hFv-]mpx/hYZ(C5RiWz<o/MwkhY?So/M@x,gbvfB*&!SgEM:SoeeehFu3:Rgbda(,^TZa)X/7Sg[eb:2RgI~BrMC@wgkc:wwkcRerx3h(uUvK!&*,SnOM4Sh*MArRg;wHRh(x=h;rJvPwI!a4',a'0@Wg&=BSh/Mg>w=Rh=g3w*wwgGRgGcW(X#;Sg}M2Gzk@Jv`!&awRl=wsfGIz`dKZ*T'Y-:RhR7RhQg5u-p`j6v(us5d,#Y+~Awkia?RicOuNBwkibba}Ld6p~tyu_vbAa'a+!a/'a3aEa8a!>Sh,ebJv{!&Sh@ebSaReb9;SgwebNuPRi(NvdRl)NuPRi'hHu^<Rm^Jvv_@Wl(g;u1Si/ebKu'B&!*Sh?eb@Wl'z@aPeb95Si.ebcpputyvjB)!,&a+0a%ShAMWeK@G}C@WfJ9;RhMwvhH9w{ia}ix,hJvRA1(!zAn[MRhHx1hJ~*!#hFv(BSn[MBJQ!(@@=I~'978B2@@=I}2db.Ua<'X}+T#a0XaG2G}E;wkg|wuh!Rh!x,hZu,@)!&So0MVy)C5RiXACJvB!&5RiY5RiZg8w)cG}*T#2@bU}=KsA>(!a.3wkhZba~(x,h^u(A!&(SoCMRhb5Bz=h[eb?w~hb~6x,h_u(A!&(SoDMRhc5Bz=h]eb?w~hc~6e)aA1T#T,^^^c-bMb&blcPaP(a/!0!bA=b5c@a(!bfbrc#2afwmhARnjwchORnp2Wlf3DtsNvdRl-2@wpa<]m0bx(#:awRk2@Jw3!%RfhwpfgRlnKQB%!(G{V@G|'NuuRl6d='T+Y#VyUg<v~Rl~==G|<Jv+'!aYShC}6@B<5?ba~8@Jw3'!g2QRljhLrpWlOd+#Y'g.w'rIg>w*wgj@g-u0Rj@Lu+wT&)ZtUauq]~GrGci&U#F|39:rELrNvj!.%*RhCwunfw~nf~:9;Ri]>wtnhg;wHRnhx3hDs@v~!/+'@Wfr@9RkSNu&Rlo=@<5GzoKs0@_+@Wl+@awRkmJuh!-3d(}pY#qWJvj!%Rm(:Jw3!%Rm,Rm*de&!1U-U#`)Re;@G|.@9Ri82@wjfvRlq=@<5GzpLvOvr!).&2RlF8Rf`C=x!eE{.Jw3_g2QRlkhLrpWlPde(!#U{s,UXa*Ta'[y'g:v>ReS;x0PZ&RnlRnn~HrKJw1}f!=x!eB|2w]aP(#Xa&a*Ta.Ua2a7=]iOd'#Y&Ro&WnWg;u.RiDg6vjRiBNvdRlzhNvj]nYJuW_2Wm3x)kFze{9d])!a.!,Y01!#&aC!a3RndC=ox~BrC@2b^{pg,rlse7x'ksuq!%Rm.E{xidw(wBRmGx9o+)X#wwo-So-}69:Rl4@xSf@a#XZ'X)X,Ta(/ARl8b[xc>RfY:RlI:RfQwlg.ARl:9;Rlwdn'#^XafaQa1X1TaHTa)@b[{zcZ#X'7RkwWg@Ou4ARn&x)kG#{,g7u/RkGdH'U#Y*Vz'Wm&CARm|bx#(A]gUbUzJj9Q~=d,#Y(56H}l978H{U7d,0#U*2>ABb_xZ978BbU{e~AJQ{g!978BbU{hxMh?ad{oUYZ.x1h?{l!#:2<H{mx3n[t{vl!,&a%3Ro(z=iS}6ARnr=Bwsn^wvn`Rnbd`*T}B0!#^X'BG{c9b]{a>>@=be}F?JvS!&BG{d7BG}(Bde#`a1X,Ya@!a'P~=wxf@2bZ}I56B2@@=aybb}08@55B9;5bb}<j3vLv;<Jw3&!>Rfg=ayb^}&OuNBKuLA!)a!P~=x#fD{f2@>==<bbzl?C972@@=Ix^d6rSu,v7w*C(0a)a6#B+a%!sQ[y?3Dt%3[xn~<5rLOu!5p@Ku+D#'!t7~GrP~?rNKvlaya7'!h+v-5qMg=t|cd,U#5AAaa5Abb{S@52B5@a[@52B5Gx[iXueu;d<#`a(!/549C;ag>23ExY5@Dah89b^~689Jv)!~2b[~1Lv'w(%*!a#bX|aPrmawRe]keu7uhv-q6rxu,q`xTo]/a5aU!bNaDXbi!b-!ao!b<bwA!#5@B932:aV2G|:d-)Y#hJrL>RhG<7@C5<H|_=Cau:5aj5@B932:bJ|ng>vIbs)#?C2F|9jPv0w.vISh-MKvUaz(.!9ABbb|[5;5<H|Eg>unwfh;9:4E|YjQsBt|vjx'hYq3!(?C2F|J:2<BaY?C2F|GOu!5x,g|p{ah!-(?C2F|c9:4E|OjXuvvNr}:Rh&i[w*t|cd+U#jJvsu)vsSn~Mkfrmu9p}u7vwv]So!McW#Xa!ax5@A5aY:5;5<H|>kJv~vYrquJu3x4ib#T)2@SmZM?C2F|Bj:rmu9@xPhI(a*a#U#`a3-5Abb|L~@:RhK9:4E|0@52B5G|#C::aY?C2F|-:2<BaY?C2F|.5Jvk!a)javYrquJu3x4ia#T)2@SmYM?C2F|HAxPhH(!a#U#`a*-5Abb|4~@:RhJ9:4E|R@52B5G|F:2<BaY?C2F|Sc^#Xa2j=Qq5CJvB!-g<v{z;hhM?C2F|Zi[vrv{z;hiM?C2F|XKsA>!a)-g<v{z;h[eb?C2F|]i[vrv{z;h]eb?C2F|^iZu.vix,hZq3ah!.(?C2F|QOu!5ShXM:2<BaY?C2F|P", 13494, 2713, 49, 25, 61);

// node_modules/entities/dist/generated/decode-data-xml.js
var xmlDecodeTree = /* @__PURE__ */ new Uint16Array([
  512,
  26465,
  29036,
  7,
  0,
  2,
  4,
  116,
  24638,
  116,
  24636,
  8693,
  29807,
  24610,
  621,
  1,
  0,
  0,
  3,
  112,
  24614,
  111,
  115,
  24615
]);

// node_modules/entities/dist/internal/bin-trie-flags.js
var BinTrieFlags;
(function(BinTrieFlags2) {
  BinTrieFlags2[BinTrieFlags2["VALUE_LENGTH"] = 49152] = "VALUE_LENGTH";
  BinTrieFlags2[BinTrieFlags2["FLAG13"] = 8192] = "FLAG13";
  BinTrieFlags2[BinTrieFlags2["BRANCH_LENGTH"] = 8064] = "BRANCH_LENGTH";
  BinTrieFlags2[BinTrieFlags2["JUMP_TABLE"] = 127] = "JUMP_TABLE";
  BinTrieFlags2[BinTrieFlags2["VALUE_MASK"] = 8191] = "VALUE_MASK";
})(BinTrieFlags || (BinTrieFlags = {}));

// node_modules/entities/dist/decode.js
var CharCodes;
(function(CharCodes3) {
  CharCodes3[CharCodes3["AMP"] = 38] = "AMP";
  CharCodes3[CharCodes3["NUM"] = 35] = "NUM";
  CharCodes3[CharCodes3["SEMI"] = 59] = "SEMI";
  CharCodes3[CharCodes3["EQUALS"] = 61] = "EQUALS";
  CharCodes3[CharCodes3["ZERO"] = 48] = "ZERO";
  CharCodes3[CharCodes3["NINE"] = 57] = "NINE";
  CharCodes3[CharCodes3["LOWER_A"] = 97] = "LOWER_A";
  CharCodes3[CharCodes3["LOWER_X"] = 120] = "LOWER_X";
})(CharCodes || (CharCodes = {}));
var TO_LOWER_BIT = 32;
function isNumber(code) {
  return code - CharCodes.ZERO >>> 0 <= 9;
}
function isHexadecimalCharacter(code) {
  return (code | TO_LOWER_BIT) - CharCodes.LOWER_A >>> 0 <= 5;
}
function isAlpha(code) {
  return (code | TO_LOWER_BIT) - CharCodes.LOWER_A >>> 0 <= 25;
}
function isEntityInAttributeInvalidEnd(code) {
  return code === CharCodes.EQUALS || isAlpha(code) || isNumber(code);
}
var EntityDecoderState;
(function(EntityDecoderState2) {
  EntityDecoderState2[EntityDecoderState2["EntityStart"] = 0] = "EntityStart";
  EntityDecoderState2[EntityDecoderState2["NumericStart"] = 1] = "NumericStart";
  EntityDecoderState2[EntityDecoderState2["NumericDecimal"] = 2] = "NumericDecimal";
  EntityDecoderState2[EntityDecoderState2["NumericHex"] = 3] = "NumericHex";
  EntityDecoderState2[EntityDecoderState2["NamedEntity"] = 4] = "NamedEntity";
})(EntityDecoderState || (EntityDecoderState = {}));
var DecodingMode;
(function(DecodingMode2) {
  DecodingMode2[DecodingMode2["Legacy"] = 0] = "Legacy";
  DecodingMode2[DecodingMode2["Strict"] = 1] = "Strict";
  DecodingMode2[DecodingMode2["Attribute"] = 2] = "Attribute";
})(DecodingMode || (DecodingMode = {}));
var EntityDecoder = class {
  decodeTree;
  emitCodePoint;
  errors;
  /** The current state of the decoder. */
  state = EntityDecoderState.EntityStart;
  /** Characters that were consumed while parsing an entity. */
  consumed = 1;
  /**
   * The result of the entity.
   *
   * For named entities: the trie index of the best legacy match so far
   * (0 = none). For numeric entities: the accumulated code point.
   */
  result = 0;
  /** The current index in the decode tree. */
  treeIndex = 0;
  /**
   * Characters consumed since the last recorded legacy match, plus one.
   * Invariant at the top of the `stateNamedEntity` loop: `excess` equals
   * the number of unrecorded consumed characters + 1.
   */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: False positive (read via destructuring)
  excess = 1;
  /** The mode in which the decoder is operating. */
  decodeMode = DecodingMode.Strict;
  /** The number of characters that have been consumed in the current run. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: False positive
  runConsumed = 0;
  constructor(decodeTree, emitCodePoint, errors) {
    this.decodeTree = decodeTree;
    this.emitCodePoint = emitCodePoint;
    this.errors = errors;
  }
  /**
   * Resets the instance to make it reusable.
   * @param decodeMode Entity decoding mode to use.
   */
  startEntity(decodeMode) {
    this.decodeMode = decodeMode;
    this.state = EntityDecoderState.EntityStart;
    this.result = 0;
    this.treeIndex = 0;
    this.excess = 1;
    this.consumed = 1;
    this.runConsumed = 0;
  }
  /**
   * Write an entity to the decoder. This can be called multiple times with partial entities.
   * If the entity is incomplete, the decoder will return -1.
   *
   * Mirrors the non-streaming `decodeWithTrie`, but with the ability to stop decoding if the
   * entity is incomplete, and resume when the next string is written.
   * @param input The string containing the entity (or a continuation of the entity).
   * @param offset The offset at which the entity begins. Should be 0 if this is not the first call.
   * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
   */
  write(input, offset) {
    switch (this.state) {
      case EntityDecoderState.EntityStart: {
        if (input.charCodeAt(offset) === CharCodes.NUM) {
          this.state = EntityDecoderState.NumericStart;
          this.consumed += 1;
          return this.stateNumericStart(input, offset + 1);
        }
        this.state = EntityDecoderState.NamedEntity;
        return this.stateNamedEntity(input, offset);
      }
      case EntityDecoderState.NumericStart: {
        return this.stateNumericStart(input, offset);
      }
      case EntityDecoderState.NumericDecimal: {
        return this.stateNumericDecimal(input, offset);
      }
      case EntityDecoderState.NumericHex: {
        return this.stateNumericHex(input, offset);
      }
      default: {
        return this.stateNamedEntity(input, offset);
      }
    }
  }
  /**
   * Switches between the numeric decimal and hexadecimal states.
   *
   * Equivalent to the `Numeric character reference state` in the HTML spec.
   * @param input The string containing the entity (or a continuation of the entity).
   * @param offset The current offset.
   * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
   */
  // eslint-disable-next-line unicorn/consistent-class-member-order
  stateNumericStart(input, offset) {
    if (offset >= input.length) {
      return -1;
    }
    if ((input.charCodeAt(offset) | TO_LOWER_BIT) === CharCodes.LOWER_X) {
      this.state = EntityDecoderState.NumericHex;
      this.consumed += 1;
      return this.stateNumericHex(input, offset + 1);
    }
    this.state = EntityDecoderState.NumericDecimal;
    return this.stateNumericDecimal(input, offset);
  }
  /**
   * Parses a hexadecimal numeric entity.
   *
   * Equivalent to the `Hexademical character reference state` in the HTML
   * spec. Digit parsing matches the hex loop in `parseNumericEntity`.
   * The accumulated value is preserved for numeric validation callbacks.
   * @param input The string containing the entity (or a continuation of the entity).
   * @param offset The current offset.
   * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
   */
  stateNumericHex(input, offset) {
    const inputLength = input.length;
    let { result } = this;
    let { consumed } = this;
    while (offset < inputLength) {
      const char = input.charCodeAt(offset);
      if (isNumber(char) || isHexadecimalCharacter(char)) {
        const digit = char <= CharCodes.NINE ? char - CharCodes.ZERO : (char | TO_LOWER_BIT) - CharCodes.LOWER_A + 10;
        result = result * 16 + digit;
        consumed += 1;
        offset += 1;
      } else {
        this.result = result;
        this.consumed = consumed;
        return this.emitNumericEntity(char, 3);
      }
    }
    this.result = result;
    this.consumed = consumed;
    return -1;
  }
  /**
   * Parses a decimal numeric entity.
   *
   * Equivalent to the `Decimal character reference state` in the HTML
   * spec. Digit parsing matches the decimal loop in `parseNumericEntity`.
   * The accumulated value is preserved for numeric validation callbacks.
   * @param input The string containing the entity (or a continuation of the entity).
   * @param offset The current offset.
   * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
   */
  stateNumericDecimal(input, offset) {
    const inputLength = input.length;
    let { result } = this;
    let { consumed } = this;
    while (offset < inputLength) {
      const digit = input.charCodeAt(offset) - CharCodes.ZERO;
      if (digit >>> 0 > 9) {
        this.result = result;
        this.consumed = consumed;
        return this.emitNumericEntity(digit + CharCodes.ZERO, 2);
      }
      result = result * 10 + digit;
      consumed += 1;
      offset += 1;
    }
    this.result = result;
    this.consumed = consumed;
    return -1;
  }
  /**
   * Validate and emit a numeric entity.
   *
   * Implements the logic from the `Hexademical character reference start
   * state` and `Numeric character reference end state` in the HTML spec.
   * @param lastCp The last code point of the entity. Used to see if the
   *               entity was terminated with a semicolon.
   * @param expectedLength The minimum number of characters that should be
   *                       consumed. Used to validate that at least one digit
   *                       was consumed.
   * @returns The number of characters that were consumed.
   */
  emitNumericEntity(lastCp, expectedLength) {
    if (this.consumed <= expectedLength) {
      this.errors?.absenceOfDigitsInNumericCharacterReference(this.consumed);
      return 0;
    }
    if (lastCp === CharCodes.SEMI) {
      this.consumed += 1;
    } else if (this.decodeMode === DecodingMode.Strict) {
      return 0;
    }
    this.emitCodePoint((this.decodeTree === xmlDecodeTree ? replaceCodePointXML : replaceCodePoint)(this.result), this.consumed);
    if (this.errors) {
      if (lastCp !== CharCodes.SEMI) {
        this.errors.missingSemicolonAfterCharacterReference();
      }
      this.errors.validateNumericCharacterReference(this.result);
    }
    return this.consumed;
  }
  /**
   * Flush locally-tracked walk state back to the fields, then emit the
   * recorded legacy match or reject (cold path — at most once per
   * entity). Called after failed navigation (leaf node, branch miss, or
   * compact-run mismatch). In attribute mode, reject if no legacy was
   * recorded at the current node, if we descended past it, or if the
   * pending input character is an invalid attribute terminator.
   * @param consumed Locally-tracked consumed count.
   * @param excess Locally-tracked excess count.
   * @param char Pending input character (may be the mismatching char).
   * @param valueLength Value length at the current trie node.
   */
  flushAndEmitLegacyOrReject(consumed, excess, char, valueLength) {
    this.consumed = consumed;
    this.excess = excess;
    return this.result === 0 || this.decodeMode === DecodingMode.Attribute && (valueLength === 0 || excess > 1 || isEntityInAttributeInvalidEnd(char)) ? 0 : this.emitNotTerminatedNamedEntity();
  }
  /**
   * Parses a named entity.
   *
   * Equivalent to the `Named character reference state` in the HTML spec.
   * @param input The string containing the entity (or a continuation of the entity).
   * @param offset The current offset.
   * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
   */
  stateNamedEntity(input, offset) {
    const { decodeTree } = this;
    const inputLength = input.length;
    const isStrict = this.decodeMode === DecodingMode.Strict;
    let { treeIndex } = this;
    let { excess } = this;
    let { consumed } = this;
    let current = decodeTree[treeIndex];
    while (offset < inputLength) {
      while ((current & (BinTrieFlags.VALUE_LENGTH | BinTrieFlags.FLAG13)) === 0 && (current & BinTrieFlags.JUMP_TABLE) !== 0) {
        const char2 = input.charCodeAt(offset);
        const jumpOffset = current & BinTrieFlags.JUMP_TABLE;
        const branchCount = (current & BinTrieFlags.BRANCH_LENGTH) >> 7;
        if (branchCount === 0) {
          if (char2 !== jumpOffset) {
            return this.flushAndEmitLegacyOrReject(consumed, excess, char2, 0);
          }
          treeIndex += 1;
        } else {
          const slot = char2 - jumpOffset;
          if (slot >>> 0 >= branchCount) {
            return this.flushAndEmitLegacyOrReject(consumed, excess, char2, 0);
          }
          const stored = decodeTree[treeIndex + 1 + slot];
          if (stored === 0) {
            return this.flushAndEmitLegacyOrReject(consumed, excess, char2, 0);
          }
          treeIndex = treeIndex + branchCount + stored & 65535;
        }
        current = decodeTree[treeIndex];
        offset += 1;
        excess += 1;
        if (offset >= inputLength)
          break;
      }
      if (offset >= inputLength)
        break;
      if ((current & (BinTrieFlags.VALUE_LENGTH | BinTrieFlags.FLAG13)) === BinTrieFlags.FLAG13) {
        const runLength = (current & BinTrieFlags.BRANCH_LENGTH) >> 7;
        let { runConsumed } = this;
        if (runConsumed === 0) {
          const char2 = input.charCodeAt(offset);
          if (char2 !== (current & BinTrieFlags.JUMP_TABLE)) {
            return this.flushAndEmitLegacyOrReject(consumed, excess, char2, 0);
          }
          offset += 1;
          excess += 1;
          runConsumed = 1;
        }
        while (runConsumed < runLength) {
          if (offset >= inputLength) {
            this.treeIndex = treeIndex;
            this.excess = excess;
            this.consumed = consumed;
            this.runConsumed = runConsumed;
            return -1;
          }
          const charIndexInPacked = runConsumed - 1;
          const packedWord = decodeTree[treeIndex + 1 + (charIndexInPacked >> 1)];
          const expectedChar = packedWord >> ((charIndexInPacked & 1) << 3) & 255;
          const char2 = input.charCodeAt(offset);
          if (char2 !== expectedChar) {
            this.runConsumed = 0;
            return this.flushAndEmitLegacyOrReject(consumed, excess, char2, 0);
          }
          offset += 1;
          excess += 1;
          runConsumed += 1;
        }
        this.runConsumed = 0;
        treeIndex += 1 + (runLength >> 1);
        current = decodeTree[treeIndex];
        continue;
      }
      const valueLength = current >>> 14;
      const char = input.charCodeAt(offset);
      if (valueLength !== 0) {
        if (!isStrict && (current & BinTrieFlags.FLAG13) === 0) {
          this.result = treeIndex;
          consumed += excess - 1;
          excess = 1;
        }
        if (char === CharCodes.SEMI) {
          return this.emitNamedEntityData(treeIndex, valueLength, consumed + excess);
        }
        if (valueLength === 1) {
          return this.flushAndEmitLegacyOrReject(consumed, excess, char, valueLength);
        }
      }
      const next = determineBranch(decodeTree, current, treeIndex + (valueLength || 1), char);
      if (next < 0) {
        return this.flushAndEmitLegacyOrReject(consumed, excess, char, valueLength);
      }
      treeIndex = next;
      current = decodeTree[treeIndex];
      offset += 1;
      excess += 1;
    }
    if (!isStrict && current >>> 14 !== 0 && (current & BinTrieFlags.FLAG13) === 0) {
      this.result = treeIndex;
      consumed += excess - 1;
      excess = 1;
    }
    this.treeIndex = treeIndex;
    this.excess = excess;
    this.consumed = consumed;
    return -1;
  }
  /**
   * Emit a named entity that was not terminated with a semicolon.
   * @returns The number of characters consumed.
   */
  emitNotTerminatedNamedEntity() {
    const { result, decodeTree } = this;
    const valueLength = decodeTree[result] >>> 14;
    this.emitNamedEntityData(result, valueLength, this.consumed);
    this.errors?.missingSemicolonAfterCharacterReference();
    return this.consumed;
  }
  /**
   * Emit a named entity.
   * @param result The index of the entity in the decode tree.
   * @param valueLength Encoded value length (header plus any value words).
   * @param consumed The number of characters consumed.
   * @returns The number of characters consumed.
   */
  emitNamedEntityData(result, valueLength, consumed) {
    const { decodeTree } = this;
    this.emitCodePoint(valueLength === 1 ? decodeTree[result] & BinTrieFlags.VALUE_MASK : decodeTree[result + 1], consumed);
    if (valueLength === 3) {
      this.emitCodePoint(decodeTree[result + 2], consumed);
    }
    return consumed;
  }
  /**
   * Signal to the parser that the end of the input was reached.
   *
   * Remaining data will be emitted and relevant errors will be produced.
   * @returns The number of characters consumed.
   */
  end() {
    switch (this.state) {
      case EntityDecoderState.NamedEntity: {
        return this.result !== 0 && (this.decodeMode !== DecodingMode.Attribute || this.result === this.treeIndex) ? this.emitNotTerminatedNamedEntity() : 0;
      }
      // Otherwise, emit a numeric entity if we have one.
      case EntityDecoderState.NumericDecimal: {
        return this.emitNumericEntity(0, 2);
      }
      case EntityDecoderState.NumericHex: {
        return this.emitNumericEntity(0, 3);
      }
      case EntityDecoderState.NumericStart: {
        this.errors?.absenceOfDigitsInNumericCharacterReference(this.consumed);
        return 0;
      }
      default: {
        return 0;
      }
    }
  }
};
function determineBranch(decodeTree, current, nodeIndex, char) {
  const branchCount = (current & BinTrieFlags.BRANCH_LENGTH) >> 7;
  const jumpOffset = current & BinTrieFlags.JUMP_TABLE;
  if (jumpOffset) {
    if (branchCount === 0) {
      return char === jumpOffset ? nodeIndex : -1;
    }
    const slot = char - jumpOffset;
    if (slot >>> 0 >= branchCount)
      return -1;
    const stored = decodeTree[nodeIndex + slot];
    return stored === 0 ? -1 : nodeIndex + branchCount + stored - 1 & 65535;
  }
  if (branchCount === 0)
    return -1;
  const packedKeySlots = branchCount + 1 >> 1;
  const branchEnd = nodeIndex + packedKeySlots + branchCount;
  for (let index = 0; index < branchCount; index++) {
    const packed = decodeTree[nodeIndex + (index >> 1)];
    const key = packed >> ((index & 1) << 3) & 255;
    if (key === char) {
      const pointerIndex = nodeIndex + packedKeySlots + index;
      return branchEnd + decodeTree[pointerIndex] & 65535;
    }
    if (key > char)
      return -1;
  }
  return -1;
}

// node_modules/htmlparser2/dist/Tokenizer.js
var CharCodes2;
(function(CharCodes3) {
  CharCodes3[CharCodes3["Tab"] = 9] = "Tab";
  CharCodes3[CharCodes3["NewLine"] = 10] = "NewLine";
  CharCodes3[CharCodes3["FormFeed"] = 12] = "FormFeed";
  CharCodes3[CharCodes3["CarriageReturn"] = 13] = "CarriageReturn";
  CharCodes3[CharCodes3["Space"] = 32] = "Space";
  CharCodes3[CharCodes3["ExclamationMark"] = 33] = "ExclamationMark";
  CharCodes3[CharCodes3["Number"] = 35] = "Number";
  CharCodes3[CharCodes3["Amp"] = 38] = "Amp";
  CharCodes3[CharCodes3["SingleQuote"] = 39] = "SingleQuote";
  CharCodes3[CharCodes3["DoubleQuote"] = 34] = "DoubleQuote";
  CharCodes3[CharCodes3["Dash"] = 45] = "Dash";
  CharCodes3[CharCodes3["Slash"] = 47] = "Slash";
  CharCodes3[CharCodes3["Zero"] = 48] = "Zero";
  CharCodes3[CharCodes3["Nine"] = 57] = "Nine";
  CharCodes3[CharCodes3["Semi"] = 59] = "Semi";
  CharCodes3[CharCodes3["Lt"] = 60] = "Lt";
  CharCodes3[CharCodes3["Eq"] = 61] = "Eq";
  CharCodes3[CharCodes3["Gt"] = 62] = "Gt";
  CharCodes3[CharCodes3["Questionmark"] = 63] = "Questionmark";
  CharCodes3[CharCodes3["UpperA"] = 65] = "UpperA";
  CharCodes3[CharCodes3["LowerA"] = 97] = "LowerA";
  CharCodes3[CharCodes3["UpperF"] = 70] = "UpperF";
  CharCodes3[CharCodes3["LowerF"] = 102] = "LowerF";
  CharCodes3[CharCodes3["UpperZ"] = 90] = "UpperZ";
  CharCodes3[CharCodes3["LowerZ"] = 122] = "LowerZ";
  CharCodes3[CharCodes3["LowerX"] = 120] = "LowerX";
  CharCodes3[CharCodes3["OpeningSquareBracket"] = 91] = "OpeningSquareBracket";
})(CharCodes2 || (CharCodes2 = {}));
var State;
(function(State2) {
  State2[State2["Text"] = 1] = "Text";
  State2[State2["BeforeTagName"] = 2] = "BeforeTagName";
  State2[State2["InTagName"] = 3] = "InTagName";
  State2[State2["InSelfClosingTag"] = 4] = "InSelfClosingTag";
  State2[State2["BeforeClosingTagName"] = 5] = "BeforeClosingTagName";
  State2[State2["InClosingTagName"] = 6] = "InClosingTagName";
  State2[State2["AfterClosingTagName"] = 7] = "AfterClosingTagName";
  State2[State2["BeforeAttributeName"] = 8] = "BeforeAttributeName";
  State2[State2["InAttributeName"] = 9] = "InAttributeName";
  State2[State2["AfterAttributeName"] = 10] = "AfterAttributeName";
  State2[State2["BeforeAttributeValue"] = 11] = "BeforeAttributeValue";
  State2[State2["InAttributeValueDq"] = 12] = "InAttributeValueDq";
  State2[State2["InAttributeValueSq"] = 13] = "InAttributeValueSq";
  State2[State2["InAttributeValueNq"] = 14] = "InAttributeValueNq";
  State2[State2["BeforeDeclaration"] = 15] = "BeforeDeclaration";
  State2[State2["InDeclaration"] = 16] = "InDeclaration";
  State2[State2["InProcessingInstruction"] = 17] = "InProcessingInstruction";
  State2[State2["BeforeComment"] = 18] = "BeforeComment";
  State2[State2["CDATASequence"] = 19] = "CDATASequence";
  State2[State2["DeclarationSequence"] = 20] = "DeclarationSequence";
  State2[State2["InSpecialComment"] = 21] = "InSpecialComment";
  State2[State2["InCommentLike"] = 22] = "InCommentLike";
  State2[State2["SpecialStartSequence"] = 23] = "SpecialStartSequence";
  State2[State2["InSpecialTag"] = 24] = "InSpecialTag";
  State2[State2["InPlainText"] = 25] = "InPlainText";
  State2[State2["InEntity"] = 26] = "InEntity";
})(State || (State = {}));
function isWhitespace(c3) {
  return c3 === CharCodes2.Space || c3 === CharCodes2.NewLine || c3 === CharCodes2.Tab || c3 === CharCodes2.FormFeed || c3 === CharCodes2.CarriageReturn;
}
function isEndOfTagSection(c3) {
  return c3 === CharCodes2.Slash || c3 === CharCodes2.Gt || isWhitespace(c3);
}
function isASCIIAlpha(c3) {
  return c3 >= CharCodes2.LowerA && c3 <= CharCodes2.LowerZ || c3 >= CharCodes2.UpperA && c3 <= CharCodes2.UpperZ;
}
var QuoteType;
(function(QuoteType2) {
  QuoteType2[QuoteType2["NoValue"] = 0] = "NoValue";
  QuoteType2[QuoteType2["Unquoted"] = 1] = "Unquoted";
  QuoteType2[QuoteType2["Single"] = 2] = "Single";
  QuoteType2[QuoteType2["Double"] = 3] = "Double";
})(QuoteType || (QuoteType = {}));
var Sequences = {
  Empty: new Uint8Array(0),
  Cdata: new Uint8Array([67, 68, 65, 84, 65, 91]),
  // CDATA[
  CdataEnd: new Uint8Array([93, 93, 62]),
  // ]]>
  CommentEnd: new Uint8Array([45, 45, 33, 62]),
  // `--!>`
  Doctype: new Uint8Array([100, 111, 99, 116, 121, 112, 101]),
  // `doctype`
  IframeEnd: new Uint8Array([60, 47, 105, 102, 114, 97, 109, 101]),
  // `</iframe`
  NoembedEnd: new Uint8Array([
    60,
    47,
    110,
    111,
    101,
    109,
    98,
    101,
    100
  ]),
  // `</noembed`
  NoframesEnd: new Uint8Array([
    60,
    47,
    110,
    111,
    102,
    114,
    97,
    109,
    101,
    115
  ]),
  // `</noframes`
  Plaintext: new Uint8Array([
    60,
    47,
    112,
    108,
    97,
    105,
    110,
    116,
    101,
    120,
    116
  ]),
  // `</plaintext`
  ScriptEnd: new Uint8Array([60, 47, 115, 99, 114, 105, 112, 116]),
  // `</script`
  StyleEnd: new Uint8Array([60, 47, 115, 116, 121, 108, 101]),
  // `</style`
  TitleEnd: new Uint8Array([60, 47, 116, 105, 116, 108, 101]),
  // `</title`
  TextareaEnd: new Uint8Array([
    60,
    47,
    116,
    101,
    120,
    116,
    97,
    114,
    101,
    97
  ]),
  // `</textarea`
  XmpEnd: new Uint8Array([60, 47, 120, 109, 112])
  // `</xmp`
};
var specialStartSequences = /* @__PURE__ */ new Map([
  [Sequences.IframeEnd[2], Sequences.IframeEnd],
  [Sequences.NoembedEnd[2], Sequences.NoembedEnd],
  [Sequences.Plaintext[2], Sequences.Plaintext],
  [Sequences.ScriptEnd[2], Sequences.ScriptEnd],
  [Sequences.TitleEnd[2], Sequences.TitleEnd],
  [Sequences.XmpEnd[2], Sequences.XmpEnd]
]);
var Tokenizer2 = class {
  cbs;
  /** The current state the tokenizer is in. */
  state = State.Text;
  /** The read buffer. */
  buffer = "";
  /** The beginning of the section that is currently being read. */
  sectionStart = 0;
  /** The index within the buffer that we are currently looking at. */
  index = 0;
  /** The start of the last entity. */
  entityStart = 0;
  /** Some behavior, eg. when decoding entities, is done while we are in another state. This keeps track of the other state type. */
  baseState = State.Text;
  /** For special parsing behavior inside of script and style tags. */
  isSpecial = false;
  /** Indicates whether the tokenizer has been paused. */
  running = true;
  /** The offset of the current buffer. */
  offset = 0;
  xmlMode;
  decodeEntities;
  recognizeSelfClosing;
  entityDecoder;
  constructor({ xmlMode = false, decodeEntities = true, recognizeSelfClosing = xmlMode }, cbs) {
    this.cbs = cbs;
    this.xmlMode = xmlMode;
    this.decodeEntities = decodeEntities;
    this.recognizeSelfClosing = recognizeSelfClosing;
    this.entityDecoder = new EntityDecoder(xmlMode ? xmlDecodeTree : htmlDecodeTree, (cp2, consumed) => this.emitCodePoint(cp2, consumed));
  }
  reset() {
    this.state = State.Text;
    this.buffer = "";
    this.sectionStart = 0;
    this.index = 0;
    this.baseState = State.Text;
    this.isSpecial = false;
    this.currentSequence = Sequences.Empty;
    this.sequenceIndex = 0;
    this.running = true;
    this.offset = 0;
  }
  write(chunk) {
    this.offset += this.buffer.length;
    this.buffer = chunk;
    this.parse();
  }
  end() {
    if (this.running)
      this.finish();
  }
  pause() {
    this.running = false;
  }
  resume() {
    this.running = true;
    if (this.index < this.buffer.length + this.offset) {
      this.parse();
    }
  }
  stateText(c3) {
    if (c3 === CharCodes2.Lt || !this.decodeEntities && this.fastForwardTo(CharCodes2.Lt)) {
      if (this.index > this.sectionStart) {
        this.cbs.ontext(this.sectionStart, this.index);
      }
      this.state = State.BeforeTagName;
      this.sectionStart = this.index;
    } else if (this.decodeEntities && c3 === CharCodes2.Amp) {
      this.startEntity();
    }
  }
  currentSequence = Sequences.Empty;
  sequenceIndex = 0;
  enterTagBody() {
    if (this.currentSequence === Sequences.Plaintext) {
      this.currentSequence = Sequences.Empty;
      this.state = State.InPlainText;
    } else if (this.isSpecial) {
      this.state = State.InSpecialTag;
      this.sequenceIndex = 0;
    } else {
      this.state = State.Text;
    }
  }
  /**
   * Match the opening tag name against an HTML text-only tag sequence.
   *
   * Some tags share an initial prefix (`script`/`style`, `title`/`textarea`,
   * `noembed`/`noframes`), so we may switch to an alternate sequence at the
   * first distinguishing byte.  On a successful full match we fall back to
   * the normal tag-name state; a later `>` will enter raw-text, RCDATA, or
   * plaintext mode based on `currentSequence` / `isSpecial`.
   * @param c Current character code point.
   */
  stateSpecialStartSequence(c3) {
    const lower = c3 | 32;
    if (this.sequenceIndex < this.currentSequence.length) {
      if (lower === this.currentSequence[this.sequenceIndex]) {
        this.sequenceIndex++;
        return;
      }
      if (this.sequenceIndex === 3) {
        if (this.currentSequence === Sequences.ScriptEnd && lower === Sequences.StyleEnd[3]) {
          this.currentSequence = Sequences.StyleEnd;
          this.sequenceIndex = 4;
          return;
        }
        if (this.currentSequence === Sequences.TitleEnd && lower === Sequences.TextareaEnd[3]) {
          this.currentSequence = Sequences.TextareaEnd;
          this.sequenceIndex = 4;
          return;
        }
      } else if (this.sequenceIndex === 4 && this.currentSequence === Sequences.NoembedEnd && lower === Sequences.NoframesEnd[4]) {
        this.currentSequence = Sequences.NoframesEnd;
        this.sequenceIndex = 5;
        return;
      }
    } else if (isEndOfTagSection(c3)) {
      this.sequenceIndex = 0;
      this.state = State.InTagName;
      this.stateInTagName(c3);
      return;
    }
    this.isSpecial = false;
    this.currentSequence = Sequences.Empty;
    this.sequenceIndex = 0;
    this.state = State.InTagName;
    this.stateInTagName(c3);
  }
  stateCDATASequence(c3) {
    if (c3 === Sequences.Cdata[this.sequenceIndex]) {
      if (++this.sequenceIndex === Sequences.Cdata.length) {
        this.state = State.InCommentLike;
        this.currentSequence = Sequences.CdataEnd;
        this.sequenceIndex = 0;
        this.sectionStart = this.index + 1;
      }
    } else {
      this.sequenceIndex = 0;
      if (this.xmlMode) {
        this.state = State.InDeclaration;
        this.stateInDeclaration(c3);
      } else {
        this.state = State.InSpecialComment;
        this.stateInSpecialComment(c3);
      }
    }
  }
  /**
   * When we wait for one specific character, we can speed things up
   * by skipping through the buffer until we find it.
   * @param c Current character code point.
   * @returns Whether the character was found.
   */
  fastForwardTo(c3) {
    while (++this.index < this.buffer.length + this.offset) {
      if (this.buffer.charCodeAt(this.index - this.offset) === c3) {
        return true;
      }
    }
    this.index = this.buffer.length + this.offset - 1;
    return false;
  }
  /**
   * Emit a comment token and return to the text state.
   * @param offset Number of characters in the end sequence that have already been matched.
   */
  emitComment(offset) {
    this.cbs.oncomment(this.sectionStart, this.index, offset);
    this.sequenceIndex = 0;
    this.sectionStart = this.index + 1;
    this.state = State.Text;
  }
  /**
   * Comments and CDATA end with `-->` and `]]>`.
   *
   * Their common qualities are:
   * - Their end sequences have a distinct character they start with.
   * - That character is then repeated, so we have to check multiple repeats.
   * - All characters but the start character of the sequence can be skipped.
   * @param c Current character code point.
   */
  stateInCommentLike(c3) {
    if (!this.xmlMode && this.currentSequence === Sequences.CommentEnd && this.sequenceIndex <= 1 && /*
     * We're still at the very start of the comment: the only
     * characters consumed since `<!--` are the dashes that
     * advanced sequenceIndex (0 for `<!-->`, 1 for `<!--->`).
     */
    this.index === this.sectionStart + this.sequenceIndex && c3 === CharCodes2.Gt) {
      this.emitComment(this.sequenceIndex);
    } else if (this.currentSequence === Sequences.CommentEnd && this.sequenceIndex === 2 && c3 === CharCodes2.Gt) {
      this.emitComment(2);
    } else if (this.currentSequence === Sequences.CommentEnd && this.sequenceIndex === this.currentSequence.length - 1 && c3 !== CharCodes2.Gt) {
      this.sequenceIndex = Number(c3 === CharCodes2.Dash);
    } else if (c3 === this.currentSequence[this.sequenceIndex]) {
      if (++this.sequenceIndex === this.currentSequence.length) {
        if (this.currentSequence === Sequences.CdataEnd) {
          this.cbs.oncdata(this.sectionStart, this.index, 2);
        } else {
          this.cbs.oncomment(this.sectionStart, this.index, 3);
        }
        this.sequenceIndex = 0;
        this.sectionStart = this.index + 1;
        this.state = State.Text;
      }
    } else if (this.sequenceIndex === 0) {
      if (this.fastForwardTo(this.currentSequence[0])) {
        this.sequenceIndex = 1;
      }
    } else if (c3 !== this.currentSequence[this.sequenceIndex - 1]) {
      this.sequenceIndex = 0;
    }
  }
  /**
   * HTML only allows ASCII alpha characters (a-z and A-Z) at the beginning of a tag name.
   *
   * XML allows a lot more characters here (@see https://www.w3.org/TR/REC-xml/#NT-NameStartChar).
   * We allow anything that wouldn't end the tag.
   * @param c Current character code point.
   */
  isTagStartChar(c3) {
    return this.xmlMode ? !isEndOfTagSection(c3) : isASCIIAlpha(c3);
  }
  /**
   * Scan raw-text / RCDATA content for the matching end tag.
   *
   * For RCDATA tags (`<title>`, `<textarea>`) entities are decoded inline.
   * For raw-text tags (`<script>`, `<style>`, etc.) we fast-forward to `<`.
   * @param c Current character code point.
   */
  stateInSpecialTag(c3) {
    if (this.sequenceIndex === this.currentSequence.length) {
      if (isEndOfTagSection(c3)) {
        const endOfText = this.index - this.currentSequence.length;
        if (this.sectionStart < endOfText) {
          const actualIndex = this.index;
          this.index = endOfText;
          this.cbs.ontext(this.sectionStart, endOfText);
          this.index = actualIndex;
        }
        this.isSpecial = false;
        this.sectionStart = endOfText + 2;
        this.stateInClosingTagName(c3);
        return;
      }
      this.sequenceIndex = 0;
    }
    if ((c3 | 32) === this.currentSequence[this.sequenceIndex]) {
      this.sequenceIndex += 1;
    } else if (this.sequenceIndex === 0) {
      if (this.currentSequence === Sequences.TitleEnd || this.currentSequence === Sequences.TextareaEnd) {
        if (this.decodeEntities && c3 === CharCodes2.Amp) {
          this.startEntity();
        }
      } else if (this.fastForwardTo(CharCodes2.Lt)) {
        this.sequenceIndex = 1;
      }
    } else {
      this.sequenceIndex = Number(c3 === CharCodes2.Lt);
    }
  }
  stateBeforeTagName(c3) {
    if (c3 === CharCodes2.ExclamationMark) {
      this.state = State.BeforeDeclaration;
      this.sectionStart = this.index + 1;
    } else if (c3 === CharCodes2.Questionmark) {
      if (this.xmlMode) {
        this.state = State.InProcessingInstruction;
        this.sequenceIndex = 0;
        this.sectionStart = this.index + 1;
      } else {
        this.state = State.InSpecialComment;
        this.sectionStart = this.index;
      }
    } else if (this.isTagStartChar(c3)) {
      this.sectionStart = this.index;
      const special = this.xmlMode || this.cbs.isInForeignContext?.() ? void 0 : specialStartSequences.get(c3 | 32);
      if (special === void 0) {
        this.state = State.InTagName;
      } else {
        this.isSpecial = true;
        this.currentSequence = special;
        this.sequenceIndex = 3;
        this.state = State.SpecialStartSequence;
      }
    } else if (c3 === CharCodes2.Slash) {
      this.state = State.BeforeClosingTagName;
    } else {
      this.state = State.Text;
      this.stateText(c3);
    }
  }
  stateInTagName(c3) {
    if (isEndOfTagSection(c3)) {
      this.cbs.onopentagname(this.sectionStart, this.index);
      this.sectionStart = -1;
      this.state = State.BeforeAttributeName;
      this.stateBeforeAttributeName(c3);
    }
  }
  stateBeforeClosingTagName(c3) {
    if (isWhitespace(c3)) {
      if (this.xmlMode) {
      } else {
        this.state = State.InSpecialComment;
        this.sectionStart = this.index;
      }
    } else if (c3 === CharCodes2.Gt) {
      this.state = State.Text;
      if (!this.xmlMode) {
        this.sectionStart = this.index + 1;
      }
    } else {
      this.state = this.isTagStartChar(c3) ? State.InClosingTagName : State.InSpecialComment;
      this.sectionStart = this.index;
    }
  }
  stateInClosingTagName(c3) {
    if (isEndOfTagSection(c3)) {
      this.cbs.onclosetag(this.sectionStart, this.index);
      this.sectionStart = -1;
      this.state = State.AfterClosingTagName;
      this.stateAfterClosingTagName(c3);
    }
  }
  stateAfterClosingTagName(c3) {
    if (c3 === CharCodes2.Gt || this.fastForwardTo(CharCodes2.Gt)) {
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    }
  }
  stateBeforeAttributeName(c3) {
    if (c3 === CharCodes2.Gt) {
      this.cbs.onopentagend(this.index);
      this.enterTagBody();
      this.sectionStart = this.index + 1;
    } else if (c3 === CharCodes2.Slash) {
      this.state = State.InSelfClosingTag;
    } else if (!isWhitespace(c3)) {
      this.state = State.InAttributeName;
      this.sectionStart = this.index;
    }
  }
  /**
   * Handle `/` before `>` in an opening tag.
   *
   * In HTML mode, text-only tags ignore the self-closing flag and still enter
   * their raw-text/RCDATA/plaintext state unless self-closing tags are being
   * recognized. In XML mode, or for ordinary tags, the tokenizer returns to
   * regular text parsing after emitting the self-closing callback.
   * @param c Current character code point.
   */
  stateInSelfClosingTag(c3) {
    if (c3 === CharCodes2.Gt) {
      this.cbs.onselfclosingtag(this.index);
      this.sectionStart = this.index + 1;
      if (!this.recognizeSelfClosing) {
        this.enterTagBody();
        return;
      }
      this.state = State.Text;
      this.isSpecial = false;
      this.currentSequence = Sequences.Empty;
    } else if (!isWhitespace(c3)) {
      this.state = State.BeforeAttributeName;
      this.stateBeforeAttributeName(c3);
    }
  }
  stateInAttributeName(c3) {
    if (c3 === CharCodes2.Eq || isEndOfTagSection(c3)) {
      this.cbs.onattribname(this.sectionStart, this.index);
      this.sectionStart = this.index;
      this.state = State.AfterAttributeName;
      this.stateAfterAttributeName(c3);
    }
  }
  stateAfterAttributeName(c3) {
    if (c3 === CharCodes2.Eq) {
      this.state = State.BeforeAttributeValue;
    } else if (c3 === CharCodes2.Slash || c3 === CharCodes2.Gt) {
      this.cbs.onattribend(QuoteType.NoValue, this.sectionStart);
      this.sectionStart = -1;
      this.state = State.BeforeAttributeName;
      this.stateBeforeAttributeName(c3);
    } else if (!isWhitespace(c3)) {
      this.cbs.onattribend(QuoteType.NoValue, this.sectionStart);
      this.state = State.InAttributeName;
      this.sectionStart = this.index;
    }
  }
  stateBeforeAttributeValue(c3) {
    if (c3 === CharCodes2.DoubleQuote) {
      this.state = State.InAttributeValueDq;
      this.sectionStart = this.index + 1;
    } else if (c3 === CharCodes2.SingleQuote) {
      this.state = State.InAttributeValueSq;
      this.sectionStart = this.index + 1;
    } else if (!isWhitespace(c3)) {
      this.sectionStart = this.index;
      this.state = State.InAttributeValueNq;
      this.stateInAttributeValueNoQuotes(c3);
    }
  }
  handleInAttributeValue(c3, quote) {
    if (c3 === quote || !this.decodeEntities && this.fastForwardTo(quote)) {
      this.cbs.onattribdata(this.sectionStart, this.index);
      this.sectionStart = -1;
      this.cbs.onattribend(quote === CharCodes2.DoubleQuote ? QuoteType.Double : QuoteType.Single, this.index + 1);
      this.state = State.BeforeAttributeName;
    } else if (this.decodeEntities && c3 === CharCodes2.Amp) {
      this.startEntity();
    }
  }
  stateInAttributeValueDoubleQuotes(c3) {
    this.handleInAttributeValue(c3, CharCodes2.DoubleQuote);
  }
  stateInAttributeValueSingleQuotes(c3) {
    this.handleInAttributeValue(c3, CharCodes2.SingleQuote);
  }
  stateInAttributeValueNoQuotes(c3) {
    if (isWhitespace(c3) || c3 === CharCodes2.Gt) {
      this.cbs.onattribdata(this.sectionStart, this.index);
      this.sectionStart = -1;
      this.cbs.onattribend(QuoteType.Unquoted, this.index);
      this.state = State.BeforeAttributeName;
      this.stateBeforeAttributeName(c3);
    } else if (this.decodeEntities && c3 === CharCodes2.Amp) {
      this.startEntity();
    }
  }
  /**
   * Distinguish between CDATA, declarations, HTML comments, and HTML bogus
   * comments after `<!`.
   *
   * In HTML mode, only real comments and doctypes stay on declaration paths;
   * everything else becomes a bogus comment terminated by the next `>`.
   * @param c Current character code point.
   */
  stateBeforeDeclaration(c3) {
    if (c3 === CharCodes2.OpeningSquareBracket) {
      this.state = State.CDATASequence;
      this.sequenceIndex = 0;
    } else if (this.xmlMode) {
      this.state = c3 === CharCodes2.Dash ? State.BeforeComment : State.InDeclaration;
    } else if ((c3 | 32) === Sequences.Doctype[0]) {
      this.state = State.DeclarationSequence;
      this.currentSequence = Sequences.Doctype;
      this.sequenceIndex = 1;
    } else if (c3 === CharCodes2.Gt) {
      this.cbs.oncomment(this.sectionStart, this.index, 0);
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    } else if (c3 === CharCodes2.Dash) {
      this.state = State.BeforeComment;
    } else {
      this.state = State.InSpecialComment;
    }
  }
  /**
   * Continue matching `doctype` after `<!d`.
   *
   * A full `doctype` match stays on the declaration path; any other name falls
   * back to an HTML bogus comment, which matches browser behavior for
   * non-doctype `<!...>` constructs.
   * @param c Current character code point.
   */
  stateDeclarationSequence(c3) {
    if (this.sequenceIndex === this.currentSequence.length) {
      this.state = State.InDeclaration;
      this.stateInDeclaration(c3);
    } else if ((c3 | 32) === this.currentSequence[this.sequenceIndex]) {
      this.sequenceIndex += 1;
    } else if (c3 === CharCodes2.Gt) {
      this.cbs.oncomment(this.sectionStart, this.index, 0);
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    } else {
      this.state = State.InSpecialComment;
    }
  }
  stateInDeclaration(c3) {
    if (c3 === CharCodes2.Gt || this.fastForwardTo(CharCodes2.Gt)) {
      this.cbs.ondeclaration(this.sectionStart, this.index);
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    }
  }
  /**
   * XML processing instructions (`<?...?>`).
   *
   * In HTML mode `<?` is routed to `InSpecialComment` instead, so this
   * state is only reachable in XML mode.
   * @param c Current character code point.
   */
  stateInProcessingInstruction(c3) {
    if (c3 === CharCodes2.Questionmark) {
      this.sequenceIndex = 1;
    } else if (c3 === CharCodes2.Gt && this.sequenceIndex === 1) {
      this.cbs.onprocessinginstruction(this.sectionStart, this.index - 1);
      this.sequenceIndex = 0;
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    } else {
      this.sequenceIndex = Number(this.fastForwardTo(CharCodes2.Questionmark));
    }
  }
  stateBeforeComment(c3) {
    if (c3 === CharCodes2.Dash) {
      this.state = State.InCommentLike;
      this.currentSequence = Sequences.CommentEnd;
      this.sequenceIndex = 0;
      this.sectionStart = this.index + 1;
    } else if (this.xmlMode) {
      this.state = State.InDeclaration;
    } else if (c3 === CharCodes2.Gt) {
      this.cbs.oncomment(this.sectionStart, this.index, 0);
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    } else {
      this.state = State.InSpecialComment;
    }
  }
  stateInSpecialComment(c3) {
    if (c3 === CharCodes2.Gt || this.fastForwardTo(CharCodes2.Gt)) {
      this.cbs.oncomment(this.sectionStart, this.index, 0);
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    }
  }
  startEntity() {
    this.baseState = this.state;
    this.state = State.InEntity;
    this.entityStart = this.index;
    this.entityDecoder.startEntity(this.xmlMode ? DecodingMode.Strict : this.baseState === State.Text || this.baseState === State.InSpecialTag ? DecodingMode.Legacy : DecodingMode.Attribute);
  }
  stateInEntity() {
    const indexInBuffer = this.index - this.offset;
    const length = this.entityDecoder.write(this.buffer, indexInBuffer);
    if (length >= 0) {
      this.state = this.baseState;
      if (length === 0) {
        this.index -= 1;
      }
    } else {
      if (indexInBuffer < this.buffer.length && this.buffer.charCodeAt(indexInBuffer) === CharCodes2.Amp) {
        this.state = this.baseState;
        this.index -= 1;
        return;
      }
      this.index = this.offset + this.buffer.length - 1;
    }
  }
  /**
   * Remove data that has already been consumed from the buffer.
   */
  cleanup() {
    if (this.running && this.sectionStart !== this.index) {
      if (this.state === State.Text || this.state === State.InPlainText || this.state === State.InSpecialTag && this.sequenceIndex === 0) {
        this.cbs.ontext(this.sectionStart, this.index);
        this.sectionStart = this.index;
      } else if (this.state === State.InAttributeValueDq || this.state === State.InAttributeValueSq || this.state === State.InAttributeValueNq) {
        this.cbs.onattribdata(this.sectionStart, this.index);
        this.sectionStart = this.index;
      }
    }
  }
  shouldContinue() {
    return this.index < this.buffer.length + this.offset && this.running;
  }
  /**
   * Iterates through the buffer, calling the function corresponding to the current state.
   *
   * States that are more likely to be hit are higher up, as a performance improvement.
   */
  parse() {
    while (this.shouldContinue()) {
      const c3 = this.buffer.charCodeAt(this.index - this.offset);
      switch (this.state) {
        case State.Text: {
          this.stateText(c3);
          break;
        }
        case State.InPlainText: {
          this.index = this.buffer.length + this.offset - 1;
          break;
        }
        case State.SpecialStartSequence: {
          this.stateSpecialStartSequence(c3);
          break;
        }
        case State.InSpecialTag: {
          this.stateInSpecialTag(c3);
          break;
        }
        case State.CDATASequence: {
          this.stateCDATASequence(c3);
          break;
        }
        case State.DeclarationSequence: {
          this.stateDeclarationSequence(c3);
          break;
        }
        case State.InAttributeValueDq: {
          this.stateInAttributeValueDoubleQuotes(c3);
          break;
        }
        case State.InAttributeName: {
          this.stateInAttributeName(c3);
          break;
        }
        case State.InCommentLike: {
          this.stateInCommentLike(c3);
          break;
        }
        case State.InSpecialComment: {
          this.stateInSpecialComment(c3);
          break;
        }
        case State.BeforeAttributeName: {
          this.stateBeforeAttributeName(c3);
          break;
        }
        case State.InTagName: {
          this.stateInTagName(c3);
          break;
        }
        case State.InClosingTagName: {
          this.stateInClosingTagName(c3);
          break;
        }
        case State.BeforeTagName: {
          this.stateBeforeTagName(c3);
          break;
        }
        case State.AfterAttributeName: {
          this.stateAfterAttributeName(c3);
          break;
        }
        case State.InAttributeValueSq: {
          this.stateInAttributeValueSingleQuotes(c3);
          break;
        }
        case State.BeforeAttributeValue: {
          this.stateBeforeAttributeValue(c3);
          break;
        }
        case State.BeforeClosingTagName: {
          this.stateBeforeClosingTagName(c3);
          break;
        }
        case State.AfterClosingTagName: {
          this.stateAfterClosingTagName(c3);
          break;
        }
        case State.InAttributeValueNq: {
          this.stateInAttributeValueNoQuotes(c3);
          break;
        }
        case State.InSelfClosingTag: {
          this.stateInSelfClosingTag(c3);
          break;
        }
        case State.InDeclaration: {
          this.stateInDeclaration(c3);
          break;
        }
        case State.BeforeDeclaration: {
          this.stateBeforeDeclaration(c3);
          break;
        }
        case State.BeforeComment: {
          this.stateBeforeComment(c3);
          break;
        }
        case State.InProcessingInstruction: {
          this.stateInProcessingInstruction(c3);
          break;
        }
        case State.InEntity: {
          this.stateInEntity();
          break;
        }
      }
      this.index++;
    }
    this.cleanup();
  }
  finish() {
    if (this.state === State.InEntity) {
      this.entityDecoder.end();
      this.state = this.baseState;
    }
    this.handleTrailingData();
    this.cbs.onend();
  }
  handleTrailingCommentLikeData(endIndex) {
    if (this.state !== State.InCommentLike) {
      return false;
    }
    if (this.currentSequence === Sequences.CdataEnd) {
      if (this.xmlMode) {
        if (this.sectionStart < endIndex) {
          this.cbs.oncdata(this.sectionStart, endIndex, 0);
        }
      } else {
        const cdataStart = this.sectionStart - Sequences.Cdata.length - 1;
        this.cbs.oncomment(cdataStart, endIndex, 0);
      }
    } else {
      const offset = this.xmlMode ? 0 : Math.min(this.sequenceIndex, Sequences.CommentEnd.length - 1);
      this.cbs.oncomment(this.sectionStart, endIndex, offset);
    }
    return true;
  }
  handleTrailingMarkupDeclaration(endIndex) {
    if (this.xmlMode) {
      switch (this.state) {
        case State.InSpecialComment:
        case State.BeforeComment:
        case State.CDATASequence:
        case State.DeclarationSequence:
        case State.InDeclaration: {
          this.cbs.ontext(this.sectionStart, endIndex);
          return true;
        }
        default: {
          return false;
        }
      }
    }
    switch (this.state) {
      case State.BeforeDeclaration:
      case State.InSpecialComment:
      case State.BeforeComment:
      case State.CDATASequence: {
        this.cbs.oncomment(this.sectionStart, endIndex, 0);
        return true;
      }
      case State.DeclarationSequence: {
        if (this.sequenceIndex !== Sequences.Doctype.length) {
          this.cbs.oncomment(this.sectionStart, endIndex, 0);
        }
        return true;
      }
      case State.InDeclaration: {
        return true;
      }
      default: {
        return false;
      }
    }
  }
  /** Handle any trailing data. */
  handleTrailingData() {
    const endIndex = this.buffer.length + this.offset;
    if (this.handleTrailingCommentLikeData(endIndex) || this.handleTrailingMarkupDeclaration(endIndex)) {
      return;
    }
    if (this.sectionStart >= endIndex) {
      return;
    }
    switch (this.state) {
      case State.InTagName:
      case State.BeforeAttributeName:
      case State.BeforeAttributeValue:
      case State.AfterAttributeName:
      case State.InAttributeName:
      case State.InAttributeValueSq:
      case State.InAttributeValueDq:
      case State.InAttributeValueNq:
      case State.InClosingTagName: {
        break;
      }
      default: {
        this.cbs.ontext(this.sectionStart, endIndex);
      }
    }
  }
  emitCodePoint(cp2, consumed) {
    if (this.baseState !== State.Text && this.baseState !== State.InSpecialTag) {
      if (this.sectionStart < this.entityStart) {
        this.cbs.onattribdata(this.sectionStart, this.entityStart);
      }
      this.sectionStart = this.entityStart + consumed;
      this.index = this.sectionStart - 1;
      this.cbs.onattribentity(cp2);
    } else {
      if (this.sectionStart < this.entityStart) {
        this.cbs.ontext(this.sectionStart, this.entityStart);
      }
      this.sectionStart = this.entityStart + consumed;
      this.index = this.sectionStart - 1;
      this.cbs.ontextentity(cp2, this.sectionStart);
    }
  }
};

// node_modules/htmlparser2/dist/Parser.js
var { fromCodePoint } = String;
var formTags = /* @__PURE__ */ new Set([
  "input",
  "option",
  "optgroup",
  "select",
  "button",
  "datalist",
  "textarea"
]);
var pTag = /* @__PURE__ */ new Set(["p"]);
var headingTags = /* @__PURE__ */ new Set(["h1", "h2", "h3", "h4", "h5", "h6", "p"]);
var tableSectionTags = /* @__PURE__ */ new Set(["thead", "tbody"]);
var ddtTags = /* @__PURE__ */ new Set(["dd", "dt"]);
var rtpTags = /* @__PURE__ */ new Set(["rt", "rp"]);
var openImpliesClose = /* @__PURE__ */ new Map([
  ["tr", /* @__PURE__ */ new Set(["tr", "th", "td"])],
  ["th", /* @__PURE__ */ new Set(["th"])],
  ["td", /* @__PURE__ */ new Set(["thead", "th", "td"])],
  ["body", /* @__PURE__ */ new Set(["head", "link", "script"])],
  ["a", /* @__PURE__ */ new Set(["a"])],
  ["li", /* @__PURE__ */ new Set(["li"])],
  ["p", pTag],
  ["h1", headingTags],
  ["h2", headingTags],
  ["h3", headingTags],
  ["h4", headingTags],
  ["h5", headingTags],
  ["h6", headingTags],
  ["select", formTags],
  ["input", formTags],
  ["output", formTags],
  ["button", formTags],
  ["datalist", formTags],
  ["textarea", formTags],
  ["option", /* @__PURE__ */ new Set(["option"])],
  ["optgroup", /* @__PURE__ */ new Set(["optgroup", "option"])],
  ["dd", ddtTags],
  ["dt", ddtTags],
  ["address", pTag],
  ["article", pTag],
  ["aside", pTag],
  ["blockquote", pTag],
  ["details", pTag],
  ["div", pTag],
  ["dl", pTag],
  ["fieldset", pTag],
  ["figcaption", pTag],
  ["figure", pTag],
  ["footer", pTag],
  ["form", pTag],
  ["header", pTag],
  ["hr", pTag],
  ["main", pTag],
  ["nav", pTag],
  ["ol", pTag],
  ["pre", pTag],
  ["section", pTag],
  ["table", pTag],
  ["ul", pTag],
  ["rt", rtpTags],
  ["rp", rtpTags],
  ["tbody", tableSectionTags],
  ["tfoot", tableSectionTags]
]);
var DOCUMENT_TYPE = "doctype";
var voidElements = /* @__PURE__ */ new Set([
  "area",
  "base",
  "basefont",
  "br",
  "col",
  "command",
  "embed",
  "frame",
  "hr",
  "img",
  "input",
  "isindex",
  "keygen",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr"
]);
var foreignContextElements = /* @__PURE__ */ new Set(["math", "svg"]);
var htmlIntegrationElements = /* @__PURE__ */ new Set([
  "mi",
  "mo",
  "mn",
  "ms",
  "mtext",
  "annotation-xml",
  "foreignObject",
  "desc",
  "title"
]);
var svgTagNameAdjustments = /* @__PURE__ */ new Map([
  ["altglyph", "altGlyph"],
  ["altglyphdef", "altGlyphDef"],
  ["altglyphitem", "altGlyphItem"],
  ["animatecolor", "animateColor"],
  ["animatemotion", "animateMotion"],
  ["animatetransform", "animateTransform"],
  ["clippath", "clipPath"],
  ["feblend", "feBlend"],
  ["fecolormatrix", "feColorMatrix"],
  ["fecomponenttransfer", "feComponentTransfer"],
  ["fecomposite", "feComposite"],
  ["feconvolvematrix", "feConvolveMatrix"],
  ["fediffuselighting", "feDiffuseLighting"],
  ["fedisplacementmap", "feDisplacementMap"],
  ["fedistantlight", "feDistantLight"],
  ["fedropshadow", "feDropShadow"],
  ["feflood", "feFlood"],
  ["fefunca", "feFuncA"],
  ["fefuncb", "feFuncB"],
  ["fefuncg", "feFuncG"],
  ["fefuncr", "feFuncR"],
  ["fegaussianblur", "feGaussianBlur"],
  ["feimage", "feImage"],
  ["femerge", "feMerge"],
  ["femergenode", "feMergeNode"],
  ["femorphology", "feMorphology"],
  ["feoffset", "feOffset"],
  ["fepointlight", "fePointLight"],
  ["fespecularlighting", "feSpecularLighting"],
  ["fespotlight", "feSpotLight"],
  ["fetile", "feTile"],
  ["feturbulence", "feTurbulence"],
  ["foreignobject", "foreignObject"],
  ["glyphref", "glyphRef"],
  ["lineargradient", "linearGradient"],
  ["radialgradient", "radialGradient"],
  ["textpath", "textPath"]
]);
var ForeignContext;
(function(ForeignContext2) {
  ForeignContext2[ForeignContext2["None"] = 0] = "None";
  ForeignContext2[ForeignContext2["Svg"] = 1] = "Svg";
  ForeignContext2[ForeignContext2["MathML"] = 2] = "MathML";
})(ForeignContext || (ForeignContext = {}));
var reNameEnd = /\s|\//;
var Parser = class {
  options;
  /** The start index of the last event. */
  startIndex = 0;
  /** The end index of the last event. */
  endIndex = 0;
  /**
   * Store the start index of the current open tag,
   * so we can update the start index for attributes.
   */
  openTagStart = 0;
  tagname = "";
  attribname = "";
  attribvalue = "";
  attribs = null;
  stack = [];
  foreignContext;
  cbs;
  lowerCaseTagNames;
  lowerCaseAttributeNames;
  recognizeSelfClosing;
  /** We are parsing HTML. Inverse of the `xmlMode` option. */
  htmlMode;
  tokenizer;
  buffers = [];
  bufferOffset = 0;
  /** The index of the last written buffer. Used when resuming after a `pause()`. */
  writeIndex = 0;
  /** Indicates whether the parser has finished running / `.end` has been called. */
  ended = false;
  constructor(cbs, options = {}) {
    this.options = options;
    this.cbs = cbs ?? {};
    this.htmlMode = !this.options.xmlMode;
    this.lowerCaseTagNames = options.lowerCaseTags ?? this.htmlMode;
    this.lowerCaseAttributeNames = options.lowerCaseAttributeNames ?? this.htmlMode;
    this.recognizeSelfClosing = options.recognizeSelfClosing ?? !this.htmlMode;
    this.tokenizer = new (options.Tokenizer ?? Tokenizer2)(this.options, this);
    this.foreignContext = [ForeignContext.None];
    this.cbs.onparserinit?.(this);
  }
  // Tokenizer event handlers
  /**
   * @param start Start index for the current parser event.
   * @param endIndex End index for the current parser event.
   * @internal
   */
  ontext(start, endIndex) {
    const data = this.getSlice(start, endIndex);
    this.endIndex = endIndex - 1;
    this.cbs.ontext?.(data);
    this.startIndex = endIndex;
  }
  /**
   * @param cp Current Unicode code point.
   * @param endIndex End index for the current parser event.
   * @internal
   */
  ontextentity(cp2, endIndex) {
    this.endIndex = endIndex - 1;
    this.cbs.ontext?.(fromCodePoint(cp2));
    this.startIndex = endIndex;
  }
  /** @internal */
  isInForeignContext() {
    return this.foreignContext[0] !== ForeignContext.None;
  }
  /**
   * Checks if the current tag is a void element. Override this if you want
   * to specify your own additional void elements.
   * @param name Name of the pseudo selector.
   */
  isVoidElement(name) {
    return this.htmlMode && voidElements.has(name);
  }
  /**
   * Read a tag name from the buffer.
   *
   * When `lowerCaseTagNames` is enabled (the default in HTML mode), the name
   * is lowercased and may be adjusted for SVG casing or the `image` → `img`
   * alias.
   * @param start Start index of the tag name in the buffer.
   * @param endIndex End index of the tag name in the buffer.
   */
  readTagName(start, endIndex) {
    const name = this.lowerCaseTagNames ? this.getSlice(start, endIndex).toLowerCase() : this.getSlice(start, endIndex);
    if (!(this.lowerCaseTagNames && this.htmlMode)) {
      return name;
    }
    if (this.foreignContext[0] === ForeignContext.Svg) {
      return svgTagNameAdjustments.get(name) ?? name;
    }
    if (this.foreignContext.length > 1) {
      const adjusted = svgTagNameAdjustments.get(name);
      if (adjusted !== void 0 && this.stack.includes(adjusted)) {
        return adjusted;
      }
    }
    if (!this.isInForeignContext()) {
      return name === "image" ? "img" : name;
    }
    return name;
  }
  /**
   * @param start Start index for the current parser event.
   * @param endIndex End index for the current parser event.
   * @internal
   */
  onopentagname(start, endIndex) {
    this.endIndex = endIndex;
    this.emitOpenTag(this.readTagName(start, endIndex));
  }
  emitOpenTag(name) {
    this.openTagStart = this.startIndex;
    this.tagname = name;
    if (this.htmlMode && name === "form" && this.stack.includes("form")) {
      this.tagname = "";
      return;
    }
    const impliesClose = this.htmlMode && openImpliesClose.get(name);
    if (impliesClose) {
      while (this.stack.length > 0 && impliesClose.has(this.stack[0])) {
        this.popElement(true);
      }
    }
    if (!this.isVoidElement(name)) {
      this.stack.unshift(name);
      if (this.htmlMode) {
        if (name === "svg") {
          this.foreignContext.unshift(ForeignContext.Svg);
        } else if (name === "math") {
          this.foreignContext.unshift(ForeignContext.MathML);
        } else if (htmlIntegrationElements.has(name)) {
          this.foreignContext.unshift(ForeignContext.None);
        }
      }
    }
    this.cbs.onopentagname?.(name);
    if (this.cbs.onopentag)
      this.attribs = {};
  }
  endOpenTag(isImplied) {
    this.startIndex = this.openTagStart;
    if (this.attribs) {
      this.cbs.onopentag?.(this.tagname, this.attribs, isImplied);
      this.attribs = null;
    }
    if (this.cbs.onclosetag && this.isVoidElement(this.tagname)) {
      this.cbs.onclosetag(this.tagname, true);
    }
    this.tagname = "";
  }
  /**
   * @param endIndex End index for the current parser event.
   * @internal
   */
  onopentagend(endIndex) {
    this.endIndex = endIndex;
    this.endOpenTag(false);
    this.startIndex = endIndex + 1;
  }
  /**
   * @param start Start index for the current parser event.
   * @param endIndex End index for the current parser event.
   * @internal
   */
  onclosetag(start, endIndex) {
    this.endIndex = endIndex;
    const name = this.readTagName(start, endIndex);
    if (!this.isVoidElement(name)) {
      const pos = this.stack.indexOf(name);
      if (pos !== -1) {
        for (let index = 0; index < pos; index++) {
          this.popElement(true);
        }
        this.popElement(false);
      } else if (this.htmlMode && name === "p") {
        this.emitOpenTag("p");
        this.closeCurrentTag(true);
      }
    } else if (this.htmlMode && name === "br") {
      this.cbs.onopentagname?.("br");
      this.cbs.onopentag?.("br", {}, true);
      this.cbs.onclosetag?.("br", false);
    }
    this.startIndex = endIndex + 1;
  }
  /**
   * @param endIndex End index for the current parser event.
   * @internal
   */
  onselfclosingtag(endIndex) {
    this.endIndex = endIndex;
    if (this.recognizeSelfClosing || this.isInForeignContext()) {
      this.closeCurrentTag(false);
      this.startIndex = endIndex + 1;
    } else {
      this.onopentagend(endIndex);
    }
  }
  /**
   * Pop the top element off the stack, emit a close event, and maintain
   * the foreign context stack.
   * @param implied Whether this close is implied (not from an explicit end tag).
   */
  popElement(implied) {
    const element = this.stack.shift();
    if (this.htmlMode && (foreignContextElements.has(element) || htmlIntegrationElements.has(element))) {
      this.foreignContext.shift();
    }
    this.cbs.onclosetag?.(element, implied);
  }
  closeCurrentTag(isOpenImplied) {
    const name = this.tagname;
    this.endOpenTag(isOpenImplied);
    if (this.stack[0] === name) {
      this.popElement(!isOpenImplied);
    }
  }
  /**
   * @param start Start index for the current parser event.
   * @param endIndex End index for the current parser event.
   * @internal
   */
  onattribname(start, endIndex) {
    this.startIndex = start;
    const name = this.getSlice(start, endIndex);
    this.attribname = this.lowerCaseAttributeNames ? name.toLowerCase() : name;
  }
  /**
   * @param start Start index for the current parser event.
   * @param endIndex End index for the current parser event.
   * @internal
   */
  onattribdata(start, endIndex) {
    this.attribvalue += this.getSlice(start, endIndex);
  }
  /**
   * @param cp Current Unicode code point.
   * @internal
   */
  onattribentity(cp2) {
    this.attribvalue += fromCodePoint(cp2);
  }
  /**
   * @param quote Quote type used for the current attribute.
   * @param endIndex End index for the current parser event.
   * @internal
   */
  onattribend(quote, endIndex) {
    this.endIndex = endIndex;
    this.cbs.onattribute?.(this.attribname, this.attribvalue, quote === QuoteType.Double ? '"' : quote === QuoteType.Single ? "'" : quote === QuoteType.NoValue ? void 0 : null);
    if (this.attribs && !Object.hasOwn(this.attribs, this.attribname)) {
      this.attribs[this.attribname] = this.attribvalue;
    }
    this.attribvalue = "";
  }
  getInstructionName(value) {
    const index = value.search(reNameEnd);
    let name = index < 0 ? value : value.substr(0, index);
    if (this.lowerCaseTagNames) {
      name = name.toLowerCase();
    }
    return name;
  }
  /**
   * @param start Start index for the current parser event.
   * @param endIndex End index for the current parser event.
   * @internal
   */
  ondeclaration(start, endIndex) {
    this.endIndex = endIndex;
    const value = this.getSlice(start, endIndex);
    if (this.cbs.onprocessinginstruction) {
      const name = this.htmlMode ? this.lowerCaseTagNames ? DOCUMENT_TYPE : value.slice(0, DOCUMENT_TYPE.length) : this.getInstructionName(value);
      this.cbs.onprocessinginstruction(`!${name}`, `!${value}`);
    }
    this.startIndex = endIndex + 1;
  }
  /**
   * @param start Start index for the current parser event.
   * @param endIndex End index for the current parser event.
   * @internal
   */
  onprocessinginstruction(start, endIndex) {
    this.endIndex = endIndex;
    const value = this.getSlice(start, endIndex);
    if (this.cbs.onprocessinginstruction) {
      const name = this.getInstructionName(value);
      this.cbs.onprocessinginstruction(`?${name}`, `?${value}`);
    }
    this.startIndex = endIndex + 1;
  }
  /**
   * @param start Start index for the current parser event.
   * @param endIndex End index for the current parser event.
   * @param offset Offset applied when computing parser indices.
   * @internal
   */
  oncomment(start, endIndex, offset) {
    this.endIndex = endIndex;
    this.cbs.oncomment?.(this.getSlice(start, endIndex - offset));
    this.cbs.oncommentend?.();
    this.startIndex = endIndex + 1;
  }
  /**
   * @param start Start index for the current parser event.
   * @param endIndex End index for the current parser event.
   * @param offset Offset applied when computing parser indices.
   * @internal
   */
  oncdata(start, endIndex, offset) {
    this.endIndex = endIndex;
    const value = this.getSlice(start, endIndex - offset);
    if (!this.htmlMode || this.options.recognizeCDATA) {
      this.cbs.oncdatastart?.();
      this.cbs.ontext?.(value);
      this.cbs.oncdataend?.();
    } else if (this.isInForeignContext()) {
      this.cbs.ontext?.(value);
    } else {
      this.cbs.oncomment?.(`[CDATA[${value}]]`);
      this.cbs.oncommentend?.();
    }
    this.startIndex = endIndex + 1;
  }
  /** @internal */
  onend() {
    if (this.cbs.onclosetag) {
      this.endIndex = this.startIndex;
      for (let index = 0; index < this.stack.length; index++) {
        this.cbs.onclosetag(this.stack[index], true);
      }
    }
    this.cbs.onend?.();
  }
  /**
   * Resets the parser to a blank state, ready to parse a new HTML document
   */
  reset() {
    this.cbs.onreset?.();
    this.tokenizer.reset();
    this.tagname = "";
    this.attribname = "";
    this.attribvalue = "";
    this.attribs = null;
    this.stack.length = 0;
    this.startIndex = 0;
    this.endIndex = 0;
    this.cbs.onparserinit?.(this);
    this.buffers.length = 0;
    this.foreignContext.length = 0;
    this.foreignContext.unshift(ForeignContext.None);
    this.bufferOffset = 0;
    this.writeIndex = 0;
    this.ended = false;
  }
  /**
   * Resets the parser, then parses a complete document and
   * pushes it to the handler.
   * @param data Document to parse.
   */
  parseComplete(data) {
    this.reset();
    this.end(data);
  }
  getSlice(start, end) {
    if (start === end) {
      return "";
    }
    while (start - this.bufferOffset >= this.buffers[0].length) {
      this.shiftBuffer();
    }
    let slice = this.buffers[0].slice(start - this.bufferOffset, end - this.bufferOffset);
    while (end - this.bufferOffset > this.buffers[0].length) {
      this.shiftBuffer();
      slice += this.buffers[0].slice(0, end - this.bufferOffset);
    }
    return slice;
  }
  shiftBuffer() {
    this.bufferOffset += this.buffers[0].length;
    this.writeIndex--;
    this.buffers.shift();
  }
  /**
   * Parses a chunk of data and calls the corresponding callbacks.
   * @param chunk Chunk to parse.
   */
  write(chunk) {
    if (this.ended) {
      this.cbs.onerror?.(new Error(".write() after done!"));
      return;
    }
    this.buffers.push(chunk);
    if (this.tokenizer.running) {
      this.tokenizer.write(chunk);
      this.writeIndex++;
    }
  }
  /**
   * Parses the end of the buffer and clears the stack, calls onend.
   * @param chunk Optional final chunk to parse.
   */
  end(chunk) {
    if (this.ended) {
      this.cbs.onerror?.(new Error(".end() after done!"));
      return;
    }
    if (chunk)
      this.write(chunk);
    this.ended = true;
    this.tokenizer.end();
  }
  /**
   * Pauses parsing. The parser won't emit events until `resume` is called.
   */
  pause() {
    this.tokenizer.pause();
  }
  /**
   * Resumes parsing after `pause` was called.
   */
  resume() {
    this.tokenizer.resume();
    while (this.tokenizer.running && this.writeIndex < this.buffers.length) {
      this.tokenizer.write(this.buffers[this.writeIndex++]);
    }
    if (this.ended)
      this.tokenizer.end();
  }
};

// src/domain/package-index/parse-html.ts
function parseHtmlPage(body, pageUrl) {
  if (body.includes("\0")) throw indexError(pageUrl, "the page holds binary data, not HTML");
  const anchors = [];
  let base = pageUrl;
  let tags = 0;
  let repositoryVersion;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        tags++;
        if (name === "a" && attrs.href !== void 0) anchors.push({ href: attrs.href, attrs });
        else if (name === "base" && attrs.href) base = resolveLink(attrs.href, pageUrl, "<base href>");
        else if (name === "meta" && attrs.name === "pypi:repository-version") repositoryVersion = attrs.content;
      }
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }
  );
  parser.write(body);
  parser.end();
  if (tags === 0 && body.trim() !== "") throw indexError(pageUrl, "the page has no HTML markup (expected a PEP 503 project page)");
  if (repositoryVersion !== void 0) {
    const major = Number(repositoryVersion.split(".")[0]);
    if (major !== 1) throw indexError(pageUrl, `unsupported pypi:repository-version ${JSON.stringify(repositoryVersion)} (only 1.x is understood)`);
  }
  const files = anchors.map((a2) => {
    const url = resolveLink(a2.href, base, `<a href=${JSON.stringify(a2.href)}>`);
    const hashes = fragmentHashes(a2.href);
    const filename = urlFilename(url);
    const file = {
      filename,
      url,
      hashes,
      yanked: a2.attrs["data-yanked"] === void 0 ? false : a2.attrs["data-yanked"],
      metadata: metadataAttr(a2.attrs["data-core-metadata"] ?? a2.attrs["data-dist-info-metadata"], pageUrl, filename)
    };
    const rp = a2.attrs["data-requires-python"];
    if (rp) file.requiresPython = rp;
    return file;
  });
  return { files };
}
function metadataAttr(value, pageUrl, filename) {
  if (value === void 0) return false;
  const v = value.trim();
  if (v === "" || v.toLowerCase() === "true") return {};
  const m = /^([A-Za-z0-9_]+)=(.*)$/.exec(v);
  if (!m) throw indexError(pageUrl, `${filename}: data-core-metadata=${JSON.stringify(value)} is neither "true" nor "<hash>=<hex>"`);
  return m[1].toLowerCase() === "sha256" ? { sha256: m[2].toLowerCase() } : {};
}

// src/domain/package-index/parse-json.ts
var MetadataFlag = external_exports.union([external_exports.boolean(), external_exports.record(external_exports.string(), external_exports.string())]);
var JsonFile = external_exports.object({
  filename: external_exports.string().min(1),
  url: external_exports.string().min(1),
  hashes: external_exports.record(external_exports.string(), external_exports.string()),
  "requires-python": external_exports.string().nullish(),
  "core-metadata": MetadataFlag.optional(),
  "dist-info-metadata": MetadataFlag.optional(),
  yanked: external_exports.union([external_exports.boolean(), external_exports.string()]).optional(),
  size: external_exports.number().int().nonnegative().optional()
});
var JsonPage = external_exports.object({
  meta: external_exports.object({ "api-version": external_exports.string().regex(/^\d+\.\d+$/, "must look like 1.0") }),
  name: external_exports.string(),
  files: external_exports.array(JsonFile),
  versions: external_exports.array(external_exports.string()).optional()
});
function parseJsonPage(body, pageUrl) {
  let raw;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    throw indexError(pageUrl, `the JSON page does not parse (${e.message})`);
  }
  const parsed = JsonPage.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join(".") || "(root)" : "(root)";
    throw indexError(pageUrl, `the JSON page is not a PEP 691 project page: ${field}: ${issue?.message ?? "invalid"}`);
  }
  const page = parsed.data;
  const major = Number(page.meta["api-version"].split(".")[0]);
  if (major !== 1) throw indexError(pageUrl, `unsupported PEP 691 api-version ${page.meta["api-version"]} (only 1.x is understood)`);
  const base = new URL(pageUrl);
  const files = page.files.map((f, i2) => {
    const hashes = {};
    for (const [k, v] of Object.entries(f.hashes)) hashes[k.toLowerCase()] = v.toLowerCase();
    const meta = f["core-metadata"] ?? f["dist-info-metadata"] ?? false;
    const file = {
      filename: f.filename,
      url: resolveLink(f.url, base, `files.${i2}.url`),
      hashes,
      yanked: f.yanked === void 0 || f.yanked === false ? false : f.yanked === true ? "" : f.yanked,
      metadata: meta === false ? false : meta === true ? {} : meta.sha256 ? { sha256: meta.sha256.toLowerCase() } : {}
    };
    if (f["requires-python"]) file.requiresPython = f["requires-python"];
    if (f.size !== void 0) file.size = f.size;
    return file;
  });
  return { name: page.name, files, ...page.versions ? { versions: page.versions } : {} };
}

// src/domain/package-index/project-files.ts
var SHA2562 = /^[0-9a-f]{64}$/;
function distVersion(filename, project) {
  try {
    if (isWheel(filename)) {
      const w = parseWheelFilename(filename);
      return w.name === normalizeName(project) ? w.version : void 0;
    }
    if (isSdist(filename)) return parseSdistFilename(filename, project).version;
  } catch {
    return void 0;
  }
  return void 0;
}
function pageToFiles(page, project, pageUrl, index) {
  const files = [];
  const fileVersions = [];
  const versions = [];
  const skipped = [];
  for (const v of page.versions ?? []) {
    const n2 = normalizeVersion(v);
    if (n2 !== null) versions.push(n2);
  }
  for (const f of page.files) {
    if (!f.filename || /[/\\\0]/.test(f.filename) || f.filename === "." || f.filename === "..") {
      skipped.push({ filename: f.filename, index, reason: "not a plain file name" });
      continue;
    }
    if (!isWheel(f.filename) && !isSdist(f.filename)) {
      skipped.push({ filename: f.filename, index, reason: "not a wheel or sdist" });
      continue;
    }
    const version = distVersion(f.filename, project);
    if (version === void 0) {
      skipped.push({ filename: f.filename, index, reason: `not a valid distribution file name of ${project}` });
      continue;
    }
    const sha2562 = f.hashes.sha256;
    if (sha2562 !== void 0 && !SHA2562.test(sha2562)) throw indexError(pageUrl, `${f.filename}: sha256 ${JSON.stringify(sha2562)} is not 64 hex digits`);
    const metaSha = f.metadata === false ? void 0 : f.metadata.sha256;
    if (metaSha !== void 0 && !SHA2562.test(metaSha)) {
      throw indexError(pageUrl, `${f.filename}: metadata sha256 ${JSON.stringify(metaSha)} is not 64 hex digits`);
    }
    const file = {
      filename: f.filename,
      url: f.url,
      yanked: f.yanked,
      metadata: f.metadata === false ? false : metaSha ? { sha256: metaSha } : {},
      index
    };
    if (sha2562 !== void 0) file.sha256 = sha2562;
    if (f.size !== void 0) file.size = f.size;
    if (f.requiresPython !== void 0) file.requiresPython = f.requiresPython;
    const normalized2 = normalizeVersion(version) ?? version;
    files.push(file);
    fileVersions.push(normalized2);
    versions.push(normalized2);
  }
  return { files, fileVersions, versions: [...new Set(versions)], skipped };
}
function sortVersions(versions) {
  return [...new Set(versions)].filter(isValidVersion).sort(versionCompare);
}

// src/domain/package-index/project-page.ts
var ProjectPage = class _ProjectPage {
  constructor(header, blob) {
    this.header = header;
    this.blob = blob;
  }
  header;
  blob;
  /** Releases parsed so far (most pages are asked for one). */
  parsed;
  get url() {
    return this.header.url;
  }
  get format() {
    return this.header.format;
  }
  /** Versions the page names (PEP 700 `versions` and file names), normalized, unsorted. */
  get versions() {
    return this.header.versions;
  }
  get skipped() {
    return this.header.skipped;
  }
  /** Releases with files, in the order the page first lists them. */
  get releases() {
    return this.header.releases.map(([v]) => v);
  }
  /** Files of one normalized version, in page order; empty when the page has none. */
  release(version) {
    const known = this.parsed?.get(version);
    if (known) return known;
    let files = [];
    let at = 0;
    for (const [v, bytes] of this.header.releases) {
      if (v === version) {
        files = JSON.parse(this.blob.toString("utf8", at, at + bytes));
        break;
      }
      at += bytes;
    }
    (this.parsed ??= /* @__PURE__ */ new Map()).set(version, files);
    return files;
  }
  /** Built from freshly parsed page files. */
  static fromFiles(files, url, format2) {
    const groups = /* @__PURE__ */ new Map();
    files.files.forEach((f, i2) => {
      const v = files.fileVersions[i2];
      const list = groups.get(v);
      if (list) list.push(f);
      else groups.set(v, [f]);
    });
    const chunks = [...groups.values()].map((list) => Buffer.from(JSON.stringify(list)));
    const header = {
      url,
      format: format2,
      versions: files.versions,
      skipped: files.skipped,
      releases: [...groups.keys()].map((v, i2) => [v, chunks[i2].length])
    };
    const page = new _ProjectPage(header, Buffer.concat(chunks));
    page.parsed = groups;
    return page;
  }
  encode() {
    return { head: this.header, data: this.blob };
  }
  /** The stored form back, or undefined when it is not this format or its parts disagree. */
  static decode(head, data) {
    const h2 = head;
    let bytes = 0;
    const ok = typeof h2 === "object" && h2 !== null && typeof h2.url === "string" && (h2.format === "json" || h2.format === "html") && Array.isArray(h2.versions) && Array.isArray(h2.skipped) && Array.isArray(h2.releases) && h2.releases.every((r) => Array.isArray(r) && typeof r[0] === "string" && Number.isInteger(r[1]) && (bytes += r[1]) >= 0) && bytes === data.length;
    return ok ? new _ProjectPage(h2, data) : void 0;
  }
};

// src/domain/package-index/client.ts
var SIMPLE_ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";
var JSON_TYPES = /* @__PURE__ */ new Set(["application/vnd.pypi.simple.v1+json", "application/vnd.pypi.simple.latest+json", "application/json"]);
var HTML_TYPES = /* @__PURE__ */ new Set(["application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.latest+html", "text/html"]);
var PAGE_RESULT_FORMAT = 3;
var IndexClient = class {
  http;
  indexes;
  cache;
  /** Each project's pages, per index: the value once known, the promise while fetching. */
  pages = /* @__PURE__ */ new Map();
  metadata = /* @__PURE__ */ new Map();
  constructor(options) {
    if (options.indexes.length === 0) throw new RefineryError("config", "no package index configured", { fix: "configure at least one index URL" });
    this.http = options.http ?? new HttpClient(options.httpOptions);
    this.indexes = options.indexes.map((ix) => this.register(ix));
    this.cache = options.cacheDir ? new HttpCache(options.cacheDir, this.http) : void 0;
  }
  /**
   * Files and versions of a project from every index; `found: false` when none knows it.
   * Answers are remembered for the client's lifetime (a scan asks for the same project once per
   * target); `forget()` drops them. Failures are not remembered.
   */
  async getProject(name) {
    const project = normalizeName(name);
    const perIndex = await this.projectPages(project);
    const out = { name: project, found: false, files: [], versions: [], sources: [], skipped: [] };
    const versions = [];
    for (const [i2, page] of perIndex.entries()) {
      if (!page) continue;
      out.found = true;
      out.sources.push({ index: this.indexes[i2], format: page.format });
      for (const v of page.releases) out.files.push(...page.release(v));
      out.skipped.push(...page.skipped);
      versions.push(...page.versions);
    }
    out.versions = sortVersions(versions);
    return out;
  }
  /**
   * Files of one release (a normalized version) from every index, primary first: what a scan asks
   * for. Only that release is parsed from the cached pages.
   */
  async getRelease(name, version) {
    return this.releaseNow(name, version) ?? releaseOf(await this.projectPages(normalizeName(name)), version);
  }
  /**
   * getRelease's answer when it needs no request: the project's pages are remembered, or fresh in
   * the cache on every index. Undefined otherwise. A warm scan gets all its answers this way,
   * without a promise per step (see HttpCache.freshDerived).
   */
  releaseNow(name, version) {
    const pages = this.pagesNow(normalizeName(name));
    return pages && releaseOf(pages, version);
  }
  /** Each index's page of the project (undefined where the index does not know it), remembered. */
  projectPages(project) {
    const now = this.pagesNow(project);
    if (now) return Promise.resolve(now);
    let pending = this.pages.get(project);
    if (!pending) {
      pending = Promise.all(this.indexes.map((ix) => this.fetchProjectPage(ix, project)));
      this.pages.set(project, pending);
      pending.then(
        (pages) => this.pages.get(project) === pending && this.pages.set(project, pages),
        () => this.pages.get(project) === pending && this.pages.delete(project)
      );
    }
    return pending;
  }
  pagesNow(project) {
    const known = this.pages.get(project);
    if (known) return known instanceof Promise ? void 0 : known;
    if (!this.cache) return void 0;
    const pages = [];
    for (const index of this.indexes) {
      const page = this.cache.freshDerived(`${index}${project}/`, { accept: SIMPLE_ACCEPT }, this.pageDerivation(index, project));
      if (!page) return void 0;
      pages.push(page);
    }
    this.pages.set(project, pages);
    return pages;
  }
  /**
   * Store the parsed pages this client fetched or revalidated (the cache's pack file, see
   * HttpCache.savePack). Call when a scan is done, also a failed one: until then they live in
   * memory only.
   */
  saveCache() {
    this.cache?.savePack();
  }
  /** Drop remembered answers (all, or one project's page), e.g. after the index changed. */
  forget(name) {
    if (name === void 0) {
      this.pages.clear();
      this.metadata.clear();
    } else this.pages.delete(normalizeName(name));
  }
  /**
   * Core metadata of a file: the PEP 658 metadata file when the index has one (hash-checked), else
   * METADATA from the wheel or PKG-INFO from the sdist (downloaded, hash-checked, cached).
   */
  getMetadata(file) {
    return this.memo(this.metadata, `${file.url}#${file.sha256 ?? ""}`, () => this.loadMetadata(file));
  }
  async loadMetadata(file) {
    const wheel = isWheel(file.filename);
    if (file.metadata !== false) {
      const text = await this.fetchMetadataFile(file);
      if (text !== void 0) return metadataResult(text, "pep658", file);
    }
    return this.withLocalCopy(
      file,
      async (path7) => wheel ? metadataResult(await readWheelMetadata(path7, file.filename), "wheel", file) : metadataResult(await readSdistPkgInfo(path7, file.filename), "sdist", file)
    );
  }
  /** `[build-system] requires` of an sdist (pip's default ["setuptools>=40.8.0"] when absent). */
  async getBuildRequires(sdistFile) {
    if (isWheel(sdistFile.filename)) throw new RefineryError("input", `${sdistFile.filename} is a wheel, not an sdist: it has no build requirements`);
    return this.withLocalCopy(sdistFile, (path7) => readSdistBuildRequires(path7, sdistFile.filename));
  }
  /** The sdist's compiled sources (bytes by language, tests and data left out): what a build estimate weighs. */
  async getSdistSource(sdistFile) {
    if (isWheel(sdistFile.filename)) throw new RefineryError("input", `${sdistFile.filename} is a wheel, not an sdist`);
    return this.withLocalCopy(sdistFile, (path7) => readSdistSource(path7, sdistFile.filename));
  }
  /**
   * Download a file into `destDir` (created when missing) and return its path. The sha256 and
   * size the index published are checked; on a mismatch nothing is left behind. Files without a
   * published hash are downloaded unverified (as pip does without --require-hashes).
   */
  async download(file, destDir) {
    const dest = join16(destDir, safeFilename(file));
    const expected = { sha256: file.sha256, size: file.size };
    if (this.cache && file.sha256)
      await copyVerified(await this.cache.fetchBlob(file.url, file.sha256, file.size), dest, expected, { name: redactUrl(file.url) });
    else await downloadVerified(this.http, file.url, dest, expected);
    return dest;
  }
  memo(map, key, load2) {
    const known = map.get(key);
    if (known) return known;
    const p = load2();
    map.set(key, p);
    p.catch(() => map.delete(key));
    return p;
  }
  register(ix) {
    let u2;
    try {
      u2 = new URL(ix.url);
    } catch {
      throw new RefineryError("config", `index URL ${JSON.stringify(redactUrl(ix.url))} is not a valid URL`, { fix: "use e.g. https://pypi.org/simple/" });
    }
    if (u2.protocol !== "http:" && u2.protocol !== "https:") {
      throw new RefineryError("config", `index URL ${redactUrl(ix.url)} must be http(s)`, { fix: "use e.g. https://pypi.org/simple/" });
    }
    const auth = ix.auth ?? (u2.username || u2.password ? { kind: "basic", username: decodeURIComponent(u2.username), password: decodeURIComponent(u2.password) } : void 0);
    u2.username = "";
    u2.password = "";
    u2.hash = "";
    if (!u2.pathname.endsWith("/")) u2.pathname += "/";
    if (auth) this.http.addCredential({ prefix: `${u2.origin}/`, auth });
    return u2.toString();
  }
  /**
   * With a cache, the parsed form of a page is what is kept (not the page), so a warm scan skips
   * reading, parsing and validating thousands of links again.
   */
  pageDerivation(index, project) {
    return {
      id: `project-page-${PAGE_RESULT_FORMAT}`,
      fn: (page) => parsePage(page, project, index),
      encode: (p) => p.encode(),
      decode: (head, data) => ProjectPage.decode(head, data)
    };
  }
  async fetchProjectPage(index, project) {
    const url = `${index}${project}/`;
    const derive = this.pageDerivation(index, project);
    const page = this.cache ? await this.cache.getDerived(url, { accept: SIMPLE_ACCEPT }, derive) : await this.http.get(url, { headers: { accept: SIMPLE_ACCEPT } }).then((r) => {
      const answer = { status: r.status, url: r.url, contentType: r.headers.get("content-type") ?? void 0, body: r.body };
      return r.status === 200 ? { status: r.status, derived: derive.fn(answer) } : { status: r.status };
    });
    if (page.status === 404 || page.status === 410) return void 0;
    if (page.status === 401 || page.status === 403) {
      throw new RefineryError("index", `${redactUrl(url)}: access refused (HTTP ${page.status})`, {
        fix: "configure credentials for this index (user:password in the URL or a token)"
      });
    }
    if (page.status === 407) {
      throw new RefineryError("index", `${redactUrl(url)}: the proxy asks for credentials (HTTP 407)`, {
        fix: "put them in the proxy variable: HTTPS_PROXY=http://user:password@proxy:port (or HTTP_PROXY for http:// indexes)"
      });
    }
    if (page.status !== 200 || !page.derived) throw indexError(url, `unexpected HTTP ${page.status}`);
    return page.derived;
  }
  async fetchMetadataFile(file) {
    if (file.metadata === false) return void 0;
    const url = `${file.url}.metadata`;
    const want = file.metadata.sha256;
    let body;
    if (this.cache) {
      body = await this.cache.getImmutable(url, want);
    } else {
      const res = await this.http.get(url);
      if (res.status === 404 || res.status === 410) return void 0;
      if (res.status !== 200) throw indexError(url, `unexpected HTTP ${res.status} for the PEP 658 metadata file`);
      body = res.body;
      verifyBytes(
        body,
        { sha256: want },
        { name: redactUrl(url), fix: "the metadata file does not match the index page; retry, and report it to the index operator if it persists" }
      );
    }
    return body?.toString("utf8");
  }
  /** A local, hash-checked copy of a file for reading members: from the cache, or a temp dir. */
  async withLocalCopy(file, use) {
    if (this.cache && file.sha256) return use(await this.cache.fetchBlob(file.url, file.sha256, file.size));
    const dir = await mkdtemp3(join16(tmpdir2(), "refinery-dist-"));
    try {
      return await use(await this.download(file, dir));
    } finally {
      await rm5(dir, { recursive: true, force: true });
    }
  }
};
function releaseOf(pages, version) {
  const files = [];
  for (const page of pages) if (page) files.push(...page.release(version));
  return files;
}
function parsePage(page, project, index) {
  const type = (page.contentType ?? "text/html").split(";")[0].trim().toLowerCase();
  const format2 = JSON_TYPES.has(type) ? "json" : HTML_TYPES.has(type) ? "html" : void 0;
  if (!format2) throw indexError(page.url, `unexpected content type ${JSON.stringify(type)} (expected PEP 691 JSON or PEP 503 HTML)`);
  const body = page.body.toString("utf8");
  const parsed = format2 === "json" ? parseJsonPage(body, page.url) : parseHtmlPage(body, page.url);
  return ProjectPage.fromFiles(pageToFiles(parsed, project, page.url, index), page.url, format2);
}
function metadataResult(text, source, file) {
  const metadata = parseCoreMetadata(text, source === "pep658" ? `${file.filename}.metadata` : file.filename);
  const kind = isWheel(file.filename) ? "wheel" : "sdist";
  return { text, metadata, source, dynamic: !staticRequiresDist(metadata, kind), file };
}
function safeFilename(file) {
  const name = file.filename;
  if (!name || /[/\\\0]/.test(name) || name === "." || name === "..") {
    throw new RefineryError("index", `refusing to write a file named ${JSON.stringify(name)} from ${redactUrl(file.url)}`, {
      fix: "the index lists a file name that is a path; report it to the index operator"
    });
  }
  return name;
}

// src/stages/scan/classify.ts
function interpreterVersion(python) {
  return DEFAULT_PATCH[python] ?? `${python}.0`;
}
function chooseSdist(files, python, isSdist2) {
  const full = interpreterVersion(python);
  const sdists = files.filter((f) => isSdist2(f.filename) && f.yanked === false && (!f.requiresPython || satisfies(full, f.requiresPython)));
  return sdists.find((f) => f.filename.endsWith(".tar.gz")) ?? sdists[0];
}
function noSdistReason(files, python, targetId2, isSdist2) {
  const full = interpreterVersion(python);
  const wheels = files.filter((f) => f.filename.endsWith(".whl"));
  const excludedByPython = files.find((f) => f.requiresPython && !satisfies(full, f.requiresPython));
  if (files.length === 0) return "no files for this version on any index";
  if (excludedByPython && isSdist2(excludedByPython.filename)) return `its sdist requires Python ${excludedByPython.requiresPython}`;
  if (files.some((f) => isSdist2(f.filename) && f.yanked !== false)) return "its only sdist is yanked";
  return `no sdist, and none of its ${wheels.length} wheel(s) fits ${targetId2}`;
}
async function classify(c3, target, targetId2, excludedRule, deps) {
  const base = { name: c3.name, version: c3.version, python: target.python, target: targetId2, depth: c3.depth, requiredBy: c3.requiredBy };
  if (excludedRule) return { ...base, status: "excluded", rule: excludedRule, reason: excludedRule };
  const got = deps.filesOf(c3.name, c3.version);
  const files = Array.isArray(got) ? got : await got;
  const wheel = deps.bestWheel(files, target);
  if (wheel) return { ...base, status: "upstream-wheel", wheel, reason: wheel.filename };
  const sdist = chooseSdist(files, target.python, deps.isSdist);
  const built = deps.built(c3.name, c3.version, target);
  if (built) return { ...base, status: "built", ref: built.filename, ...sdist ? { sdist } : {}, reason: `built by the refinery: ${built.filename}` };
  if (!sdist) return { ...base, status: "no-source", reason: noSdistReason(files, target.python, targetId2, deps.isSdist) };
  const failing = deps.knownFailing(c3.name, c3.version, target);
  if (failing) return { ...base, status: "known-failing", ref: failing.attempt, sdist, reason: `failed: ${failing.reason} (${failing.attempt})` };
  const abi = files.some((f) => f.filename.endsWith(".whl") && deps.wheelAbi(f.filename) === "abi3") ? "abi3" : deps.knownPure(c3.name) ? "none" : "cpython";
  const buildRequires = await deps.buildRequires(sdist);
  const source = deps.sdistSource ? await deps.sdistSource(sdist) : void 0;
  return { ...base, status: "needs-build", sdist, abi, buildRequires, ...source ? { source } : {}, reason: sdist.filename };
}

// src/stages/scan/exclude.ts
function excludedBy(name, version, include, exclude) {
  for (const rule of exclude) {
    const pattern = typeof rule === "string" ? rule : rule.pattern;
    if (matches(pattern, name, version)) {
      const why = typeof rule === "string" ? "" : rule.reason ? `: ${rule.reason}` : "";
      return `exclude '${pattern}'${why}`;
    }
  }
  if (include.length > 0 && !include.some((p) => matches(p, name, version))) {
    return `not matched by include (${include.join(", ")})`;
  }
  return void 0;
}
function matches(pattern, name, version) {
  const [namePart, versionPart] = pattern.split("==", 2);
  if (versionPart !== void 0 && versionPart.trim() !== version) return false;
  const normalized2 = namePart.trim().toLowerCase().replace(/[-_.]+/g, "-");
  const re = new RegExp(
    `^${normalized2.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`
  );
  return re.test(name);
}

// src/stages/scan/resolve.ts
import { mkdtemp as mkdtemp4, rm as rm6, writeFile as writeFile4 } from "node:fs/promises";
import { tmpdir as tmpdir3 } from "node:os";
import { join as join17 } from "node:path";
var TOP = "<top>";
async function resolveUniversal(req) {
  const dir = await mkdtemp4(join17(tmpdir3(), "refinery-resolve-"));
  try {
    const input = join17(dir, "requirements.in");
    await writeFile4(input, `${req.requirements.join("\n")}
`);
    const args = [
      "pip",
      "compile",
      input,
      "--universal",
      "--python-version",
      req.python,
      "--no-header",
      "--annotation-style",
      "line",
      // pip merges files from every index; uv's default stops at the first index that has a name.
      "--index-strategy",
      "unsafe-best-match",
      "--no-config",
      "--no-python-downloads",
      "--quiet"
    ];
    if (req.constraints.length > 0) {
      const constraints = join17(dir, "constraints.txt");
      await writeFile4(constraints, `${req.constraints.join("\n")}
`);
      args.push("--constraint", constraints);
    }
    if (req.cacheDir) args.push("--cache-dir", req.cacheDir);
    if (req.excludeNewer) args.push("--exclude-newer", req.excludeNewer);
    const env = {
      UV_INDEX_URL: req.indexUrl,
      UV_NO_PROGRESS: "1"
    };
    if (req.extraIndexUrls.length > 0) env.UV_EXTRA_INDEX_URL = req.extraIndexUrls.join(" ");
    const r = await run(req.uv, args, { env, timeoutMs: req.timeoutMs ?? 6e5 });
    if (r.timedOut) {
      throw new RefineryError("resolution", `uv did not finish resolving for Python ${req.python} in time`, {
        fix: "check the index is reachable, or narrow the requirements"
      });
    }
    if (r.exitCode !== 0) {
      const why = r.stderr.trim().split("\n").slice(0, 12).join("\n  ");
      throw new RefineryError("resolution", `no resolution for Python ${req.python}:
  ${why}`, {
        fix: "relax the conflicting requirements, or check the package names and index URL"
      });
    }
    return parseCompileOutput(r.stdout, input);
  } finally {
    await rm6(dir, { recursive: true, force: true });
  }
}
function parseCompileOutput(text, inputFile) {
  const out = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("-")) continue;
    const hash = line.indexOf("  #");
    const spec = (hash >= 0 ? line.slice(0, hash) : line).trim();
    const comment = hash >= 0 ? line.slice(hash + 3).trim() : "";
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)\s*(?:;\s*(.+))?$/.exec(spec);
    if (!m) {
      throw new RefineryError("resolution", `unexpected line in uv's output: ${line}`, {
        fix: "direct URL and editable requirements are not supported; pin a released version instead"
      });
    }
    const via = [];
    const viaText = comment.replace(/^via\s+/, "");
    if (comment.startsWith("via")) {
      for (const part of viaText.split(",")) {
        const p = part.trim();
        if (!p) continue;
        if (p.startsWith("-r ") || p === inputFile) via.push(TOP);
        else if (p.startsWith("-c "))
          continue;
        else via.push(normalizeName(p.split(/[\s[]/)[0]));
      }
    }
    out.push({ name: normalizeName(m[1]), version: m[2], ...m[3] ? { marker: m[3].trim() } : {}, via });
  }
  return out;
}

// src/stages/scan/expand.ts
function expandForTarget(lines, holds, bounds, targetId2) {
  const applicable = /* @__PURE__ */ new Map();
  for (const line of lines) {
    if (line.marker === void 0 || holds(line.marker)) {
      const prev = applicable.get(line.name);
      if (prev && prev.version !== line.version) {
        throw new RefineryError("resolution", `two versions of ${line.name} (${prev.version}, ${line.version}) apply to ${targetId2}`, {
          fix: "report this: the marker evaluation disagrees with the resolver"
        });
      }
      applicable.set(line.name, line);
    }
  }
  const children = /* @__PURE__ */ new Map();
  for (const line of applicable.values()) {
    for (const parent of line.via) {
      if (parent === TOP) continue;
      const list = children.get(parent) ?? [];
      list.push(line.name);
      children.set(parent, list);
    }
  }
  const depth = /* @__PURE__ */ new Map();
  const queue = [];
  for (const line of applicable.values()) {
    if (line.via.includes(TOP)) {
      depth.set(line.name, 0);
      queue.push(line.name);
    }
  }
  for (let i2 = 0; i2 < queue.length; i2++) {
    const name = queue[i2];
    const d = depth.get(name);
    for (const child of children.get(name) ?? []) {
      if (!depth.has(child)) {
        depth.set(child, d + 1);
        queue.push(child);
      }
    }
  }
  const cut = [];
  const reachable = [];
  for (const line of applicable.values()) {
    const d = depth.get(line.name);
    if (d === void 0) {
      cut.push({ name: line.name, version: line.version, target: targetId2, reason: "required only by packages that do not apply to this target" });
      continue;
    }
    if (d > bounds.maxDepth) {
      cut.push({ name: line.name, version: line.version, target: targetId2, reason: `depth ${d} exceeds expansion.maxDepth ${bounds.maxDepth}` });
      continue;
    }
    const requiredBy = [...new Set(line.via.filter((v) => v !== TOP && applicable.has(v)))].sort();
    reachable.push({ name: line.name, version: line.version, depth: d, requiredBy });
  }
  reachable.sort((a2, b) => a2.depth - b.depth || byCodePoint(a2.name, b.name));
  const kept = reachable.slice(0, bounds.maxPackages);
  for (const e of reachable.slice(bounds.maxPackages)) {
    cut.push({ name: e.name, version: e.version, target: targetId2, reason: `beyond expansion.maxPackages ${bounds.maxPackages} (depth ${e.depth})` });
  }
  kept.sort((a2, b) => byCodePoint(a2.name, b.name));
  cut.sort((a2, b) => byCodePoint(a2.name, b.name));
  return { kept, cut };
}

// src/stages/scan/scan.ts
function targetsOf(config) {
  return config.targets.python.map((python) => ({ python, platform: config.targets.platform, arch: "s390x" }));
}
async function scan(set, config, services) {
  const targets = targetsOf(config);
  const bounds = { maxDepth: config.expansion.maxDepth, maxPackages: config.expansion.maxPackages };
  const cut = [];
  const work = [];
  for (const target of targets) {
    const id = targetId(target);
    const lines = set.locked ? set.locked : await services.resolve(set, target.python);
    const expanded = expandForTarget(lines, (m) => services.markerHolds(m, target), bounds, id);
    cut.push(...expanded.cut);
    for (const e of expanded.kept) work.push({ target, id, ...e });
  }
  let done = 0;
  const packages = await Promise.all(
    work.map(async (w) => {
      const rule = excludedBy(w.name, w.version, config.include, config.exclude);
      const entry = await classify(w, w.target, w.id, rule, services);
      services.onProgress?.(++done, work.length, w.name);
      return entry;
    })
  );
  packages.sort((a2, b) => byCodePoint(a2.name, b.name) || byCodePoint(a2.target, b.target));
  const summary = {};
  for (const p of packages) summary[p.status] = (summary[p.status] ?? 0) + 1;
  return {
    schema: "refinery/inventory@1",
    generatedAt: (services.now?.() ?? /* @__PURE__ */ new Date()).toISOString(),
    targets: targets.map(targetId),
    packages,
    cut,
    summary,
    ...set.warnings.length > 0 ? { warnings: set.warnings } : {}
  };
}

// src/stages/scan/from-config.ts
import { join as join18 } from "node:path";

// src/stages/scan/services.ts
function scanServices(o2) {
  const markers = /* @__PURE__ */ new Map();
  return {
    resolve: o2.resolve,
    filesOf: (name, version) => o2.index.releaseFiles(name, normalizeVersion(version) ?? version),
    bestWheel: (list, target) => bestWheel(list, target, { pinned: true })?.file,
    isSdist,
    wheelAbi,
    markerHolds(marker, target) {
      let ast = markers.get(marker);
      if (!ast) {
        ast = parseMarker2(marker);
        markers.set(marker, ast);
      }
      return evaluateMarker(ast, markerEnvironment({ python: target.python }));
    },
    built(name, version, target) {
      const id = targetId(target);
      const m = manifestFor(o2.state, name, version).find((e) => e.targets.includes(id) || isPureWheel(e.tags) && wheelServes(e.tags, target));
      return m ? { filename: m.filename } : void 0;
    },
    knownPure(name) {
      const latest = o2.state.packages.get(name)?.manifest.reduce((a2, m) => !a2 || m.builtAt > a2.builtAt ? m : a2, void 0);
      return latest !== void 0 && isPureWheel(latest.tags);
    },
    knownFailing(name, version, target) {
      const k = knownFailing(o2.state, name, version).find(
        (e) => e.retry !== "queued" && (e.variant === target.python || e.variant === "abi3" || e.variant === "py3")
      );
      return k ? { attempt: `${k.unit}#${k.attempt}`, reason: k.failureClass ?? "failure" } : void 0;
    },
    buildRequires: (sdist) => o2.index.buildRequires(sdist),
    ...o2.index.sdistSource ? { sdistSource: o2.index.sdistSource.bind(o2.index) } : {},
    ...o2.onProgress ? { onProgress: o2.onProgress } : {},
    ...o2.now ? { now: o2.now } : {}
  };
}

// src/stages/scan/sources.ts
import { relative as relative6, resolve as resolve8, sep as sep4 } from "node:path";

// src/domain/python/requirements-file.ts
import { readFile as fsReadFile } from "node:fs/promises";
import path6 from "node:path";
var STRONG_HASHES = { sha256: 64, sha384: 96, sha512: 128 };
var HARMLESS_OPTIONS = /* @__PURE__ */ new Set([
  "--pre",
  "--prefer-binary",
  "--require-hashes",
  "--trusted-host",
  "--only-binary",
  "--no-binary",
  "--use-feature",
  "--config-settings",
  "--global-option",
  "--no-build-isolation"
]);
var VALUE_OPTIONS = /* @__PURE__ */ new Set([
  "-r",
  "--requirement",
  "-c",
  "--constraint",
  "-i",
  "--index-url",
  "--extra-index-url",
  "-f",
  "--find-links",
  "-e",
  "--editable",
  "--hash",
  "--trusted-host",
  "--only-binary",
  "--no-binary",
  "--use-feature",
  "--config-settings",
  "--global-option"
]);
var SHORT_ALIASES = {
  "-r": "--requirement",
  "-c": "--constraint",
  "-i": "--index-url",
  "-f": "--find-links",
  "-e": "--editable"
};
async function parseRequirementsFile(file, opts = {}) {
  const out = {
    requirements: [],
    constraints: [],
    extraIndexUrls: [],
    findLinks: [],
    noIndex: false,
    ignoredOptions: [],
    files: [],
    errors: []
  };
  const ctx = { out, env: opts.env ?? {}, readFile: opts.readFile ?? ((f) => fsReadFile(f, "utf8")), stack: [], done: /* @__PURE__ */ new Set() };
  await parseOne(ctx, file, false, void 0);
  return out;
}
async function parseOne(ctx, file, constraint, from) {
  const abs = path6.resolve(file);
  const fail = (msg, fix) => ctx.out.errors.push(new RefineryError("input", msg, { location: from ?? { file }, ...fix ? { fix } : {} }));
  if (ctx.stack.some((s) => s.abs === abs)) {
    fail(`include cycle: ${[...ctx.stack.map((s) => s.name), file].join(" -> ")}`, "remove one of the -r/-c lines");
    return;
  }
  const key = `${constraint ? "c" : "r"}:${abs}`;
  if (ctx.done.has(key)) return;
  let text;
  try {
    text = await ctx.readFile(file);
  } catch (e) {
    const code = e.code;
    fail(`cannot read requirements file ${file}${code ? ` (${code})` : ""}`, "check the path; includes are relative to the including file");
    return;
  }
  ctx.out.files.push(file);
  ctx.stack.push({ abs, name: file });
  for (const { line, text: content } of preprocess(text, ctx.env)) {
    for (const include of parseLine(ctx, file, line, content, constraint)) {
      await parseOne(ctx, include.file, include.constraint, include.from);
    }
  }
  ctx.stack.pop();
  ctx.done.add(key);
}
function preprocess(text, env) {
  const COMMENT = /(^|\s+)#.*$/;
  const COMMENT_LINE = /^\s*#/;
  const joined = [];
  let pending = [];
  let start = 0;
  text.split(/\r\n|\r|\n/).forEach((raw, i2) => {
    const n2 = i2 + 1;
    if (!raw.endsWith("\\") || COMMENT_LINE.test(raw)) {
      const line = COMMENT_LINE.test(raw) ? ` ${raw}` : raw;
      if (pending.length > 0) {
        joined.push({ line: start, text: pending.join("") + line });
        pending = [];
      } else joined.push({ line: n2, text: line });
    } else {
      if (pending.length === 0) start = n2;
      pending.push(raw.replace(/^\\+|\\+$/g, ""));
    }
  });
  if (pending.length > 0) joined.push({ line: start, text: pending.join("") });
  const out = [];
  for (const entry of joined) {
    let t = entry.text.replace(COMMENT, "").trim();
    if (t === "") continue;
    if (t.includes("${")) t = t.replace(/\$\{([A-Z0-9_]+)\}/g, (whole, name) => env[name] || whole);
    entry.text = t;
    out.push(entry);
  }
  return out;
}
function parseLine(ctx, file, line, content, constraint) {
  const includes = [];
  const at = { file, line };
  const error = (msg, fix) => ctx.out.errors.push(new RefineryError("input", msg, { location: at, ...fix ? { fix } : {} }));
  if (!content.includes(" ") && !content.startsWith("-")) {
    addRequirement(ctx, at, content, [], constraint, error);
    return includes;
  }
  const tokens = content.split(" ");
  const firstOption = tokens.findIndex((t) => t.startsWith("-"));
  const args = (firstOption < 0 ? tokens : tokens.slice(0, firstOption)).join(" ").trim();
  let options;
  try {
    options = parseOptions(firstOption < 0 ? [] : shellSplit(tokens.slice(firstOption).join(" ")));
  } catch (e) {
    error(e.message);
    return includes;
  }
  if (args) {
    const hashes = [];
    for (const o2 of options) {
      if (o2.name === "--hash") {
        const h2 = (o2.value ?? "").toLowerCase();
        const [algo, digest] = h2.split(":", 2);
        const length = algo ? STRONG_HASHES[algo] : void 0;
        if (!length || !digest || !new RegExp(`^[0-9a-f]{${length}}$`).test(digest)) {
          error(`invalid --hash ${JSON.stringify(o2.value ?? "")}`, "use --hash=sha256:<64 hex digits> (sha384 and sha512 also work)");
          return includes;
        }
        hashes.push(`${algo}:${digest}`);
      } else if (o2.name === "--config-settings" || o2.name === "--global-option") {
        ctx.out.ignoredOptions.push({ option: o2.name, file, line });
      } else {
        error(`option ${o2.name} cannot follow a requirement on the same line`, "put file-wide options on their own line");
        return includes;
      }
    }
    addRequirement(ctx, at, args, hashes, constraint, error);
    return includes;
  }
  for (const o2 of options) {
    const value = o2.value ?? "";
    switch (o2.name) {
      case "--requirement":
      case "--constraint": {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
          error(`remote requirements file ${value} is not supported`, "download it into the repository and include it by path");
          break;
        }
        const target = path6.isAbsolute(value) ? value : path6.join(path6.dirname(file), value);
        includes.push({ file: target, constraint: o2.name === "--constraint", from: at });
        break;
      }
      case "--index-url":
        ctx.out.indexUrl = value;
        break;
      case "--extra-index-url":
        ctx.out.extraIndexUrls.push(value);
        break;
      case "--find-links":
        ctx.out.findLinks.push(value);
        ctx.out.ignoredOptions.push({ option: o2.name, file, line });
        break;
      case "--no-index":
        ctx.out.noIndex = true;
        ctx.out.ignoredOptions.push({ option: o2.name, file, line });
        break;
      case "--editable":
        error(`editable requirement ${JSON.stringify(value)} cannot be built as a wheel for s390x here`, "pin a released version (name==version) instead");
        break;
      case "--hash":
        error("--hash must follow a requirement on the same line");
        break;
      default:
        if (HARMLESS_OPTIONS.has(o2.name)) ctx.out.ignoredOptions.push({ option: o2.name, file, line });
        else
          error(
            `unknown or unsupported option ${o2.name}`,
            "see pip requirements-file format; supported: -r, -c, -i, --extra-index-url, -f, --no-index, --hash"
          );
    }
  }
  return includes;
}
function addRequirement(ctx, at, args, hashes, constraint, error) {
  const local = localReason(args);
  if (local) {
    error(`${local}: ${JSON.stringify(args)}`, "name the package from an index (name==version) or give name @ https://... for a remote archive");
    return;
  }
  let req;
  try {
    req = parseRequirement(args);
  } catch (e) {
    error(`invalid requirement ${JSON.stringify(args)}: ${e.message}`);
    return;
  }
  if (req.url?.startsWith("file:")) {
    error(`local file requirement ${JSON.stringify(args)} cannot be resolved for an s390x target`, "publish the archive to an index or use an https:// URL");
    return;
  }
  (constraint ? ctx.out.constraints : ctx.out.requirements).push({ req, line: at.line, file: at.file, hashes });
}
function localReason(args) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(args) || args.startsWith("file:")) return "a bare URL needs a name: write name @ URL";
  if (/^(\.|\/|~|[A-Za-z]:[\\/])/.test(args) || /^[^\s;@[]*[\\/]/.test(args)) return "local path requirements are not supported";
  if (/\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar\.xz|tar)$/i.test(args.split(";")[0].trim()) && !args.includes("@")) {
    return "archive file requirements are not supported";
  }
  return void 0;
}
function parseOptions(tokens) {
  const out = [];
  for (let i2 = 0; i2 < tokens.length; i2++) {
    const tok = tokens[i2];
    if (!tok.startsWith("-")) throw new Error(`unexpected ${JSON.stringify(tok)}; one requirement or option per line`);
    let name = tok;
    let value;
    const eq = tok.indexOf("=");
    if (tok.startsWith("--") && eq > 0) {
      name = tok.slice(0, eq);
      value = tok.slice(eq + 1);
    } else if (!tok.startsWith("--") && tok.length > 2) {
      name = tok.slice(0, 2);
      value = tok.slice(2);
    }
    name = SHORT_ALIASES[name] ?? name;
    if (VALUE_OPTIONS.has(name)) {
      if (value === void 0) {
        value = tokens[++i2];
        if (value === void 0) throw new Error(`option ${name} needs a value`);
      }
    } else if (value !== void 0) {
      throw new Error(`option ${name} takes no value`);
    }
    out.push(value === void 0 ? { name } : { name, value });
  }
  return out;
}
function shellSplit(s) {
  const words = [];
  let cur = "";
  let inWord = false;
  for (let i2 = 0; i2 < s.length; i2++) {
    const c3 = s[i2];
    if (c3 === "'" || c3 === '"') {
      const end = s.indexOf(c3, i2 + 1);
      if (end < 0) throw new Error("unterminated quote in options");
      cur += s.slice(i2 + 1, end);
      i2 = end;
      inWord = true;
    } else if (c3 === "\\" && i2 + 1 < s.length) {
      cur += s[++i2];
      inWord = true;
    } else if (/\s/.test(c3)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c3;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
function unpinnedRequirements(entries) {
  return entries.filter((e) => exactPin(e.req) === void 0);
}
function exactPin(req) {
  if (req.url) return void 0;
  const m = /^(===?)(.+)$/.exec(req.specifier);
  if (!m || m[2].includes(",") || m[2].endsWith(".*")) return void 0;
  return m[2];
}

// src/stages/scan/sources.ts
function ignoredBecause(option) {
  switch (option) {
    case "--find-links":
      return "--find-links is not searched by scan: packages are looked up on the configured indexes only (publish them to an index, or add one with extra-index-url)";
    case "--no-index":
      return "--no-index is ignored: scan always asks the configured indexes";
    case "--pre":
      return "--pre is ignored: resolution takes pre-releases only where a requirement names one";
    default:
      return `${option} has no effect on scan and is ignored`;
  }
}
async function loadRequirementSet(config, baseDir, env) {
  if (config.requirements.length === 0) {
    throw new RefineryError("input", "no requirements to scan", {
      fix: "pass -r requirements.txt, or add `requirements:` (file, lock or packages) to refinery.yml"
    });
  }
  const set = { requirements: [], constraints: [], extraIndexUrls: [], warnings: [] };
  const locked = [];
  let allLocks = true;
  for (const [i2, source] of config.requirements.entries()) {
    if ("packages" in source) {
      allLocks = false;
      for (const [j, text] of source.packages.entries()) {
        const req = parseOrExplain(text, { field: `requirements.${i2}.packages.${j}` });
        rejectUrl(req, { field: `requirements.${i2}.packages.${j}` });
        set.requirements.push(req.source);
      }
      continue;
    }
    const file = resolve8(baseDir, "file" in source ? source.file : source.lock);
    const parsed = await parseRequirementsFile(file, { env });
    if (parsed.errors.length > 0) {
      const [first, ...rest] = parsed.errors;
      if (rest.length === 0) throw first;
      throw new RefineryError("input", `${parsed.errors.length} problems in requirements:
  ${parsed.errors.map((e) => e.describe()).join("\n  ")}`, {
        location: first.location,
        fix: "fix each line named above"
      });
    }
    for (const e of [...parsed.requirements, ...parsed.constraints]) rejectUrl(e.req, { file: e.file, line: e.line });
    for (const o2 of parsed.ignoredOptions) {
      set.warnings.push({ message: ignoredBecause(o2.option), file: relative6(baseDir, o2.file).split(sep4).join("/"), line: o2.line });
    }
    if (parsed.indexUrl && !set.indexUrl) set.indexUrl = parsed.indexUrl;
    set.extraIndexUrls.push(...parsed.extraIndexUrls);
    set.constraints.push(...parsed.constraints.map((e) => e.req.source));
    if ("lock" in source) {
      const loose = unpinnedRequirements(parsed.requirements);
      if (loose.length > 0) {
        const e = loose[0];
        throw new RefineryError("input", `a lock file must pin every requirement with ==, but '${e.req.source}' does not`, {
          location: { file: e.file, line: e.line },
          fix: "pin it (name==version), or list the file under `file:` so it gets resolved"
        });
      }
      locked.push(...parsed.requirements.map(lockedLine));
    } else {
      allLocks = false;
      set.requirements.push(...parsed.requirements.map((e) => e.req.source));
    }
  }
  if (allLocks) set.locked = dedupe2(locked);
  else set.requirements.push(...locked.map((l) => `${l.name}==${l.version}${l.marker ? ` ; ${l.marker}` : ""}`));
  set.extraIndexUrls = [...new Set(set.extraIndexUrls)];
  return set;
}
function lockedLine(e) {
  return {
    name: e.req.normalizedName,
    version: exactPin(e.req),
    ...e.req.marker ? { marker: formatMarker(e.req.marker) } : {},
    via: [TOP]
  };
}
function dedupe2(lines) {
  const seen = /* @__PURE__ */ new Map();
  for (const l of lines) seen.set(`${l.name}\0${l.version}\0${l.marker ?? ""}`, l);
  return [...seen.values()];
}
function parseOrExplain(text, location) {
  try {
    return parseRequirement(text);
  } catch (e) {
    if (e instanceof RefineryError)
      throw new RefineryError("input", e.message, {
        location: { file: "refinery.yml", ...location },
        fix: e.fix ?? 'write a PEP 508 requirement such as "lxml>=5"'
      });
    throw e;
  }
}
function rejectUrl(req, location) {
  if (req.url) {
    throw new RefineryError("input", `direct URL requirement '${req.source}' is not supported`, {
      location,
      fix: "name a released version on an index instead (name==version)"
    });
  }
}

// src/stages/scan/from-config.ts
function indexesFromConfig(config, env, fromFiles) {
  const auth = (userVar, passVar) => {
    if (!passVar) return void 0;
    const password = env[passVar];
    if (!password) {
      throw new RefineryError("config", `environment variable ${passVar} (index password) is not set`, {
        location: { field: "indexes" },
        fix: `set ${passVar}, e.g. from a repository secret`
      });
    }
    const username = userVar ? env[userVar] : void 0;
    return username ? { kind: "basic", username, password } : { kind: "bearer", token: password };
  };
  const primaryAuth = auth(config.indexes.primaryUsernameEnv, config.indexes.primaryPasswordEnv);
  const out = [{ url: config.indexes.primary, ...primaryAuth ? { auth: primaryAuth } : {} }];
  for (const extra of config.indexes.extra) {
    if (typeof extra === "string") out.push({ url: extra });
    else {
      const a2 = auth(extra.usernameEnv, extra.passwordEnv);
      out.push({ url: extra.url, ...a2 ? { auth: a2 } : {} });
    }
  }
  const fileUrls = [...fromFiles.extraIndexUrls];
  if (fromFiles.indexUrl) {
    if (config.indexes.primary === DEFAULT_PRIMARY_INDEX) out[0] = { url: fromFiles.indexUrl };
    else fileUrls.unshift(fromFiles.indexUrl);
  }
  for (const url of fileUrls) {
    if (!out.some((o2) => o2.url === url)) out.push({ url });
  }
  return out;
}
async function scanFromConfig(o2) {
  const set = await loadRequirementSet(o2.config, o2.baseDir, o2.env);
  const indexes = indexesFromConfig(o2.config, o2.env, set);
  const index = new IndexClient({
    indexes,
    cacheDir: join18(o2.cacheDir, "http"),
    httpOptions: {
      env: o2.env,
      ...httpLimits(o2.config),
      ...o2.concurrency ? { concurrency: o2.concurrency } : {},
      ...o2.onHttpEvent ? { onEvent: o2.onHttpEvent } : {}
    }
  });
  const state = o2.state ?? await loadState(o2.stateDir);
  const services = scanServices({
    index: {
      releaseFiles: (name, version) => index.releaseNow(name, version) ?? index.getRelease(name, version),
      buildRequires: (sdist) => index.getBuildRequires(sdist),
      sdistSource: (sdist) => index.getSdistSource(sdist)
    },
    state,
    resolve: async (s, python) => resolveUniversal({
      requirements: s.requirements,
      constraints: s.constraints,
      python,
      // For uv: credentials go into the URLs, which travel in the environment, never in argv.
      indexUrl: urlWithCredentials(indexes[0]),
      extraIndexUrls: indexes.slice(1).map(urlWithCredentials),
      uv: await o2.uv(),
      cacheDir: join18(o2.cacheDir, "uv"),
      ...o2.excludeNewer ? { excludeNewer: o2.excludeNewer } : {}
    }),
    ...o2.onProgress ? { onProgress: o2.onProgress } : {}
  });
  try {
    return { inventory: await scan(set, o2.config, services), index, indexes };
  } finally {
    index.saveCache();
  }
}

// src/chain/pipeline.ts
import { join as join19 } from "node:path";
async function runPipeline(o2) {
  return withStateLock(o2.stateDir, () => runLocked(o2), { purpose: "run", ...o2.lock });
}
async function runLocked(o2) {
  refuseUnservedPythons(o2.presets, o2.config.targets.python);
  const state = await loadState(o2.stateDir);
  const { inventory, index, indexes } = await scanFromConfig({ ...o2, state });
  const plan2 = await planFromState(inventory, o2.config, { stateDir: o2.stateDir, state, recipes: o2.recipes, ...o2.now ? { now: o2.now } : {} });
  const recipeOf = (unit) => {
    const { recipe } = buildInfo(o2.recipes, unit.package, unit.version, unit.preset);
    return recipe ? { recipe } : {};
  };
  const units = [];
  const failed = /* @__PURE__ */ new Set();
  const checked = /* @__PURE__ */ new Set();
  const satisfied = [];
  let budget = o2.maxUnits ?? Number.POSITIVE_INFINITY;
  const report = (u2) => {
    units.push(u2);
    o2.onUnit?.(u2);
  };
  for (const unit of plan2.matrix.include) {
    if (o2.signal?.aborted) break;
    if (o2.unitFilter && !o2.unitFilter(unit)) continue;
    const blocker = unit.needs.find((id) => failed.has(id));
    if (blocker) {
      failed.add(unit.id);
      report({ unit, outcome: "skipped", reason: `its build requirement ${blocker} failed in this run` });
      continue;
    }
    if (budget <= 0) {
      report({ unit, outcome: "skipped", reason: `over --max-units ${o2.maxUnits}; left for the next run` });
      continue;
    }
    const preset = getPreset(o2.presets, unit.preset);
    if (!checked.has(preset.name)) {
      const problems = await o2.executor.check(preset);
      if (problems.length > 0) throw environmentError(`the ${o2.executor.kind} executor cannot build preset ${preset.name} here`, problems);
      checked.add(preset.name);
    }
    if (unit.sdist.sha256 && o2.store) {
      const fingerprint = await unitFingerprint(unit, { executor: o2.executor, preset, frontend: o2.config.frontend, ...recipeOf(unit) }, unit.sdist.sha256);
      const reused = await reuseWheel(state, fingerprint, [o2.store], o2.outDir);
      if (reused) {
        report({ unit, outcome: "reused", wheel: reused.path, reason: reused.reason });
        if (state.packages.get(unit.package)?.queue.some((q) => q.version === unit.version)) satisfied.push(unit);
        continue;
      }
    }
    budget--;
    const result = await buildUnit(unit, {
      executor: o2.executor,
      preset,
      catalog: o2.catalog,
      ...recipeOf(unit),
      outDir: o2.outDir,
      // refinery.yml's frontend, as `refinery build` takes it; the uv frontend starts from a seeded cache.
      frontend: o2.config.frontend,
      uvSeedsDir: uvSeedsDir(o2.cacheDir),
      // The index client's HTTP client carries the configured credentials for the sdist download;
      // pip inside the build takes build requirements from the same indexes.
      http: index.http,
      indexes,
      // A unit of a later wave builds with the wheels this run built or reused for earlier ones.
      ...unit.needs.length > 0 ? { findLinks: [o2.outDir] } : {},
      skipCheck: true,
      ...o2.passEnv ? { passEnv: o2.passEnv } : {},
      ...o2.signal ? { signal: o2.signal } : {},
      ...o2.unitTimeoutMs ? { unitTimeoutMs: o2.unitTimeoutMs } : {},
      ...o2.maxAttempts ? { maxAttempts: o2.maxAttempts } : {},
      ...o2.onBuildEvent ? { onEvent: (e) => o2.onBuildEvent(unit, e) } : {},
      ...o2.heartbeatMs ? { heartbeatMs: o2.heartbeatMs } : {},
      ...o2.onBuildOutput ? { onOutput: (c3) => o2.onBuildOutput(unit, c3) } : {}
    });
    if (result.status === "cancelled") {
      report({ unit, outcome: "cancelled", reason: "refinery was asked to stop" });
      break;
    }
    const durationMs = result.attempts.reduce((s, a2) => s + a2.durationMs, 0) + (result.phaseDurationsMs.fetch ?? 0);
    if (result.status === "success" && result.wheel) {
      report({
        unit,
        outcome: "built",
        wheel: join19(o2.outDir, result.wheel.filename),
        attempts: result.attempts.length,
        compiler: result.compiler ?? "emulated",
        ...result.smoke?.verdict === "unverified" ? { unverified: result.smoke.reason ?? "unverified" } : {},
        ...result.smoke?.externalLibraries.length ? { externalLibraries: result.smoke.externalLibraries } : {},
        ...result.smoke?.runtimePackages ? { runtimePackages: result.smoke.runtimePackages } : {},
        durationMs
      });
    } else {
      failed.add(unit.id);
      const last = result.attempts.at(-1);
      report({
        unit,
        outcome: "failed",
        attempts: result.attempts.length,
        reason: `${last.failureClass ?? "unclassified"}${last.matchedHint ? ` (hint ${last.matchedHint})` : ""} in ${last.phase ?? "?"}${firstEvidence(last) ? `: ${firstEvidence(last)}` : ""}`,
        ...last.failureClass ? { failureClass: last.failureClass } : {},
        ...last.matchedHint ? { hint: last.matchedHint } : {},
        ...firstEvidence(last) ? { evidence: firstEvidence(last) } : {},
        durationMs
      });
    }
  }
  if (o2.signal?.aborted) return { inventory, plan: plan2, units, cancelled: true };
  const wrote = units.some((u2) => u2.outcome === "built" || u2.outcome === "failed") || satisfied.length > 0;
  const recorded = wrote ? await record(o2.outDir, o2.stateDir, {
    base: state,
    answered: satisfied,
    ...o2.store ? { store: o2.store } : {},
    ...o2.now ? { now: o2.now } : {}
  }) : void 0;
  return { inventory, plan: plan2, units, ...recorded ? { recorded } : {} };
}

// src/chain/yield.ts
import { mkdir as mkdir7, writeFile as writeFile5 } from "node:fs/promises";
import { join as join20 } from "node:path";
function parseYieldList(text, file) {
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  text.split(/\r?\n/).forEach((raw, i2) => {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") return;
    const m = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)==([^\s=;]+)$/.exec(line);
    if (!m || !isValidVersion(m[3])) {
      throw new RefineryError("input", `${JSON.stringify(line.slice(0, 120))} is not NAME==VERSION`, {
        location: { file, line: i2 + 1 },
        fix: "one pinned release a line, e.g. ujson==5.10.0; # for comments"
      });
    }
    const entry = { name: normalizeName(m[1]), version: normalizeVersion(m[3]) ?? m[3] };
    const key = `${entry.name}==${entry.version}`;
    if (!seen.has(key)) out.push(entry);
    seen.add(key);
  });
  if (out.length === 0) throw new RefineryError("input", "the list names no release", { location: { file }, fix: "add NAME==VERSION lines" });
  return out;
}
async function runYield(entries, o2) {
  const rows = [];
  const push = (row) => {
    rows.push(row);
    o2.onRow?.(row);
  };
  for (const entry of entries) {
    if (o2.signal?.aborted || o2.startBefore !== void 0 && Date.now() >= o2.startBefore) {
      push({ ...entry, outcome: "not-run", reason: o2.signal?.aborted ? "cancelled" : "the time allowed for starting runs was over", attempts: 0, seconds: 0 });
      continue;
    }
    const started = Date.now();
    const outDir = join20(o2.outDir, `${entry.name}-${entry.version}`.replace(/[^A-Za-z0-9._-]/g, "_"));
    await mkdir7(outDir, { recursive: true });
    const lock = join20(outDir, "yield.lock");
    await writeFile5(lock, `${entry.name}==${entry.version}
`);
    const config = { ...o2.config, requirements: [{ lock }], expansion: { ...o2.config.expansion, maxDepth: 0 } };
    try {
      const r = await runPipeline({
        ...o2,
        config,
        outDir,
        onUnit: (u2) => o2.onUnit?.(entry, u2)
      });
      const mine = r.units.filter((u2) => u2.unit.package === entry.name && u2.unit.version === entry.version);
      push(
        rowOf(
          entry,
          mine,
          r.inventory.packages.find((p) => p.name === entry.name && p.version === entry.version),
          Date.now() - started
        )
      );
    } catch (e) {
      if (!(e instanceof RefineryError)) throw e;
      push({ ...entry, outcome: "error", reason: `${e.code}: ${e.message}`.slice(0, 500), attempts: 0, seconds: Math.round((Date.now() - started) / 1e3) });
    }
  }
  return summarize(rows);
}
function rowOf(entry, units, scanned, ms2) {
  const seconds = Math.round(ms2 / 1e3);
  const failed = units.find((u2) => u2.outcome === "failed");
  if (failed?.outcome === "failed") {
    return {
      ...entry,
      outcome: "failed",
      failureClass: failed.failureClass ?? "unclassified",
      ...failed.evidence ? { evidence: failed.evidence } : {},
      reason: failed.reason,
      attempts: failed.attempts,
      seconds
    };
  }
  const built = units.filter((u2) => u2.outcome === "built");
  const unverified = built.find((u2) => u2.outcome === "built" && u2.unverified);
  if (built.length > 0) {
    const b = unverified ?? built[0];
    const libs = [...new Set(built.flatMap((u2) => u2.outcome === "built" ? u2.externalLibraries ?? [] : []))].sort();
    return {
      ...entry,
      outcome: b.unverified ? "built-unverified" : "built",
      ...b.unverified ? { evidence: b.unverified } : {},
      reason: b.unverified ? `built, unverified: ${b.unverified}` : `built in ${b.attempts} attempt(s), ${b.compiler} compilers${b.runtimePackages ? `; verified with runtime packages (${b.runtimePackages.manager}): ${b.runtimePackages.packages.join(", ")}` : ""}`,
      attempts: built.reduce((s, u2) => s + (u2.outcome === "built" ? u2.attempts : 0), 0),
      seconds,
      wheel: b.wheel,
      ...libs.length > 0 ? { externalLibraries: libs } : {}
    };
  }
  const other = units.find((u2) => u2.outcome === "skipped" || u2.outcome === "reused" || u2.outcome === "cancelled");
  if (other && other.outcome === "cancelled") return { ...entry, outcome: "not-run", reason: other.reason, attempts: 0, seconds };
  if (other) return { ...entry, outcome: "not-needed", reason: other.reason, attempts: 0, seconds };
  const served = scanned?.status === "upstream-wheel" || scanned?.status === "built" || scanned?.status === "excluded";
  const reason = scanned ? `${scanned.status}: ${scanned.reason}` : "the scan did not find it on the configured indexes";
  return { ...entry, outcome: served ? "not-needed" : "error", reason, attempts: 0, seconds };
}
function summarize(rows) {
  const count2 = (o2) => rows.filter((r) => r.outcome === o2).length;
  const built = count2("built");
  const unverified = count2("built-unverified");
  const failed = count2("failed") + count2("error");
  const attempted = built + unverified + failed;
  const failuresByClass = {};
  for (const r of rows) {
    if (r.outcome === "failed" || r.outcome === "error") {
      const k = r.outcome === "error" ? "error" : r.failureClass ?? "unclassified";
      failuresByClass[k] = (failuresByClass[k] ?? 0) + 1;
    }
  }
  return { rows, attempted, built, unverified, failed, ...attempted > 0 ? { yield: (built + unverified) / attempted } : {}, failuresByClass };
}
function yieldTable(r) {
  const head = ["package", "version", "outcome", "class", "attempts", "time", "evidence / reason"];
  const body = r.rows.map((x) => [
    x.name,
    x.version,
    x.outcome,
    x.failureClass ?? "",
    String(x.attempts),
    `${x.seconds}s`,
    (x.evidence ?? x.reason).replace(/[\x00-\x1f\x7f]/g, " ").slice(0, 140)
  ]);
  const widths = head.map((h2, i2) => Math.max(h2.length, ...body.map((row) => row[i2].length)));
  const fmt = (row) => row.map((c3, i2) => i2 === row.length - 1 ? c3 : c3.padEnd(widths[i2])).join("  ").trimEnd();
  const lines = [fmt(head), ...body.map(fmt)];
  const pct = r.yield === void 0 ? "n/a" : `${(r.yield * 100).toFixed(1)}%`;
  const classes = Object.entries(r.failuresByClass).sort(([a2], [b]) => a2 < b ? -1 : 1).map(([k, v]) => `${k} ${v}`).join(", ");
  lines.push(
    "",
    `yield: ${pct} (${r.built} built + ${r.unverified} built-unverified of ${r.attempted} attempted; ${r.failed} failed${classes ? `: ${classes}` : ""})`
  );
  return lines.join("\n");
}

// src/stages/scan/uv.ts
import { chmod, mkdir as mkdir8, rename as rename4, rm as rm7, writeFile as writeFile6 } from "node:fs/promises";
import { existsSync as existsSync3 } from "node:fs";
import { join as join21 } from "node:path";
import { arch, platform as platform2 } from "node:process";
import { randomBytes as randomBytes6 } from "node:crypto";
var UV_VERSION = "0.13.9";
function provisionedUvPath(cacheDir, version = UV_VERSION) {
  return join21(cacheDir, "tools", `uv-${version}`, "uv");
}
async function locateUv(o2) {
  const named = o2.env.REFINERY_UV;
  if (named) {
    if (await available(named, ["--version"], o2.env)) return named;
    throw new RefineryError("environment", `REFINERY_UV names ${JSON.stringify(named)}, which does not run`, {
      fix: "point REFINERY_UV at a uv executable, or unset it to use uv from PATH (or let the refinery install one)"
    });
  }
  if (await available("uv", ["--version"], o2.env)) return "uv";
  const cached = provisionedUvPath(o2.cacheDir);
  if (existsSync3(cached) && await available(cached)) return cached;
  if (!o2.install) {
    throw new RefineryError("environment", "uv (the resolver) was not found", {
      fix: "install it (`pip install uv`, or astral-sh/setup-uv in a workflow), set REFINERY_UV to its path, or drop --no-install so the refinery installs it"
    });
  }
  return installUv(o2, cached);
}
async function installUv(o2, dest) {
  const machine = hostMachine();
  const client = new IndexClient({ indexes: o2.indexes, ...o2.httpOptions ? { httpOptions: o2.httpOptions } : {} });
  const where = client.indexes[0] ?? "the index";
  o2.notice?.(`uv (the resolver) is not installed: installing uv ${UV_VERSION} from ${where} into ${join21(o2.cacheDir, "tools")} (once)`);
  const failed = (why) => new RefineryError("environment", `could not install uv ${UV_VERSION} from ${where}: ${why}`, {
    fix: "install uv yourself (`pip install uv`, or astral-sh/setup-uv in a workflow) and rerun, set REFINERY_UV, or make the index reachable"
  });
  let files;
  try {
    files = await client.getRelease("uv", UV_VERSION);
  } catch (e) {
    throw failed(e instanceof Error ? e.message : String(e));
  }
  const wheel = pickWheel(files, machine);
  if (!wheel) throw failed(`the index lists no uv ${UV_VERSION} wheel for Linux ${machine}`);
  const folder = join21(o2.cacheDir, "tools", `.uv-${randomBytes6(4).toString("hex")}.part`);
  try {
    let path7;
    try {
      path7 = await client.download(wheel, folder);
    } catch (e) {
      throw failed(e instanceof Error ? e.message : String(e));
    }
    const member = await readArchiveMember(path7, /^uv-[^/]+\.data\/scripts\/uv$/, { maxBytes: 256 * 1024 ** 2 });
    if (!member) throw failed(`${wheel.filename} holds no uv program`);
    const tmp = join21(folder, "uv");
    await writeFile6(tmp, member.data, { mode: 493 });
    await chmod(tmp, 493);
    await mkdir8(join21(dest, ".."), { recursive: true });
    await rename4(tmp, dest);
  } finally {
    await rm7(folder, { recursive: true, force: true });
  }
  if (!await available(dest)) throw failed(`the installed ${dest} does not run on this machine`);
  return dest;
}
function hostMachine() {
  if (platform2 !== "linux") {
    throw new RefineryError("environment", `uv (the resolver) was not found, and the refinery installs it only on Linux (this is ${platform2})`, {
      fix: "install uv (https://docs.astral.sh/uv/getting-started/installation/) or set REFINERY_UV to its path"
    });
  }
  const names = { x64: "x86_64", arm64: "aarch64", s390x: "s390x", ppc64: "ppc64le", ia32: "i686", arm: "armv7l" };
  return names[arch] ?? arch;
}
function pickWheel(files, machine) {
  const glibc = !!process.report?.getReport()?.header?.glibcVersionRuntime;
  const family = glibc ? /^manylinux/ : /^musllinux/;
  return files.find((f) => {
    if (!f.filename.endsWith(".whl") || f.yanked !== false) return false;
    try {
      const { platformTags: platformTags2 } = parseWheelFilename(f.filename);
      return platformTags2.some((t) => family.test(t) && t.endsWith(`_${machine}`));
    } catch {
      return false;
    }
  });
}

// src/session/session.ts
import { join as join25 } from "node:path";

// src/session/ad-hoc.ts
import { basename as basename3, join as join22 } from "node:path";
async function adHocUnit(session, spec) {
  const info = await session.buildInfo(spec.package, spec.version);
  const presetName = spec.preset ?? info.preset;
  const preset = await session.preset(presetName);
  const pythons = Object.keys(preset.python);
  const python = spec.python ?? (pythons.length === 1 ? pythons[0] : session.config.targets.python[0]);
  const target = { python, platform: session.config.targets.platform, arch: "s390x" };
  const tid = targetId(target);
  let sdist;
  let sdistFile;
  let buildRequires = [];
  const index = session.index();
  if (spec.sdistFile) {
    sdistFile = spec.sdistFile;
    sdist = {
      filename: basename3(spec.sdistFile),
      url: spec.sdistFile,
      sha256: await sha256File(spec.sdistFile),
      yanked: false,
      metadata: false,
      index: "local"
    };
  } else {
    let files;
    try {
      files = await index.getRelease(spec.package, spec.version);
    } finally {
      index.saveCache();
    }
    const chosen = chooseSdist(files, python, isSdist);
    if (!chosen) {
      throw new RefineryError(
        "index",
        `${spec.package}==${spec.version} has no sdist to build for CPython ${python}: ${noSdistReason(files, python, tid, isSdist)}`,
        {
          fix: "check the version and --python, or pass --sdist FILE"
        }
      );
    }
    sdist = chosen;
    buildRequires = await index.getBuildRequires(sdist);
    sdistFile = await index.download(sdist, join22(session.cacheDir, "sdists"));
  }
  const inventory = {
    schema: "refinery/inventory@1",
    generatedAt: (/* @__PURE__ */ new Date()).toISOString(),
    targets: [tid],
    packages: [
      {
        name: spec.package,
        version: spec.version,
        python,
        target: tid,
        status: "needs-build",
        reason: sdist.filename,
        sdist,
        abi: "cpython",
        buildRequires,
        depth: 0,
        requiredBy: []
      }
    ],
    cut: [],
    summary: { "needs-build": 1 }
  };
  const config = {
    ...session.config,
    targets: { ...session.config.targets, python: [python] },
    ...spec.compiler ? { compiler: spec.compiler } : {}
  };
  const deps = planDepsFromState(
    await session.state(),
    () => ({ preset: presetName, hints: info.hints, ...info.skip ? { skip: info.skip } : {} }),
    /* @__PURE__ */ new Date()
  );
  const p = plan(inventory, config, { ...deps, lastFailure: () => void 0, queued: () => void 0 });
  const unit = p.matrix.include[0];
  if (!unit) {
    throw new RefineryError("build", `${spec.package}==${spec.version} is not built: ${p.skipped[0]?.reason ?? "the plan made no unit"}`, {
      fix: info.skip ? "remove the recipe skip to try anyway" : "see refinery plan for why"
    });
  }
  return { unit: { ...unit, reason: `refinery build --package; ${unit.reason}` }, ...sdistFile ? { sdistFile } : {} };
}

// src/session/config.ts
import { existsSync as existsSync4 } from "node:fs";
import { dirname as dirname4, join as join23, resolve as resolve9 } from "node:path";
async function resolveConfig(cwd, env, o2) {
  const explicit = o2.config ? resolve9(cwd, o2.config) : void 0;
  const implicit = resolve9(cwd, DEFAULT_CONFIG_FILE);
  const configFile = explicit ?? (existsSync4(implicit) ? implicit : void 0);
  let config = configFile ? await loadConfigFile(configFile) : parseConfig("", "(defaults)");
  const baseDir = explicit ? dirname4(explicit) : cwd;
  config = applyFlags(config, { ...o2, requirements: o2.requirements?.map((r) => resolve9(cwd, r)) });
  const stateDir = o2.state ? resolve9(cwd, o2.state) : resolve9(baseDir, config.state.dir);
  const home = env.HOME ?? cwd;
  const cacheDir = o2.cacheDir ? resolve9(cwd, o2.cacheDir) : config.cacheDir ? resolve9(baseDir, config.cacheDir) : resolve9(env.XDG_CACHE_HOME ?? join23(home, ".cache"), "refinery");
  return { config, ...configFile ? { configFile } : {}, baseDir, stateDir, cacheDir };
}

// src/session/executor.ts
import { statSync as statSync3 } from "node:fs";
import { homedir } from "node:os";
import { join as join24, resolve as resolve10 } from "node:path";
var CA_BUNDLE_VARS = ["REFINERY_CA_BUNDLE", "PIP_CERT", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"];
function hostCaBundle(env) {
  for (const name of CA_BUNDLE_VARS) {
    const file = env[name];
    if (file && isFile(file)) return file;
  }
  return void 0;
}
function isFile(path7) {
  try {
    return statSync3(path7).isFile();
  } catch {
    return false;
  }
}
function isDir(path7) {
  try {
    return statSync3(path7).isDirectory();
  } catch {
    return false;
  }
}
function cratesFolder(cwd, env, o2) {
  const given = o2.cratesDir ?? env.REFINERY_CRATES_DIR;
  if (!given) return void 0;
  const dir = resolve10(cwd, given);
  if (!isDir(dir)) {
    const from = o2.cratesDir ? "--crates-dir" : "REFINERY_CRATES_DIR";
    throw new RefineryError("environment", `the crates folder ${JSON.stringify(dir)} (${from}) does not exist or is not a folder`, {
      fix: `unpack the crates there with scripts/setup-debian-crates.sh, or point ${from} at the folder it made`
    });
  }
  return dir;
}
function hostOwner(ids = { uid: process.getuid?.(), gid: process.getgid?.() }) {
  return ids.uid !== void 0 && ids.gid !== void 0 && ids.uid !== 0 ? `${ids.uid}:${ids.gid}` : void 0;
}
function executorOptions(cwd, env, o2, owner = hostOwner()) {
  const hostArch = process.arch;
  const host = o2.dockerHost ?? env.DOCKER_HOST;
  const caBundle = o2.caBundle ?? hostCaBundle(env);
  const crates = cratesFolder(cwd, env, o2);
  return {
    container: {
      ...owner ? { chownTo: owner } : {},
      engine: o2.engine ?? "docker",
      ...host ? { host } : {},
      ...o2.network ? { network: o2.network } : {},
      ...o2.cpus ? { cpus: o2.cpus } : {},
      ...o2.memory ? { memory: o2.memory } : {},
      ...o2.pull ? { pull: true } : {},
      ...caBundle ? { caBundle: resolve10(cwd, caBundle) } : {},
      ...crates ? { crates } : {},
      hostArch
    },
    // Host and native builds take only allowlisted variables from this environment.
    process: {
      hostArch,
      env,
      ...o2.hostPython ? { python: o2.hostPython } : {},
      // REFINERY_PID_NAMESPACE=0: builds without a PID namespace (process group and marker only).
      ...env.REFINERY_PID_NAMESPACE === "0" ? { tree: { pidNamespace: false } } : {}
    }
  };
}
async function pickExecutor(cwd, env, o2, preset, compiler, frontend = "pip") {
  const opts = executorOptions(cwd, env, o2);
  if (compiler === "turbo" || frontend === "uv") {
    const turbo = await loadTurboToolchain(turboDir(cwd, env, o2));
    if (turbo) opts.container.turbo = turbo;
  }
  if (o2.executor) return { executor: makeExecutor(o2.executor, opts), reason: "asked for" };
  return chooseExecutor(preset, opts);
}
function turboDir(cwd, env, o2) {
  if (o2.turboDir) return resolve10(cwd, o2.turboDir);
  if (env.REFINERY_TURBO_DIR) return resolve10(cwd, env.REFINERY_TURBO_DIR);
  return join24(env.HOME ?? homedir(), ".cache", "refinery", "turbo");
}

// src/session/session.ts
var Session = class {
  cwd;
  env;
  config;
  configFile;
  baseDir;
  stateDir;
  cacheDir;
  settings;
  flags;
  notice;
  memo = {};
  constructor(input, resolved) {
    this.cwd = input.cwd;
    this.env = input.env;
    this.flags = input.flags ?? {};
    this.notice = input.notice ?? (() => {
    });
    if (input.seeds?.presets) this.memo.presets = Promise.resolve(input.seeds.presets);
    if (input.seeds?.catalog) this.memo.catalog = Promise.resolve(input.seeds.catalog);
    if (input.seeds?.recipes) this.memo.recipes = Promise.resolve(input.seeds.recipes);
    this.config = this.flags.compiler ? { ...resolved.config, compiler: this.flags.compiler } : resolved.config;
    this.configFile = resolved.configFile;
    this.baseDir = resolved.baseDir;
    this.stateDir = resolved.stateDir;
    this.cacheDir = resolved.cacheDir;
    const timeouts = {};
    for (const [phase, minutes2] of Object.entries(this.flags.phaseTimeoutMinutes ?? {})) {
      if (minutes2 !== void 0) timeouts[phase] = minutes2 * 6e4;
    }
    this.settings = {
      unitTimeoutMs: (this.flags.timeoutMinutes ?? this.config.limits.unitTimeoutMinutes) * 6e4,
      timeouts,
      maxAttempts: this.flags.maxAttempts ?? this.config.limits.maxAttempts
    };
  }
  /** The preset builds use unless a recipe or the unit says otherwise. */
  get defaultPreset() {
    return effectivePreset(this.config);
  }
  /** The configured indexes, credentials read from the variables the config names. */
  get indexes() {
    return indexesFromConfig(this.config, this.env, { extraIndexUrls: [] });
  }
  /** Variables of this machine the config lets builds see (build.passEnv), with values. */
  get passEnv() {
    return namedEnv(this.env, this.config.build.passEnv);
  }
  /** The index client for the configured indexes (sdists, build requirements); one per session. */
  index() {
    this.memo.index ??= new IndexClient({
      indexes: this.indexes,
      cacheDir: join25(this.cacheDir, "http"),
      httpOptions: { env: this.env, ...httpLimits(this.config) }
    });
    return this.memo.index;
  }
  /** uv, found or installed once into the cache folder (unless the flags said --no-install). */
  uv() {
    this.memo.uv ??= locateUv({
      env: this.env,
      cacheDir: this.cacheDir,
      indexes: this.indexes,
      install: this.flags.install !== false,
      httpOptions: { env: this.env },
      notice: this.notice
    });
    return this.memo.uv;
  }
  presets() {
    this.memo.presets ??= loadPresets(join25(seedsDir(), "presets.yml")).then(
      (shipped) => withUserPresets(shipped, this.config.presets, this.configFile ?? "refinery.yml")
    );
    return this.memo.presets;
  }
  /** The shipped hint catalog plus the session's hint files (later files override hints with the same id). */
  catalog() {
    this.memo.catalog ??= (async () => {
      const catalogs = [await loadHintCatalog(join25(seedsDir(), "hints.yml"))];
      for (const f of this.flags.hintFiles ?? []) catalogs.push(await loadHintCatalog(f));
      return mergeCatalogs(...catalogs);
    })();
    return this.memo.catalog;
  }
  recipes() {
    this.memo.recipes ??= loadRecipes(join25(seedsDir(), "recipes"));
    return this.memo.recipes;
  }
  /** The state folder, loaded once per session (writers reload under the lock: record, the pipeline). */
  state() {
    this.memo.state ??= loadState(this.stateDir);
    return this.memo.state;
  }
  /** The one door for per-package settings: the recipe in force for this version, the preset, the starting hints. */
  async buildInfo(name, version) {
    return buildInfo(await this.recipes(), name, version, this.defaultPreset);
  }
  async preset(name) {
    return getPreset(await this.presets(), name);
  }
  /**
   * The executor the flags ask for, or the one this machine has for the preset, with the reason.
   * `frontend`: the one the builds will use, when a face overrides the config's (`--frontend`).
   */
  async executor(flags, preset, frontend) {
    const p = preset ?? (await this.presets()).get(this.defaultPreset) ?? [...(await this.presets()).values()][0];
    return pickExecutor(this.cwd, this.env, flags, p, this.config.compiler, frontend ?? this.config.frontend);
  }
  /**
   * Scan the config's requirements, or with `only` exactly these `name==version` pins and none of
   * their dependencies (the retry queue's due entries: actions/queue, the worker).
   */
  async scan(o2 = {}) {
    const { inventory } = await scanFromConfig({
      config: this.configFor(o2.only),
      baseDir: this.baseDir,
      stateDir: this.stateDir,
      cacheDir: this.cacheDir,
      uv: () => this.uv(),
      env: this.env,
      state: await this.state(),
      ...o2.onProgress ? { onProgress: o2.onProgress } : {}
    });
    return inventory;
  }
  /** A config Python no preset has an interpreter for is refused (before a scan that would plan it). */
  async refuseUnservedPythons() {
    refuseUnservedPythons(await this.presets(), this.config.targets.python);
  }
  async plan(inventory, o2 = {}) {
    return planFromState(inventory, this.config, {
      stateDir: this.stateDir,
      state: await this.state(),
      recipes: await this.recipes(),
      presets: await this.presets(),
      ...o2.now ? { now: o2.now } : {}
    });
  }
  /** A unit for one release the user names (`refinery build --package`), made by the plan stage. */
  async adHocUnit(spec) {
    return adHocUnit(this, spec);
  }
  /** Build one unit with the session's seeds, settings, indexes and environment. */
  async build(unit, o2) {
    const preset = await this.preset(unit.preset);
    const { recipe } = buildInfo(await this.recipes(), unit.package, unit.version, unit.preset);
    const index = this.index();
    const { hints, ...rest } = o2;
    return buildUnit(hints?.length ? { ...unit, hints: [...unit.hints, ...hints] } : unit, {
      ...rest,
      preset,
      catalog: await this.catalog(),
      ...recipe ? { recipe } : {},
      compiler: this.flags.compiler ?? unit.compiler ?? this.config.compiler,
      frontend: rest.frontend ?? this.config.frontend,
      uvSeedsDir: uvSeedsDir(this.cacheDir),
      timeouts: this.settings.timeouts,
      unitTimeoutMs: this.settings.unitTimeoutMs,
      maxAttempts: this.settings.maxAttempts,
      indexes: this.indexes,
      passEnv: this.passEnv,
      http: index.http,
      skipCheck: true,
      ...this.runInfo()
    });
  }
  /**
   * The inputs fingerprint `build` would start this unit with on `executor` (the recipe in force,
   * the compiler the session picks): what a stored or cached wheel of the same inputs is found by.
   */
  async fingerprint(unit, executor, sdistSha256) {
    const { recipe } = buildInfo(await this.recipes(), unit.package, unit.version, unit.preset);
    return unitFingerprint(
      unit,
      {
        executor,
        preset: await this.preset(unit.preset),
        ...recipe ? { recipe } : {},
        compiler: this.flags.compiler ?? unit.compiler ?? this.config.compiler,
        frontend: this.config.frontend
      },
      sdistSha256
    );
  }
  /**
   * The state as a static site (`refinery publish`, actions/publish), with the session's hint
   * catalog; "suggest a fix" links default to the run's repository, branch and server. The publish
   * stage (and its Parquet writer) loads only when a face publishes.
   */
  async publish(outDir, o2 = {}) {
    const { publishSite } = await import("./publish-26JLJMFA.js");
    const e = this.env;
    const repo = o2.suggest?.repo ?? e.GITHUB_REPOSITORY;
    const serverUrl = o2.suggest?.serverUrl ?? e.GITHUB_SERVER_URL;
    return publishSite(await this.state(), outDir, {
      ...o2,
      stateDir: this.stateDir,
      catalog: await this.catalog(),
      suggest: {
        ...o2.suggest,
        ...repo ? { repo } : {},
        branch: o2.suggest?.branch ?? e.GITHUB_REF_NAME ?? "main",
        ...serverUrl ? { serverUrl } : {}
      }
    });
  }
  /** scan -> plan -> build -> record on this machine, holding the state lock for the run. */
  async pipeline(o2) {
    return runPipeline(await this.pipelineOptions(o2));
  }
  /** Pinned releases, each through the whole pipeline on its own with this session's settings (`refinery yield`). */
  async yield(entries, o2) {
    const { startBefore, onRow, onUnit, ...rest } = o2;
    const { onUnit: _pipelineOnly, ...setup } = await this.pipelineOptions(rest);
    return runYield(entries, {
      ...setup,
      ...startBefore !== void 0 ? { startBefore } : {},
      ...onRow ? { onRow } : {},
      ...onUnit ? { onUnit } : {}
    });
  }
  /** The pipeline's options from this session: what `pipeline` runs, and what a yield run repeats per release. */
  async pipelineOptions(o2) {
    const { only, ...rest } = o2;
    const config = this.configFor(only);
    const keys = only ? new Set(only) : void 0;
    return {
      ...rest,
      config,
      baseDir: this.baseDir,
      stateDir: this.stateDir,
      cacheDir: this.cacheDir,
      env: this.env,
      uv: () => this.uv(),
      presets: await this.presets(),
      catalog: await this.catalog(),
      recipes: await this.recipes(),
      passEnv: this.passEnv,
      unitTimeoutMs: this.settings.unitTimeoutMs,
      maxAttempts: this.settings.maxAttempts,
      ...keys ? { unitFilter: (u2) => keys.has(`${u2.package}==${u2.version}`) } : {}
    };
  }
  /** The config, or with `only` one that scans exactly those pins: their dependencies are not the drain's business. */
  configFor(only) {
    return only ? { ...this.config, requirements: [{ packages: [...only] }], expansion: { ...this.config.expansion, maxDepth: 0 } } : this.config;
  }
  /** Where this build runs, for the result: the Actions run URL and runner name when there is one. */
  runInfo() {
    const e = this.env;
    return {
      ...e.GITHUB_RUN_ID && e.GITHUB_SERVER_URL && e.GITHUB_REPOSITORY ? { runUrl: `${e.GITHUB_SERVER_URL}/${e.GITHUB_REPOSITORY}/actions/runs/${e.GITHUB_RUN_ID}` } : {},
      ...e.RUNNER_NAME ? { runner: e.RUNNER_NAME } : {}
    };
  }
};
async function openSession(input) {
  const resolved = await resolveConfig(input.cwd, input.env, input.flags ?? {});
  return new Session(input, resolved);
}

// src/domain/model/inventory.ts
var INVENTORY_STATUSES = ["upstream-wheel", "built", "needs-build", "no-source", "excluded", "known-failing"];
var InventoryStatus = external_exports.enum(INVENTORY_STATUSES);
var InventoryEntry = external_exports.object({
  /** PEP 503 normalized name. */
  name: external_exports.string(),
  version: external_exports.string(),
  /** CPython minor version of the target, e.g. "3.12". */
  python: external_exports.string(),
  /** Target id, e.g. cp312-manylinux_2_28_s390x. */
  target: external_exports.string(),
  status: InventoryStatus,
  /** Human reason, always present: which wheel, which sdist, which rule, which attempt. */
  reason: external_exports.string(),
  /** upstream-wheel: the chosen wheel. */
  wheel: DistFile.optional(),
  /** needs-build: the sdist to build from. */
  sdist: DistFile.optional(),
  /** excluded: the matching rule. */
  rule: external_exports.string().optional(),
  /** built: manifest filename; known-failing: the attempt id. */
  ref: external_exports.string().optional(),
  /** Shortest distance from a top-level requirement (0 = asked for directly). */
  depth: external_exports.number().int().nonnegative(),
  /** Packages that pulled this one in (normalized names); empty for top-level. */
  requiredBy: external_exports.array(external_exports.string()),
  /** Build requirements (PEP 518) read from the sdist, for ordering builds. */
  buildRequires: external_exports.array(external_exports.string()).optional(),
  /** What the sdist compiles (bytes of C, C++, Cython, Fortran, Rust sources; tests and data left out), for estimates. */
  source: external_exports.object({
    bytes: external_exports.number().int().nonnegative(),
    languages: external_exports.array(external_exports.string()),
    /** The -sys crates of its Cargo.lock (openssl-sys): system libraries a Rust build links, for pre-flight remedies. */
    sysCrates: external_exports.array(external_exports.string()).optional()
  }).optional(),
  /**
   * How many builds serve the targets: `abi3` (upstream ships abi3 wheels) and `none` (the
   * refinery's builds of it came out pure Python) build once for every Python; `cpython`, per Python.
   */
  abi: external_exports.enum(["cpython", "abi3", "none"]).optional()
});
var CutEntry = external_exports.object({
  name: external_exports.string(),
  version: external_exports.string().optional(),
  target: external_exports.string(),
  reason: external_exports.string()
});
var InventoryWarning = external_exports.object({
  message: external_exports.string(),
  file: external_exports.string().optional(),
  line: external_exports.number().int().optional()
});
var Inventory = external_exports.object({
  schema: external_exports.literal("refinery/inventory@1"),
  generatedAt: external_exports.string(),
  targets: external_exports.array(external_exports.string()),
  packages: external_exports.array(InventoryEntry),
  /** What bounded expansion left out, and why. */
  cut: external_exports.array(CutEntry),
  summary: external_exports.record(external_exports.string(), external_exports.number()),
  /** Present when the requirements used options scan ignores (`--find-links`, `--pre`, ...). */
  warnings: external_exports.array(InventoryWarning).optional()
});

// src/domain/model/plan.ts
var Runner = external_exports.object({
  /** `native`: an s390x runner; `qemu`: an x86 runner emulating s390x. */
  kind: external_exports.enum(["native", "qemu"]),
  /** runs-on labels. */
  labels: external_exports.array(external_exports.string()).min(1)
});
var PlanUnit = external_exports.object({
  /** Stable, filesystem- and job-name-safe id: `<name>-<version>-<variant>-<preset>`. */
  id: external_exports.string().regex(/^[A-Za-z0-9._-]+$/),
  package: external_exports.string(),
  version: external_exports.string(),
  /** "3.12" for a version-specific build, "abi3" or "py3" for one build that serves many. */
  python: external_exports.string(),
  /** Interpreter to build with (for abi3/py3: the lowest target Python). */
  buildPython: external_exports.string(),
  /** Target ids this unit's wheel serves. */
  targets: external_exports.array(external_exports.string()),
  preset: external_exports.string(),
  /** Hint ids to apply from the first attempt (recipe, learned, or predicted from build requirements). */
  hints: external_exports.array(external_exports.string()),
  /** The subset of `hints` predicted from the sdist's build requirements (pre-flight remedies). */
  predictedHints: external_exports.array(external_exports.string()).optional(),
  /**
   * `turbo`: compile with the host's cross compilers where the build machine has them (else
   * emulated); `emulated`: everything under QEMU. Absent (older plans): turbo.
   */
  compiler: Compiler.optional(),
  runner: Runner,
  /** runs-on as a JSON string, for `runs-on: ${{ fromJSON(matrix.runs_on) }}`. */
  runs_on: external_exports.string(),
  /** Build order: 0 first; a unit waits for every lower wave. */
  wave: external_exports.number().int().nonnegative(),
  /** Ids of units in earlier waves whose wheels this one needs to build. */
  needs: external_exports.array(external_exports.string()),
  sdist: external_exports.object({ filename: external_exports.string(), url: external_exports.string(), sha256: external_exports.string().optional() }),
  /** Seconds: from this package's builds in the same setting when the state has any, else a prior. */
  estimatedSeconds: external_exports.number().nonnegative(),
  /** Where `estimatedSeconds` comes from: `history` (recorded builds) or `prior` (what the sdist compiles). */
  estimateSource: external_exports.enum(["history", "prior"]).optional(),
  /** What the estimate rests on, in words (printed by `refinery plan`). */
  estimateBasis: external_exports.string().optional(),
  /** The estimate is over the unit timeout (or the job limit): said at plan time, not learned from a kill. */
  overTimeout: external_exports.boolean().optional(),
  /** Why it is planned (new, retry-queue, changed inputs). */
  reason: external_exports.string()
});
var Shard = external_exports.object({
  index: external_exports.number().int().nonnegative(),
  wave: external_exports.number().int().nonnegative(),
  matrix: external_exports.object({ include: external_exports.array(PlanUnit) })
});
var Plan = external_exports.object({
  schema: external_exports.literal("refinery/plan@1"),
  generatedAt: external_exports.string(),
  /** All units, wave order. */
  matrix: external_exports.object({ include: external_exports.array(PlanUnit) }),
  shards: external_exports.array(Shard),
  waves: external_exports.number().int().nonnegative(),
  /** Things deliberately not planned (known-failing without changed inputs, recipe skips). */
  skipped: external_exports.array(external_exports.object({ package: external_exports.string(), version: external_exports.string(), reason: external_exports.string() })),
  estimatedSeconds: external_exports.number().nonnegative(),
  /**
   * Each wave's units packed into at most `limits.maxParallel` batches (one matrix entry, one job,
   * its units built in order), longest first, each under the job time limit.
   */
  batches: external_exports.array(
    external_exports.object({
      wave: external_exports.number().int().nonnegative(),
      index: external_exports.number().int().nonnegative(),
      units: external_exports.array(external_exports.string()),
      estimatedSeconds: external_exports.number().nonnegative()
    })
  ).default([]),
  /** Estimated wall time of all waves on `limits.maxParallel` runners, and the bound no packing beats. */
  makespanSeconds: external_exports.number().nonnegative().optional(),
  lowerBoundSeconds: external_exports.number().nonnegative().optional()
});

export {
  FRONTENDS,
  RefineryConfig,
  effectivePreset,
  DEFAULT_CONFIG_FILE,
  parseConfig,
  loadConfigFile,
  applyFlags,
  EXECUTOR_KINDS,
  makeExecutor,
  chooseExecutor,
  environmentError,
  withStateLock,
  saveState,
  manifestFor,
  knownFailing,
  learnedHints,
  dueQueueEntries,
  allQueueEntries,
  findReusable,
  requestBuild,
  dropQueued,
  withdrawWheels,
  plan,
  readVerified,
  LocalWheelStore,
  GitHubReleaseStore,
  reuseWheel,
  parseStoreSpec,
  commitStateWithApi,
  commitStateWithGit,
  DEFAULT_RESULT_LIMITS,
  readResults,
  wheelPath,
  record,
  openStore,
  cacheStoreDir,
  recordResults,
  loadHintCatalog,
  hintById,
  hintAdvice,
  matchLog,
  uvSeedsDir,
  unitFingerprint,
  buildUnit,
  seedsDir,
  buildInfo,
  planFromState,
  IndexClient,
  targetsOf,
  scan,
  scanFromConfig,
  runPipeline,
  parseYieldList,
  yieldTable,
  UV_VERSION,
  provisionedUvPath,
  locateUv,
  Session,
  openSession,
  INVENTORY_STATUSES,
  InventoryStatus,
  InventoryEntry,
  CutEntry,
  InventoryWarning,
  Inventory,
  Runner,
  PlanUnit,
  Shard,
  Plan
};
