import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);

// node_modules/@renovatebot/pep440/lib/version.js
var VERSION_PATTERN = [
  "v?",
  "(?:",
  /* */
  "(?:(?<epoch>[0-9]+)!)?",
  // epoch
  /* */
  "(?<release>[0-9]+(?:\\.[0-9]+)*)",
  // release segment
  /* */
  "(?<pre>",
  // pre-release
  /*    */
  "[-_\\.]?",
  /*    */
  "(?<pre_l>(a|b|c|rc|alpha|beta|pre|preview))",
  /*    */
  "[-_\\.]?",
  /*    */
  "(?<pre_n>[0-9]+)?",
  /* */
  ")?",
  /* */
  "(?<post>",
  // post release
  /*    */
  "(?:-(?<post_n1>[0-9]+))",
  /*    */
  "|",
  /*    */
  "(?:",
  /*        */
  "[-_\\.]?",
  /*        */
  "(?<post_l>post|rev|r)",
  /*        */
  "[-_\\.]?",
  /*        */
  "(?<post_n2>[0-9]+)?",
  /*    */
  ")",
  /* */
  ")?",
  /* */
  "(?<dev>",
  // dev release
  /*    */
  "[-_\\.]?",
  /*    */
  "(?<dev_l>dev)",
  /*    */
  "[-_\\.]?",
  /*    */
  "(?<dev_n>[0-9]+)?",
  /* */
  ")?",
  ")",
  "(?:\\+(?<local>[a-z0-9]+(?:[-_\\.][a-z0-9]+)*))?"
  // local version
].join("");
var validRegex = new RegExp("^" + VERSION_PATTERN + "$", "i");
var cleanRegex = new RegExp("^\\s*" + VERSION_PATTERN + "\\s*$", "i");
function parse(version, regex) {
  const { groups } = (regex || validRegex).exec(version) || {};
  if (!groups) {
    return null;
  }
  const parsed = {
    epoch: Number(groups.epoch ? groups.epoch : 0),
    release: groups.release.split(".").map(Number),
    pre: normalize_letter_version(groups.pre_l, groups.pre_n),
    post: normalize_letter_version(
      groups.post_l,
      groups.post_n1 || groups.post_n2
    ),
    dev: normalize_letter_version(groups.dev_l, groups.dev_n),
    local: parse_local_version(groups.local)
  };
  return parsed;
}
function stringify(parsed) {
  if (!parsed) {
    return null;
  }
  const { epoch, release, pre, post, dev, local } = parsed;
  const parts = [];
  if (epoch !== 0) {
    parts.push(`${epoch}!`);
  }
  parts.push(release.join("."));
  if (pre) {
    parts.push(pre.join(""));
  }
  if (post) {
    parts.push("." + post.join(""));
  }
  if (dev) {
    parts.push("." + dev.join(""));
  }
  if (local) {
    parts.push(`+${local}`);
  }
  return parts.join("");
}
function normalize_letter_version(letterIn, numberIn) {
  let letter = letterIn;
  let number = numberIn;
  if (letter) {
    if (!number) {
      number = 0;
    }
    letter = letter.toLowerCase();
    if (letter === "alpha") {
      letter = "a";
    } else if (letter === "beta") {
      letter = "b";
    } else if (["c", "pre", "preview"].includes(letter)) {
      letter = "rc";
    } else if (["rev", "r"].includes(letter)) {
      letter = "post";
    }
    return [letter, Number(number)];
  }
  if (!letter && number) {
    letter = "post";
    return [letter, Number(number)];
  }
  return null;
}
function parse_local_version(local) {
  if (local) {
    return local.split(/[._-]/).map(
      (part) => Number.isNaN(Number(part)) ? part.toLowerCase() : Number(part)
    );
  }
  return null;
}
function explain(version) {
  const parsed = parse(version);
  if (!parsed) {
    return parsed;
  }
  const { epoch, release, pre, post, dev, local } = parsed;
  let base_version = "";
  if (epoch !== 0) {
    base_version += epoch + "!";
  }
  base_version += release.join(".");
  const is_prerelease = Boolean(dev || pre);
  const is_devrelease = Boolean(dev);
  const is_postrelease = Boolean(post);
  return {
    epoch,
    release,
    pre,
    post: post ? post[1] : post,
    dev: dev ? dev[1] : dev,
    local: local ? local.join(".") : local,
    public: stringify(parsed).split("+", 1)[0],
    base_version,
    is_prerelease,
    is_devrelease,
    is_postrelease
  };
}

