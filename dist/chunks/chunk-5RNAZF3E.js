import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  run
} from "./chunk-RYNH5UWE.js";
import {
  BlobCache,
  HttpClient,
  downloadVerified,
  parseCoreMetadata,
  readSdistBuildRequires,
  readSdistPkgInfo,
  readWheelMetadata,
  redactUrl,
  sha256,
  staticRequiresDist
} from "./chunk-LOLMKOCG.js";
import {
  DEFAULT_PRIMARY_INDEX,
  httpLimits,
  knownFailing,
  manifestFor
} from "./chunk-B3SVX456.js";
import {
  loadState,
  writeCacheFileSync
} from "./chunk-3LOFCYLJ.js";
import {
  Remedy
} from "./chunk-U7XWDEL6.js";
import {
  Preset,
  policyLibc,
  require_dist,
  targetId
} from "./chunk-WVSMWCXV.js";
import {
  SPECIFIER_SOURCE,
  clauseContains,
  external_exports,
  isSdist,
  isValidSpecifier,
  isValidSpecifierClause,
  isValidVersion,
  isWheel,
  normalizeName,
  normalizeSpecifierSet,
  normalizeVersion,
  parseSdistFilename,
  parseWheelFilename,
  satisfies,
  versionCompare
} from "./chunk-UNLQIFJ6.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import {
  __toESM
} from "./chunk-WHY2Q3TU.js";

// src/domain/presets/load.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";
var PresetFile = external_exports.strictObject({
  version: external_exports.literal(1),
  presets: external_exports.record(external_exports.string(), Preset.omit({ name: true }))
});
function parsePresets(text, file) {
  const doc = (0, import_yaml.parseDocument)(text, { prettyErrors: true, uniqueKeys: true });
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
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new RefineryError("config", `cannot read presets: ${e.code ?? String(e)}`, { location: { file } });
  }
  return parsePresets(text, file);
}
function withUserPresets(shipped, user, configFile = "refinery.yml") {
  const out = new Map(shipped);
  for (const [name, o] of Object.entries(user)) {
    const { extends: baseName, ...fields } = o;
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
function definedOnly(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== void 0));
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
  const path2 = preset.python[python];
  if (!path2) {
    throw new RefineryError("config", `preset '${preset.name}' has no Python ${python}`, {
      fix: `it has ${Object.keys(preset.python).join(", ")}; pick another preset or add the interpreter path under presets.${preset.name}.python`
    });
  }
  return path2;
}

// src/domain/recipes/load.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { readdir, readFile as readFile2 } from "node:fs/promises";
import { join } from "node:path";
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
  const doc = (0, import_yaml2.parseDocument)(text, { prettyErrors: true, uniqueKeys: true });
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
    names = (await readdir(dir)).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml")).sort();
  } catch (e) {
    if (e.code === "ENOENT") return /* @__PURE__ */ new Map();
    throw e;
  }
  const out = /* @__PURE__ */ new Map();
  for (const f of names) {
    const file = join(dir, f);
    const r = parseRecipe(await readFile2(file, "utf8"), file);
    out.set(normalizeName(r.name), r);
  }
  return out;
}
function recipeFor(recipes, pkg) {
  return recipes?.get(normalizeName(pkg));
}

// src/domain/package-index/client.ts
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join3 } from "node:path";

// src/adapters/http-cache.ts
import { readFileSync as readFileSync2, rmSync } from "node:fs";
import { join as join2 } from "node:path";

