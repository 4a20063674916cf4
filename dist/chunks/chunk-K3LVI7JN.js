import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  httpStatus
} from "./chunk-NBFXOFJH.js";
import {
  run
} from "./chunk-RYNH5UWE.js";
import {
  saveState,
  stateFiles
} from "./chunk-B3SVX456.js";
import {
  DEFAULT_RETRY_POLICY,
  FileRefusedError,
  HISTORY_DIR,
  MARKER_FILE,
  PACKAGES_DIR,
  decodeUtf8,
  historyFile,
  loadState,
  mapLimit,
  mergePackage,
  packageFile,
  packageOfFile,
  parseStateFiles
} from "./chunk-3LOFCYLJ.js";
import {
  RefineryError,
  excerpt
} from "./chunk-FLRCTOVA.js";

// src/stages/record/commit-git.ts
import { relative, resolve, sep } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

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
async function commitStateWithGit(o) {
  const remote = o.remote ?? "origin";
  const max = o.maxAttempts ?? 10;
  const log = o.log ?? (() => {
  });
  const top = await gitOut(o.repoDir, ["rev-parse", "--show-toplevel"]);
  const stateRel = relative(top, resolve(o.stateDir)).split(sep).join("/");
  if (stateRel.startsWith("..") || stateRel === "") {
    throw new RefineryError("usage", `the state folder ${o.stateDir} is not inside the git checkout ${top}`, {
      fix: "pass --state with a folder inside the repository"
    });
  }
  const branch = o.branch ?? await gitOut(top, ["symbolic-ref", "--short", "HEAD"]).catch(() => "");
  if (!branch) throw new RefineryError("usage", "HEAD is detached and no branch was given", { fix: "pass the branch to push to" });
  const env = await identityEnv(top, o.identity ?? BOT);
  for (let attempt = 1; attempt <= max; attempt++) {
    await git(top, ["add", "--all", "--", stateRel]);
    const staged = await git(top, ["diff", "--cached", "--quiet", "--", stateRel], { allowFail: true });
    if (staged.exitCode === 1) await git(top, ["commit", "--quiet", "--no-verify", "-m", o.message, "--", stateRel], { env });
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
    await rebaseStateOnto(top, stateRel, o.stateDir, remote, branch, o.policy ?? DEFAULT_RETRY_POLICY);
    await sleep(Math.floor(Math.random() * 100 * attempt));
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
  const names = new Set(changedFiles.map((f) => packageOfFile(f.slice(stateRel.length + 1))?.name).filter((n) => n !== void 0));
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

// src/stages/record/commit-api.ts
import { createHash } from "node:crypto";
import { setTimeout as sleep2 } from "node:timers/promises";
function gitBlobSha(text) {
  const data = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
}
async function commitStateWithApi(o) {
  const max = o.maxAttempts ?? 10;
  const log = o.log ?? (() => {
  });
  const { octokit, owner, repo } = o;
  const statePath = o.statePath.replace(/^\.?\/+|\/+$/g, "");
  for (let attempt = 1; attempt <= max; attempt++) {
    const head = (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${o.branch}` })).data.object.sha;
    const baseTree = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: head })).data.tree.sha;
    const remoteShas = await stateBlobShas(o, baseTree, statePath);
    const wanted = [MARKER_FILE, ...o.packages.flatMap((n) => [packageFile(n), historyFile(n)])].filter((rel) => remoteShas.has(rel));
    const where = (rel) => `${owner}/${repo}@${head.slice(0, 12)}:${statePath}/${rel}`;
    const texts = await mapLimit(wanted, 8, async (rel) => {
      const blob = (await octokit.rest.git.getBlob({ owner, repo, file_sha: remoteShas.get(rel) })).data;
      return strictText(Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8"), where(rel));
    });
    const remoteFiles = new Map(wanted.map((rel, i) => [rel, texts[i]]));
    const remote = parseStateFiles(remoteFiles, where);
    const merged = { packages: /* @__PURE__ */ new Map() };
    for (const name of o.packages) {
      const mine = o.local.packages.get(name);
      if (!mine) continue;
      const theirs = remote.packages.get(name);
      merged.packages.set(name, mergePackage(theirs ?? mine, mine, o.policy ?? DEFAULT_RETRY_POLICY));
    }
    const changed = [...stateFiles(merged)].filter(([rel, text]) => remoteShas.get(rel) !== gitBlobSha(text));
    if (changed.length === 0) return { commit: void 0, attempts: attempt, merged };
    const entries = changed.map(([rel, content]) => ({ path: `${statePath}/${rel}`, mode: "100644", type: "blob", content }));
    const tree = (await octokit.rest.git.createTree({ owner, repo, base_tree: baseTree, tree: entries })).data.sha;
    const commit = (await octokit.rest.git.createCommit({ owner, repo, message: o.message, tree, parents: [head] })).data.sha;
    try {
      await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${o.branch}`, sha: commit, force: false });
      return { commit, attempts: attempt, merged };
    } catch (e) {
      if (httpStatus(e) !== 422) throw e;
      log(`branch ${o.branch} moved (attempt ${attempt}/${max}); re-reading the head and re-merging`);
      await sleep2(Math.floor(Math.random() * 100 * attempt));
    }
  }
  throw new RefineryError("conflict", `the state could not be committed after ${max} attempts: the branch ${o.branch} keeps moving`, {
    fix: "run record again later; every result it did not push is still in the results folder"
  });
}
async function stateBlobShas(o, tree, statePath) {
  const { octokit, owner, repo } = o;
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

export {
  commitStateWithGit,
  commitStateWithApi
};