// node_modules/@renovatebot/pep440/lib/operator.js
function compare(version, other) {
  const parsedVersion = parse(version);
  const parsedOther = parse(other);
  const keyVersion = calculateKey(parsedVersion);
  const keyOther = calculateKey(parsedOther);
  return pyCompare(keyVersion, keyOther);
}
function pyCompare(elemIn, otherIn) {
  let elem = elemIn;
  let other = otherIn;
  if (elem === other) {
    return 0;
  }
  if (Array.isArray(elem) !== Array.isArray(other)) {
    elem = Array.isArray(elem) ? elem : [elem];
    other = Array.isArray(other) ? other : [other];
  }
  if (Array.isArray(elem)) {
    const len = Math.min(elem.length, other.length);
    for (let i = 0; i < len; i += 1) {
      const res = pyCompare(elem[i], other[i]);
      if (res !== 0) {
        return res;
      }
    }
    return elem.length - other.length;
  }
  if (elem === -Infinity || other === Infinity) {
    return -1;
  }
  if (elem === Infinity || other === -Infinity) {
    return 1;
  }
  return elem < other ? -1 : 1;
}
function calculateKey(input) {
  const { epoch } = input;
  let { release, pre, post, local, dev } = input;
  release = release.concat();
  release.reverse();
  while (release.length && release[0] === 0) {
    release.shift();
  }
  release.reverse();
  if (!pre && !post && dev) pre = -Infinity;
  else if (!pre) pre = Infinity;
  if (!post) post = -Infinity;
  if (!dev) dev = Infinity;
  if (!local) {
    local = -Infinity;
  } else {
    local = local.map(
      (i) => Number.isNaN(Number(i)) ? [-Infinity, i] : [Number(i), ""]
    );
  }
  return [epoch, release, pre, post, dev, local];
}

// node_modules/@renovatebot/pep440/lib/specifier.js
var RANGE_PATTERN = [
  "(?<operator>(===|~=|==|!=|<=|>=|<|>))",
  "\\s*",
  "(",
  /*  */
  "(?<version>(?:" + VERSION_PATTERN.replace(/\?<\w+>/g, "?:") + "))",
  /*  */
  "(?<prefix>\\.\\*)?",
  /*  */
  "|",
  /*  */
  "(?<legacy>[^,;\\s)]+)",
  ")"
].join("");
var rangeRegex = new RegExp("^" + RANGE_PATTERN + "$", "i");