// src/adapters/page-pack.ts
import { readFileSync } from "node:fs";
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
  static load(path2) {
    let raw;
    try {
      raw = readFileSync(path2);
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
  static write(path2, entries) {
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
      writeCacheFileSync(path2, Buffer.concat([Buffer.from(`${MAGIC}${index.length} ${sha256(body)}
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
    PagePack.write(join2(this.dir, "pages.pack"), merged);
    this.packStale = false;
  }
  loadPack() {
    if (this.pack === void 0) this.pack = PagePack.load(join2(this.dir, "pages.pack"));
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
  getImmutable(url, sha256Hex) {
    return this.blobs.getImmutable(url, sha256Hex);
  }
  /** A verified copy of a distribution; see BlobCache.fetchBlob. */
  fetchBlob(url, sha256Hex) {
    return this.blobs.fetchBlob(url, sha256Hex);
  }
  blobPath(sha256Hex) {
    return this.blobs.blobPath(sha256Hex);
  }
  /**
   * One flat folder of page entries: a first scan creates a thousand of them, and fanning them out
   * over 256 sub-folders cost 256 mkdirs on top (ext4 and the like index large folders anyway).
   */
  entryPath(key) {
    return join2(this.dir, "pages", `${sha256(key)}.entry`);
  }
  readEntryFile(key) {
    try {
      return readFileSync2(this.entryPath(key));
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
  let u;
  try {
    u = new URL(href, pageUrl);
  } catch {
    throw indexError(String(pageUrl), `${where}: ${JSON.stringify(href)} is not a valid URL`);
  }
  if (u.hash) u.hash = "";
  if (u.username) u.username = "";
  if (u.password) u.password = "";
  return u.href;
}
function fragmentHashes(href) {
  const hash = href.includes("#") ? href.slice(href.indexOf("#") + 1) : "";
  const m = /^([A-Za-z0-9_]+)=([0-9A-Fa-f]+)$/.exec(hash);
  return m ? { [m[1].toLowerCase()]: m[2].toLowerCase() } : {};
}
function urlFilename(url) {
  const path2 = new URL(url).pathname;
  const last = path2.slice(path2.lastIndexOf("/") + 1);
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
  function decodeDelta(count, off) {
    let previous = 0;
    let slot = off;
    const end = off + count;
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
  function readNgramReferences(count, startSlot) {
    for (let index = 0; index < count; index++) {
      const slot = startSlot + index;
      const a = readSlotCode();
      const b = readSlotCode();
      references[ngramIndex * 2] = a;
      references[ngramIndex * 2 + 1] = b;
      ngramIndex += 1;
      start[slot] = poolSize;
      const entryLength = (single[a] < 0 ? length[a] : 1) + (single[b] < 0 ? length[b] : 1);
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
function isWhitespace(c) {
  return c === CharCodes2.Space || c === CharCodes2.NewLine || c === CharCodes2.Tab || c === CharCodes2.FormFeed || c === CharCodes2.CarriageReturn;
}
function isEndOfTagSection(c) {
  return c === CharCodes2.Slash || c === CharCodes2.Gt || isWhitespace(c);
}
function isASCIIAlpha(c) {
  return c >= CharCodes2.LowerA && c <= CharCodes2.LowerZ || c >= CharCodes2.UpperA && c <= CharCodes2.UpperZ;
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
var Tokenizer = class {
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
    this.entityDecoder = new EntityDecoder(xmlMode ? xmlDecodeTree : htmlDecodeTree, (cp, consumed) => this.emitCodePoint(cp, consumed));
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
  stateText(c) {
    if (c === CharCodes2.Lt || !this.decodeEntities && this.fastForwardTo(CharCodes2.Lt)) {
      if (this.index > this.sectionStart) {
        this.cbs.ontext(this.sectionStart, this.index);
      }
      this.state = State.BeforeTagName;
      this.sectionStart = this.index;
    } else if (this.decodeEntities && c === CharCodes2.Amp) {
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
  stateSpecialStartSequence(c) {
    const lower = c | 32;
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
    } else if (isEndOfTagSection(c)) {
      this.sequenceIndex = 0;
      this.state = State.InTagName;
      this.stateInTagName(c);
      return;
    }
    this.isSpecial = false;
    this.currentSequence = Sequences.Empty;
    this.sequenceIndex = 0;
    this.state = State.InTagName;
    this.stateInTagName(c);
  }
  stateCDATASequence(c) {
    if (c === Sequences.Cdata[this.sequenceIndex]) {
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
        this.stateInDeclaration(c);
      } else {
        this.state = State.InSpecialComment;
        this.stateInSpecialComment(c);
      }
    }
  }
  /**
   * When we wait for one specific character, we can speed things up
   * by skipping through the buffer until we find it.
   * @param c Current character code point.
   * @returns Whether the character was found.
   */
  fastForwardTo(c) {
    while (++this.index < this.buffer.length + this.offset) {
      if (this.buffer.charCodeAt(this.index - this.offset) === c) {
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
  stateInCommentLike(c) {
    if (!this.xmlMode && this.currentSequence === Sequences.CommentEnd && this.sequenceIndex <= 1 && /*
     * We're still at the very start of the comment: the only
     * characters consumed since `<!--` are the dashes that
     * advanced sequenceIndex (0 for `<!-->`, 1 for `<!--->`).
     */
    this.index === this.sectionStart + this.sequenceIndex && c === CharCodes2.Gt) {
      this.emitComment(this.sequenceIndex);
    } else if (this.currentSequence === Sequences.CommentEnd && this.sequenceIndex === 2 && c === CharCodes2.Gt) {
      this.emitComment(2);
    } else if (this.currentSequence === Sequences.CommentEnd && this.sequenceIndex === this.currentSequence.length - 1 && c !== CharCodes2.Gt) {
      this.sequenceIndex = Number(c === CharCodes2.Dash);
    } else if (c === this.currentSequence[this.sequenceIndex]) {
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
    } else if (c !== this.currentSequence[this.sequenceIndex - 1]) {
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
  isTagStartChar(c) {
    return this.xmlMode ? !isEndOfTagSection(c) : isASCIIAlpha(c);
  }
  /**
   * Scan raw-text / RCDATA content for the matching end tag.
   *
   * For RCDATA tags (`<title>`, `<textarea>`) entities are decoded inline.
   * For raw-text tags (`<script>`, `<style>`, etc.) we fast-forward to `<`.
   * @param c Current character code point.
   */
  stateInSpecialTag(c) {
    if (this.sequenceIndex === this.currentSequence.length) {
      if (isEndOfTagSection(c)) {
        const endOfText = this.index - this.currentSequence.length;
        if (this.sectionStart < endOfText) {
          const actualIndex = this.index;
          this.index = endOfText;
          this.cbs.ontext(this.sectionStart, endOfText);
          this.index = actualIndex;
        }
        this.isSpecial = false;
        this.sectionStart = endOfText + 2;
        this.stateInClosingTagName(c);
        return;
      }
      this.sequenceIndex = 0;
    }
    if ((c | 32) === this.currentSequence[this.sequenceIndex]) {
      this.sequenceIndex += 1;
    } else if (this.sequenceIndex === 0) {
      if (this.currentSequence === Sequences.TitleEnd || this.currentSequence === Sequences.TextareaEnd) {
        if (this.decodeEntities && c === CharCodes2.Amp) {
          this.startEntity();
        }
      } else if (this.fastForwardTo(CharCodes2.Lt)) {
        this.sequenceIndex = 1;
      }
    } else {
      this.sequenceIndex = Number(c === CharCodes2.Lt);
    }
  }
  stateBeforeTagName(c) {
    if (c === CharCodes2.ExclamationMark) {
      this.state = State.BeforeDeclaration;
      this.sectionStart = this.index + 1;
    } else if (c === CharCodes2.Questionmark) {
      if (this.xmlMode) {
        this.state = State.InProcessingInstruction;
        this.sequenceIndex = 0;
        this.sectionStart = this.index + 1;
      } else {
        this.state = State.InSpecialComment;
        this.sectionStart = this.index;
      }
    } else if (this.isTagStartChar(c)) {
      this.sectionStart = this.index;
      const special = this.xmlMode || this.cbs.isInForeignContext?.() ? void 0 : specialStartSequences.get(c | 32);
      if (special === void 0) {
        this.state = State.InTagName;
      } else {
        this.isSpecial = true;
        this.currentSequence = special;
        this.sequenceIndex = 3;
        this.state = State.SpecialStartSequence;
      }
    } else if (c === CharCodes2.Slash) {
      this.state = State.BeforeClosingTagName;
    } else {
      this.state = State.Text;
      this.stateText(c);
    }
  }
  stateInTagName(c) {
    if (isEndOfTagSection(c)) {
      this.cbs.onopentagname(this.sectionStart, this.index);
      this.sectionStart = -1;
      this.state = State.BeforeAttributeName;
      this.stateBeforeAttributeName(c);
    }
  }
  stateBeforeClosingTagName(c) {
    if (isWhitespace(c)) {
      if (this.xmlMode) {
      } else {
        this.state = State.InSpecialComment;
        this.sectionStart = this.index;
      }
    } else if (c === CharCodes2.Gt) {
      this.state = State.Text;
      if (!this.xmlMode) {
        this.sectionStart = this.index + 1;
      }
    } else {
      this.state = this.isTagStartChar(c) ? State.InClosingTagName : State.InSpecialComment;
      this.sectionStart = this.index;
    }
  }
  stateInClosingTagName(c) {
    if (isEndOfTagSection(c)) {
      this.cbs.onclosetag(this.sectionStart, this.index);
      this.sectionStart = -1;
      this.state = State.AfterClosingTagName;
      this.stateAfterClosingTagName(c);
    }
  }
  stateAfterClosingTagName(c) {
    if (c === CharCodes2.Gt || this.fastForwardTo(CharCodes2.Gt)) {
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    }
  }
  stateBeforeAttributeName(c) {
    if (c === CharCodes2.Gt) {
      this.cbs.onopentagend(this.index);
      this.enterTagBody();
      this.sectionStart = this.index + 1;
    } else if (c === CharCodes2.Slash) {
      this.state = State.InSelfClosingTag;
    } else if (!isWhitespace(c)) {
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
  stateInSelfClosingTag(c) {
    if (c === CharCodes2.Gt) {
      this.cbs.onselfclosingtag(this.index);
      this.sectionStart = this.index + 1;
      if (!this.recognizeSelfClosing) {
        this.enterTagBody();
        return;
      }
      this.state = State.Text;
      this.isSpecial = false;
      this.currentSequence = Sequences.Empty;
    } else if (!isWhitespace(c)) {
      this.state = State.BeforeAttributeName;
      this.stateBeforeAttributeName(c);
    }
  }
  stateInAttributeName(c) {
    if (c === CharCodes2.Eq || isEndOfTagSection(c)) {
      this.cbs.onattribname(this.sectionStart, this.index);
      this.sectionStart = this.index;
      this.state = State.AfterAttributeName;
      this.stateAfterAttributeName(c);
    }
  }
  stateAfterAttributeName(c) {
    if (c === CharCodes2.Eq) {
      this.state = State.BeforeAttributeValue;
    } else if (c === CharCodes2.Slash || c === CharCodes2.Gt) {
      this.cbs.onattribend(QuoteType.NoValue, this.sectionStart);
      this.sectionStart = -1;
      this.state = State.BeforeAttributeName;
      this.stateBeforeAttributeName(c);
    } else if (!isWhitespace(c)) {
      this.cbs.onattribend(QuoteType.NoValue, this.sectionStart);
      this.state = State.InAttributeName;
      this.sectionStart = this.index;
    }
  }
  stateBeforeAttributeValue(c) {
    if (c === CharCodes2.DoubleQuote) {
      this.state = State.InAttributeValueDq;
      this.sectionStart = this.index + 1;
    } else if (c === CharCodes2.SingleQuote) {
      this.state = State.InAttributeValueSq;
      this.sectionStart = this.index + 1;
    } else if (!isWhitespace(c)) {
      this.sectionStart = this.index;
      this.state = State.InAttributeValueNq;
      this.stateInAttributeValueNoQuotes(c);
    }
  }
  handleInAttributeValue(c, quote) {
    if (c === quote || !this.decodeEntities && this.fastForwardTo(quote)) {
      this.cbs.onattribdata(this.sectionStart, this.index);
      this.sectionStart = -1;
      this.cbs.onattribend(quote === CharCodes2.DoubleQuote ? QuoteType.Double : QuoteType.Single, this.index + 1);
      this.state = State.BeforeAttributeName;
    } else if (this.decodeEntities && c === CharCodes2.Amp) {
      this.startEntity();
    }
  }
  stateInAttributeValueDoubleQuotes(c) {
    this.handleInAttributeValue(c, CharCodes2.DoubleQuote);
  }
  stateInAttributeValueSingleQuotes(c) {
    this.handleInAttributeValue(c, CharCodes2.SingleQuote);
  }
  stateInAttributeValueNoQuotes(c) {
    if (isWhitespace(c) || c === CharCodes2.Gt) {
      this.cbs.onattribdata(this.sectionStart, this.index);
      this.sectionStart = -1;
      this.cbs.onattribend(QuoteType.Unquoted, this.index);
      this.state = State.BeforeAttributeName;
      this.stateBeforeAttributeName(c);
    } else if (this.decodeEntities && c === CharCodes2.Amp) {
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
  stateBeforeDeclaration(c) {
    if (c === CharCodes2.OpeningSquareBracket) {
      this.state = State.CDATASequence;
      this.sequenceIndex = 0;
    } else if (this.xmlMode) {
      this.state = c === CharCodes2.Dash ? State.BeforeComment : State.InDeclaration;
    } else if ((c | 32) === Sequences.Doctype[0]) {
      this.state = State.DeclarationSequence;
      this.currentSequence = Sequences.Doctype;
      this.sequenceIndex = 1;
    } else if (c === CharCodes2.Gt) {
      this.cbs.oncomment(this.sectionStart, this.index, 0);
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    } else if (c === CharCodes2.Dash) {
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
  stateDeclarationSequence(c) {
    if (this.sequenceIndex === this.currentSequence.length) {
      this.state = State.InDeclaration;
      this.stateInDeclaration(c);
    } else if ((c | 32) === this.currentSequence[this.sequenceIndex]) {
      this.sequenceIndex += 1;
    } else if (c === CharCodes2.Gt) {
      this.cbs.oncomment(this.sectionStart, this.index, 0);
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    } else {
      this.state = State.InSpecialComment;
    }
  }
  stateInDeclaration(c) {
    if (c === CharCodes2.Gt || this.fastForwardTo(CharCodes2.Gt)) {
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
  stateInProcessingInstruction(c) {
    if (c === CharCodes2.Questionmark) {
      this.sequenceIndex = 1;
    } else if (c === CharCodes2.Gt && this.sequenceIndex === 1) {
      this.cbs.onprocessinginstruction(this.sectionStart, this.index - 1);
      this.sequenceIndex = 0;
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    } else {
      this.sequenceIndex = Number(this.fastForwardTo(CharCodes2.Questionmark));
    }
  }
  stateBeforeComment(c) {
    if (c === CharCodes2.Dash) {
      this.state = State.InCommentLike;
      this.currentSequence = Sequences.CommentEnd;
      this.sequenceIndex = 0;
      this.sectionStart = this.index + 1;
    } else if (this.xmlMode) {
      this.state = State.InDeclaration;
    } else if (c === CharCodes2.Gt) {
      this.cbs.oncomment(this.sectionStart, this.index, 0);
      this.state = State.Text;
      this.sectionStart = this.index + 1;
    } else {
      this.state = State.InSpecialComment;
    }
  }
  stateInSpecialComment(c) {
    if (c === CharCodes2.Gt || this.fastForwardTo(CharCodes2.Gt)) {
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
      const c = this.buffer.charCodeAt(this.index - this.offset);
      switch (this.state) {
        case State.Text: {
          this.stateText(c);
          break;
        }
        case State.InPlainText: {
          this.index = this.buffer.length + this.offset - 1;
          break;
        }
        case State.SpecialStartSequence: {
          this.stateSpecialStartSequence(c);
          break;
        }
        case State.InSpecialTag: {
          this.stateInSpecialTag(c);
          break;
        }
        case State.CDATASequence: {
          this.stateCDATASequence(c);
          break;
        }
        case State.DeclarationSequence: {
          this.stateDeclarationSequence(c);
          break;
        }
        case State.InAttributeValueDq: {
          this.stateInAttributeValueDoubleQuotes(c);
          break;
        }
        case State.InAttributeName: {
          this.stateInAttributeName(c);
          break;
        }
        case State.InCommentLike: {
          this.stateInCommentLike(c);
          break;
        }
        case State.InSpecialComment: {
          this.stateInSpecialComment(c);
          break;
        }
        case State.BeforeAttributeName: {
          this.stateBeforeAttributeName(c);
          break;
        }
        case State.InTagName: {
          this.stateInTagName(c);
          break;
        }
        case State.InClosingTagName: {
          this.stateInClosingTagName(c);
          break;
        }
        case State.BeforeTagName: {
          this.stateBeforeTagName(c);
          break;
        }
        case State.AfterAttributeName: {
          this.stateAfterAttributeName(c);
          break;
        }
        case State.InAttributeValueSq: {
          this.stateInAttributeValueSingleQuotes(c);
          break;
        }
        case State.BeforeAttributeValue: {
          this.stateBeforeAttributeValue(c);
          break;
        }
        case State.BeforeClosingTagName: {
          this.stateBeforeClosingTagName(c);
          break;
        }
        case State.AfterClosingTagName: {
          this.stateAfterClosingTagName(c);
          break;
        }
        case State.InAttributeValueNq: {
          this.stateInAttributeValueNoQuotes(c);
          break;
        }
        case State.InSelfClosingTag: {
          this.stateInSelfClosingTag(c);
          break;
        }
        case State.InDeclaration: {
          this.stateInDeclaration(c);
          break;
        }
        case State.BeforeDeclaration: {
          this.stateBeforeDeclaration(c);
          break;
        }
        case State.BeforeComment: {
          this.stateBeforeComment(c);
          break;
        }
        case State.InProcessingInstruction: {
          this.stateInProcessingInstruction(c);
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
  emitCodePoint(cp, consumed) {
    if (this.baseState !== State.Text && this.baseState !== State.InSpecialTag) {
      if (this.sectionStart < this.entityStart) {
        this.cbs.onattribdata(this.sectionStart, this.entityStart);
      }
      this.sectionStart = this.entityStart + consumed;
      this.index = this.sectionStart - 1;
      this.cbs.onattribentity(cp);
    } else {
      if (this.sectionStart < this.entityStart) {
        this.cbs.ontext(this.sectionStart, this.entityStart);
      }
      this.sectionStart = this.entityStart + consumed;
      this.index = this.sectionStart - 1;
      this.cbs.ontextentity(cp, this.sectionStart);
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
    this.tokenizer = new (options.Tokenizer ?? Tokenizer)(this.options, this);
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
  ontextentity(cp, endIndex) {
    this.endIndex = endIndex - 1;
    this.cbs.ontext?.(fromCodePoint(cp));
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
  onattribentity(cp) {
    this.attribvalue += fromCodePoint(cp);
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
  const files = anchors.map((a) => {
    const url = resolveLink(a.href, base, `<a href=${JSON.stringify(a.href)}>`);
    const hashes = fragmentHashes(a.href);
    const filename = urlFilename(url);
    const file = {
      filename,
      url,
      hashes,
      yanked: a.attrs["data-yanked"] === void 0 ? false : a.attrs["data-yanked"],
      metadata: metadataAttr(a.attrs["data-core-metadata"] ?? a.attrs["data-dist-info-metadata"], pageUrl, filename)
    };
    const rp = a.attrs["data-requires-python"];
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
  const files = page.files.map((f, i) => {
    const hashes = {};
    for (const [k, v] of Object.entries(f.hashes)) hashes[k.toLowerCase()] = v.toLowerCase();
    const meta = f["core-metadata"] ?? f["dist-info-metadata"] ?? false;
    const file = {
      filename: f.filename,
      url: resolveLink(f.url, base, `files.${i}.url`),
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
    const n = normalizeVersion(v);
    if (n !== null) versions.push(n);
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
    const normalized = normalizeVersion(version) ?? version;
    files.push(file);
    fileVersions.push(normalized);
    versions.push(normalized);
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
  static fromFiles(files, url, format) {
    const groups = /* @__PURE__ */ new Map();
    files.files.forEach((f, i) => {
      const v = files.fileVersions[i];
      const list = groups.get(v);
      if (list) list.push(f);
      else groups.set(v, [f]);
    });
    const chunks = [...groups.values()].map((list) => Buffer.from(JSON.stringify(list)));
    const header = {
      url,
      format,
      versions: files.versions,
      skipped: files.skipped,
      releases: [...groups.keys()].map((v, i) => [v, chunks[i].length])
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
    const h = head;
    let bytes = 0;
    const ok = typeof h === "object" && h !== null && typeof h.url === "string" && (h.format === "json" || h.format === "html") && Array.isArray(h.versions) && Array.isArray(h.skipped) && Array.isArray(h.releases) && h.releases.every((r) => Array.isArray(r) && typeof r[0] === "string" && Number.isInteger(r[1]) && (bytes += r[1]) >= 0) && bytes === data.length;
    return ok ? new _ProjectPage(h, data) : void 0;
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
    for (const [i, page] of perIndex.entries()) {
      if (!page) continue;
      out.found = true;
      out.sources.push({ index: this.indexes[i], format: page.format });
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
      async (path2) => wheel ? metadataResult(await readWheelMetadata(path2, file.filename), "wheel", file) : metadataResult(await readSdistPkgInfo(path2, file.filename), "sdist", file)
    );
  }
  /** `[build-system] requires` of an sdist (pip's default ["setuptools>=40.8.0"] when absent). */
  async getBuildRequires(sdistFile) {
    if (isWheel(sdistFile.filename)) throw new RefineryError("input", `${sdistFile.filename} is a wheel, not an sdist: it has no build requirements`);
    return this.withLocalCopy(sdistFile, (path2) => readSdistBuildRequires(path2, sdistFile.filename));
  }
  /**
   * Download a file into `destDir` (created when missing) and return its path. The sha256 the index
   * published is checked; on a mismatch nothing is left behind. Files without a published hash are
   * downloaded unverified (as pip does without --require-hashes).
   */
  async download(file, destDir) {
    const dest = join3(destDir, safeFilename(file));
    await mkdir(destDir, { recursive: true });
    if (this.cache && file.sha256) {
      const blob = await this.cache.fetchBlob(file.url, file.sha256);
      const tmp = `${dest}.${randomBytes(4).toString("hex")}.part`;
      try {
        await copyFile(blob, tmp);
        await rename(tmp, dest);
      } finally {
        await rm(tmp, { force: true });
      }
      return dest;
    }
    await downloadVerified(this.http, file.url, dest, file.sha256);
    return dest;
  }
  memo(map, key, load) {
    const known = map.get(key);
    if (known) return known;
    const p = load();
    map.set(key, p);
    p.catch(() => map.delete(key));
    return p;
  }
  register(ix) {
    let u;
    try {
      u = new URL(ix.url);
    } catch {
      throw new RefineryError("config", `index URL ${JSON.stringify(redactUrl(ix.url))} is not a valid URL`, { fix: "use e.g. https://pypi.org/simple/" });
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") {
      throw new RefineryError("config", `index URL ${redactUrl(ix.url)} must be http(s)`, { fix: "use e.g. https://pypi.org/simple/" });
    }
    const auth = ix.auth ?? (u.username || u.password ? { kind: "basic", username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : void 0);
    u.username = "";
    u.password = "";
    u.hash = "";
    if (!u.pathname.endsWith("/")) u.pathname += "/";
    if (auth) this.http.addCredential({ prefix: `${u.origin}/`, auth });
    return u.toString();
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
      if (want && sha256(body) !== want) {
        throw new RefineryError("index", `sha256 mismatch for ${redactUrl(url)}: the index says ${want}, the download is ${sha256(body)}`, {
          fix: "the metadata file does not match the index page; retry, and report it to the index operator if it persists"
        });
      }
    }
    return body?.toString("utf8");
  }
  /** A local, hash-checked copy of a file for reading members: from the cache, or a temp dir. */
  async withLocalCopy(file, use) {
    if (this.cache && file.sha256) return use(await this.cache.fetchBlob(file.url, file.sha256));
    const dir = await mkdtemp(join3(tmpdir(), "refinery-dist-"));
    try {
      return await use(await this.download(file, dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
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
  const format = JSON_TYPES.has(type) ? "json" : HTML_TYPES.has(type) ? "html" : void 0;
  if (!format) throw indexError(page.url, `unexpected content type ${JSON.stringify(type)} (expected PEP 691 JSON or PEP 503 HTML)`);
  const body = page.body.toString("utf8");
  const parsed = format === "json" ? parseJsonPage(body, page.url) : parseHtmlPage(body, page.url);
  return ProjectPage.fromFiles(pageToFiles(parsed, project, page.url, index), page.url, format);
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

// src/stages/scan/classify.ts
async function classify(c, target, targetId2, excludedRule, deps) {
  const base = { name: c.name, version: c.version, python: target.python, target: targetId2, depth: c.depth, requiredBy: c.requiredBy };
  if (excludedRule) return { ...base, status: "excluded", rule: excludedRule, reason: excludedRule };
  const got = deps.filesOf(c.name, c.version);
  const files = Array.isArray(got) ? got : await got;
  const wheel = deps.bestWheel(files, target);
  if (wheel) return { ...base, status: "upstream-wheel", wheel, reason: wheel.filename };
  const full = DEFAULT_PATCH[target.python] ?? `${target.python}.0`;
  const sdists = files.filter((f) => deps.isSdist(f.filename) && f.yanked === false && (!f.requiresPython || satisfies(full, f.requiresPython)));
  const sdist = sdists.find((f) => f.filename.endsWith(".tar.gz")) ?? sdists[0];
  const built = deps.built(c.name, c.version, target);
  if (built) return { ...base, status: "built", ref: built.filename, ...sdist ? { sdist } : {}, reason: `built by the refinery: ${built.filename}` };
  if (!sdist) {
    const wheels = files.filter((f) => f.filename.endsWith(".whl"));
    const excludedByPython = files.find((f) => f.requiresPython && !satisfies(full, f.requiresPython));
    const reason = files.length === 0 ? "no files for this version on any index" : excludedByPython && deps.isSdist(excludedByPython.filename) ? `its sdist requires Python ${excludedByPython.requiresPython}` : `no sdist, and none of its ${wheels.length} wheel(s) fits ${targetId2}`;
    return { ...base, status: "no-source", reason };
  }
  const failing = deps.knownFailing(c.name, c.version, target);
  if (failing) return { ...base, status: "known-failing", ref: failing.attempt, sdist, reason: `failed: ${failing.reason} (${failing.attempt})` };
  const abi = files.some((f) => f.filename.endsWith(".whl") && deps.wheelAbi(f.filename) === "abi3") ? "abi3" : deps.knownPure(c.name) ? "none" : "cpython";
  const buildRequires = await deps.buildRequires(sdist);
  return { ...base, status: "needs-build", sdist, abi, buildRequires, reason: sdist.filename };
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
  const normalized = namePart.trim().toLowerCase().replace(/[-_.]+/g, "-");
  const re = new RegExp(
    `^${normalized.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`
  );
  return re.test(name);
}

// src/stages/scan/resolve.ts
import { mkdtemp as mkdtemp2, rm as rm2, writeFile } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join4 } from "node:path";
var TOP = "<top>";
async function resolveUniversal(req) {
  const dir = await mkdtemp2(join4(tmpdir2(), "refinery-resolve-"));
  try {
    const input = join4(dir, "requirements.in");
    await writeFile(input, `${req.requirements.join("\n")}
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
      const constraints = join4(dir, "constraints.txt");
      await writeFile(constraints, `${req.constraints.join("\n")}
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
    await rm2(dir, { recursive: true, force: true });
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

// src/domain/model/order.ts
function byCodePoint(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
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
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i];
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
  reachable.sort((a, b) => a.depth - b.depth || byCodePoint(a.name, b.name));
  const kept = reachable.slice(0, bounds.maxPackages);
  for (const e of reachable.slice(bounds.maxPackages)) {
    cut.push({ name: e.name, version: e.version, target: targetId2, reason: `beyond expansion.maxPackages ${bounds.maxPackages} (depth ${e.depth})` });
  }
  kept.sort((a, b) => byCodePoint(a.name, b.name));
  cut.sort((a, b) => byCodePoint(a.name, b.name));
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
  packages.sort((a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.target, b.target));
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
import { join as join5 } from "node:path";

// src/domain/package-index/credentials.ts
function urlWithCredentials(ix) {
  if (!ix.auth) return ix.url;
  const u = new URL(ix.url);
  if (ix.auth.kind === "basic") {
    u.username = encodeURIComponent(ix.auth.username);
    u.password = encodeURIComponent(ix.auth.password);
  } else {
    u.username = "__token__";
    u.password = encodeURIComponent(ix.auth.token);
  }
  return u.toString();
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
    const operand = (o) => "variable" in o ? o.variable : `"${o.value}"`;
    return `${operand(node.left)} ${node.op} ${operand(node.right)}`;
  }
  if (node.length === 1 && node[0] !== void 0) return formatNode(node[0], Array.isArray(node[0]) ? first : true);
  const inner = node.map((n) => formatNode(n, false)).join(" ");
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
  const lookup = (o) => "value" in o ? o.value : variableValue(o.variable, env, extra);
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
var Tokenizer2 = class {
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
  enclosing(open, close, around, inner) {
    let openPosition;
    if (this.check(open)) {
      openPosition = this.position;
      this.read();
    }
    const value = inner();
    if (openPosition === void 0) return value;
    if (!this.check(close)) {
      this.fail(`Expected matching ${close} for ${open}, after ${around}`, openPosition);
    }
    this.read();
    return value;
  }
};
function parsePep508(source) {
  const t = new Tokenizer2(source);
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
  const t = new Tokenizer2(source);
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
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[i + 1];
    if (e === void 0) return void 0;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== void 0) {
      out += simple;
      i++;
      continue;
    }
    const hexLength = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hexLength > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) return void 0;
      const cp = parseInt(hex, 16);
      if (cp > 1114111) return void 0;
      out += String.fromCodePoint(cp);
      i += 1 + hexLength;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1));
    if (octal) {
      out += String.fromCodePoint(parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    if (e === "N") return void 0;
    out += `\\${e}`;
    i++;
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
  const cp = `cp${nodot}`;
  const tags = [];
  const each = (interp, abi) => {
    for (const p of plats) tags.push(`${interp}-${abi}-${p}`);
  };
  each(cp, cp);
  each(cp, "abi3");
  each(cp, "none");
  for (let m = minor - 1; m >= 2; m--) each(`cp${major}${m}`, "abi3");
  const pyRange = [`py${nodot}`, `py${major}`, ...Array.from({ length: minor }, (_, i) => `py${major}${minor - 1 - i}`)];
  for (const py of pyRange) each(py, "none");
  tags.push(`${cp}-none-any`);
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
    compatibleTags(target).forEach((t, i) => {
      if (!m.has(t)) m.set(t, i);
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
  if (abiTags.some((a) => a.startsWith("cp"))) return "cpython";
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
function better(a, b) {
  if (a.rank !== b.rank) return a.rank < b.rank;
  const an = a.wheel.build?.number ?? -1;
  const bn = b.wheel.build?.number ?? -1;
  if (an !== bn) return an > bn;
  return (a.wheel.build?.rest ?? "") > (b.wheel.build?.rest ?? "");
}

// src/stages/scan/services.ts
function scanServices(o) {
  const markers = /* @__PURE__ */ new Map();
  return {
    resolve: o.resolve,
    filesOf: (name, version) => o.index.releaseFiles(name, normalizeVersion(version) ?? version),
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
      const m = manifestFor(o.state, name, version).find((e) => e.targets.includes(id) || isPureWheel(e.tags) && wheelServes(e.tags, target));
      return m ? { filename: m.filename } : void 0;
    },
    knownPure(name) {
      const latest = o.state.packages.get(name)?.manifest.reduce((a, m) => !a || m.builtAt > a.builtAt ? m : a, void 0);
      return latest !== void 0 && isPureWheel(latest.tags);
    },
    knownFailing(name, version, target) {
      const k = knownFailing(o.state, name, version).find(
        (e) => e.retry !== "queued" && (e.variant === target.python || e.variant === "abi3" || e.variant === "py3")
      );
      return k ? { attempt: `${k.unit}#${k.attempt}`, reason: k.failureClass ?? "failure" } : void 0;
    },
    buildRequires: (sdist) => o.index.buildRequires(sdist),
    ...o.onProgress ? { onProgress: o.onProgress } : {},
    ...o.now ? { now: o.now } : {}
  };
}

// src/stages/scan/sources.ts
import { relative, resolve, sep } from "node:path";

// src/domain/python/requirements-file.ts
import { readFile as fsReadFile } from "node:fs/promises";
import path from "node:path";
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
  const abs = path.resolve(file);
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
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const n = i + 1;
    if (!raw.endsWith("\\") || COMMENT_LINE.test(raw)) {
      const line = COMMENT_LINE.test(raw) ? ` ${raw}` : raw;
      if (pending.length > 0) {
        joined.push({ line: start, text: pending.join("") + line });
        pending = [];
      } else joined.push({ line: n, text: line });
    } else {
      if (pending.length === 0) start = n;
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
    for (const o of options) {
      if (o.name === "--hash") {
        const h = (o.value ?? "").toLowerCase();
        const [algo, digest] = h.split(":", 2);
        const length = algo ? STRONG_HASHES[algo] : void 0;
        if (!length || !digest || !new RegExp(`^[0-9a-f]{${length}}$`).test(digest)) {
          error(`invalid --hash ${JSON.stringify(o.value ?? "")}`, "use --hash=sha256:<64 hex digits> (sha384 and sha512 also work)");
          return includes;
        }
        hashes.push(`${algo}:${digest}`);
      } else if (o.name === "--config-settings" || o.name === "--global-option") {
        ctx.out.ignoredOptions.push({ option: o.name, file, line });
      } else {
        error(`option ${o.name} cannot follow a requirement on the same line`, "put file-wide options on their own line");
        return includes;
      }
    }
    addRequirement(ctx, at, args, hashes, constraint, error);
    return includes;
  }
  for (const o of options) {
    const value = o.value ?? "";
    switch (o.name) {
      case "--requirement":
      case "--constraint": {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
          error(`remote requirements file ${value} is not supported`, "download it into the repository and include it by path");
          break;
        }
        const target = path.isAbsolute(value) ? value : path.join(path.dirname(file), value);
        includes.push({ file: target, constraint: o.name === "--constraint", from: at });
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
        ctx.out.ignoredOptions.push({ option: o.name, file, line });
        break;
      case "--no-index":
        ctx.out.noIndex = true;
        ctx.out.ignoredOptions.push({ option: o.name, file, line });
        break;
      case "--editable":
        error(`editable requirement ${JSON.stringify(value)} cannot be built as a wheel for s390x here`, "pin a released version (name==version) instead");
        break;
      case "--hash":
        error("--hash must follow a requirement on the same line");
        break;
      default:
        if (HARMLESS_OPTIONS.has(o.name)) ctx.out.ignoredOptions.push({ option: o.name, file, line });
        else
          error(
            `unknown or unsupported option ${o.name}`,
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
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
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
        value = tokens[++i];
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
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'" || c === '"') {
      const end = s.indexOf(c, i + 1);
      if (end < 0) throw new Error("unterminated quote in options");
      cur += s.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === "\\" && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
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
  for (const [i, source] of config.requirements.entries()) {
    if ("packages" in source) {
      allLocks = false;
      for (const [j, text] of source.packages.entries()) {
        const req = parseOrExplain(text, { field: `requirements.${i}.packages.${j}` });
        rejectUrl(req, { field: `requirements.${i}.packages.${j}` });
        set.requirements.push(req.source);
      }
      continue;
    }
    const file = resolve(baseDir, "file" in source ? source.file : source.lock);
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
    for (const o of parsed.ignoredOptions) {
      set.warnings.push({ message: ignoredBecause(o.option), file: relative(baseDir, o.file).split(sep).join("/"), line: o.line });
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
  if (allLocks) set.locked = dedupe(locked);
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
function dedupe(lines) {
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
      const a = auth(extra.usernameEnv, extra.passwordEnv);
      out.push({ url: extra.url, ...a ? { auth: a } : {} });
    }
  }
  const fileUrls = [...fromFiles.extraIndexUrls];
  if (fromFiles.indexUrl) {
    if (config.indexes.primary === DEFAULT_PRIMARY_INDEX) out[0] = { url: fromFiles.indexUrl };
    else fileUrls.unshift(fromFiles.indexUrl);
  }
  for (const url of fileUrls) {
    if (!out.some((o) => o.url === url)) out.push({ url });
  }
  return out;
}
async function scanFromConfig(o) {
  const set = await loadRequirementSet(o.config, o.baseDir, o.env);
  const indexes = indexesFromConfig(o.config, o.env, set);
  const index = new IndexClient({
    indexes,
    cacheDir: join5(o.cacheDir, "http"),
    httpOptions: {
      env: o.env,
      ...httpLimits(o.config),
      ...o.concurrency ? { concurrency: o.concurrency } : {},
      ...o.onHttpEvent ? { onEvent: o.onHttpEvent } : {}
    }
  });
  const state = o.state ?? await loadState(o.stateDir);
  const services = scanServices({
    index: {
      releaseFiles: (name, version) => index.releaseNow(name, version) ?? index.getRelease(name, version),
      buildRequires: (sdist) => index.getBuildRequires(sdist)
    },
    state,
    resolve: async (s, python) => resolveUniversal({
      requirements: s.requirements,
      constraints: s.constraints,
      python,
      // For uv: credentials go into the URLs, which travel in the environment, never in argv.
      indexUrl: urlWithCredentials(indexes[0]),
      extraIndexUrls: indexes.slice(1).map(urlWithCredentials),
      uv: await o.uv(),
      cacheDir: join5(o.cacheDir, "uv"),
      ...o.excludeNewer ? { excludeNewer: o.excludeNewer } : {}
    }),
    ...o.onProgress ? { onProgress: o.onProgress } : {}
  });
  try {
    return { inventory: await scan(set, o.config, services), index, indexes };
  } finally {
    index.saveCache();
  }
}

export {
  loadPresets,
  withUserPresets,
  getPreset,
  interpreterFor,
  loadRecipes,
  recipeFor,
  byCodePoint,
  markerEnvironment,
  evaluateMarker,
  parseRequirement,
  IndexClient,
  urlWithCredentials,
  targetsOf,
  scan,
  isPureWheel,
  indexesFromConfig,
  scanFromConfig
};