// src/python/pep440.ts
var MEMO_LIMIT = 5e4;
var parsedMemo = /* @__PURE__ */ new Map();
var compareMemo = /* @__PURE__ */ new Map();
function remember(memo, key, value) {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}
function parseVersion(text) {
  const known = parsedMemo.get(text);
  if (known !== void 0) return known;
  const v = explain(text.replace(/^\s+|\s+$/g, ""));
  const parsed = v ? Object.freeze({ epoch: v.epoch, release: Object.freeze(v.release), pre: v.pre, post: v.post, dev: v.dev, local: v.local }) : null;
  return remember(parsedMemo, text, parsed);
}
function renderVersion(v) {
  let out = v.epoch ? `${v.epoch}!` : "";
  out += v.release.join(".");
  if (v.pre) out += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local}`;
  return out;
}
function compareParsed(a, b) {
  const ra = renderVersion(a);
  const rb = renderVersion(b);
  if (ra === rb) return 0;
  const key = `${ra} ${rb}`;
  const known = compareMemo.get(key);
  if (known !== void 0) return known;
  return remember(compareMemo, key, Math.sign(compare(ra, rb)));
}
var isPreParsed = (v) => v.pre !== null || v.dev !== null;

// src/python/specifier.ts
var PRE = String.raw`(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?`;
var POST = String.raw`(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?`;
var DEV = String.raw`(?:[-_.]?dev[-_.]?[0-9]*)?`;
var LOCAL = String.raw`(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?`;
var EPOCH_RELEASE = String.raw`v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*`;
var SPECIFIER_SOURCE = [
  String.raw`(?:===\s*[^\s;)]*)`,
  String.raw`(?:(?:==|!=)\s*${EPOCH_RELEASE}(?:\.\*|${PRE}${POST}${DEV}${LOCAL})?)`,
  String.raw`(?:~=\s*v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)+${PRE}${POST}${DEV})`,
  String.raw`(?:(?:<=|>=|<|>)\s*${EPOCH_RELEASE}${PRE}${POST}${DEV})`
].join("|");
var ONE_SPECIFIER = new RegExp(String.raw`^\s*(?:${SPECIFIER_SOURCE})\s*$`, "i");
function isValidSpecifierClause(spec) {
  return ONE_SPECIFIER.test(spec);
}
function splitSpecifierClause(spec) {
  const s = spec.trim();
  const opLength = s.startsWith("===") ? 3 : /^(~=|==|!=|<=|>=)/.test(s) ? 2 : 1;
  return { op: s.slice(0, opLength), version: s.slice(opLength).trim() };
}
function normalizeSpecifierSet(specifier) {
  const known = normalizedMemo.get(specifier);
  if (known !== void 0) return known;
  if (normalizedMemo.size >= MEMO_LIMIT2) normalizedMemo.clear();
  const normalized = normalizeUncached(specifier);
  normalizedMemo.set(specifier, normalized);
  return normalized;
}
var MEMO_LIMIT2 = 5e4;
var normalizedMemo = /* @__PURE__ */ new Map();
var containsMemo = /* @__PURE__ */ new Map();
function normalizeUncached(specifier) {
  const clauses = specifier.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (!clauses.every(isValidSpecifierClause)) return null;
  const normalized = clauses.map((c) => {
    const { op, version } = splitSpecifierClause(c);
    return `${op}${version}`;
  });
  return [...new Set(normalized)].sort(compareCodePoints).join(",");
}
function compareCodePoints(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function clauseContains(clause, version) {
  const { op, version: specText } = splitSpecifierClause(clause);
  if (op === "===") return version.toLowerCase() === specText.toLowerCase();
  const p = parseVersion(version);
  if (!p) return false;
  if ((op === "==" || op === "!=") && specText.endsWith(".*")) {
    const prefix = parseVersion(specText.slice(0, -2));
    if (!prefix) return false;
    const match = prefixMatches(p, prefix);
    return op === "==" ? match : !match;
  }
  const spec = parseVersion(specText);
  if (!spec) return false;
  switch (op) {
    case "==":
      return cmp(spec.local ? p : publicOf(p), spec) === 0;
    case "!=":
      return cmp(spec.local ? p : publicOf(p), spec) !== 0;
    case "<=":
      return cmp(publicOf(p), spec) <= 0;
    case ">=":
      return cmp(publicOf(p), spec) >= 0;
    case "<":
      if (cmp(p, spec) >= 0) return false;
      return !(!isPre(spec) && isPre(p) && cmp(p, { ...spec, dev: 0, local: null }) >= 0);
    case ">":
      if (cmp(p, spec) <= 0) return false;
      if (spec.post === null && p.post !== null && cmp({ ...p, post: null, dev: null, local: null }, spec) === 0) return false;
      return !(p.local !== null && cmp(publicOf(p), spec) === 0);
    case "~=": {
      const prefix = { ...spec, release: spec.release.slice(0, -1), pre: null, post: null, dev: null, local: null };
      return cmp(publicOf(p), spec) >= 0 && prefixMatches(p, prefix);
    }
    default:
      return false;
  }
}
var cmp = compareParsed;
var publicOf = (v) => ({ ...v, local: null });
var isPre = isPreParsed;
function prefixMatches(p, prefix) {
  if (p.epoch !== prefix.epoch) return false;
  return prefix.release.every((n, i) => (p.release[i] ?? 0) === n);
}
function specifierContains(specifier, version, prereleases) {
  const key = `${prereleases ? 1 : 0}\0${version}\0${specifier}`;
  const known = containsMemo.get(key);
  if (known !== void 0) return known;
  if (containsMemo.size >= MEMO_LIMIT2) containsMemo.clear();
  const answer = containsUncached(specifier, version, prereleases);
  containsMemo.set(key, answer);
  return answer;
}
function containsUncached(specifier, version, prereleases) {
  const clauses = specifier.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const parsed = parseVersion(version);
  if (parsed === null) return clauses.length > 0 && clauses.every((c) => clauseContains(c, version));
  if (!prereleases && isPreParsed(parsed)) return false;
  return clauses.every((c) => clauseContains(c, version));
}

// src/python/version.ts
function isValidVersion(version) {
  return parseVersion(version) !== null;
}
function normalizeVersion(version) {
  const v = parseVersion(version);
  return v ? renderVersion(v) : null;
}
function versionCompare(a, b) {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new RangeError(`not a PEP 440 version: ${JSON.stringify(pa ? b : a)}`);
  return compareParsed(pa, pb);
}
function satisfies2(version, specifier, opts = {}) {
  return specifierContains(specifier, version, opts.prereleases ?? true);
}
function isValidSpecifier(specifier) {
  return normalizeSpecifierSet(specifier) !== null;
}

export {
  SPECIFIER_SOURCE,
  isValidSpecifierClause,
  normalizeSpecifierSet,
  clauseContains,
  isValidVersion,
  normalizeVersion,
  versionCompare,
  satisfies2 as satisfies,
  isValidSpecifier
};
