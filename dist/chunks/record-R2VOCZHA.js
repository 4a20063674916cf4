import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  cliSession
} from "./chunk-FDKTBMEU.js";
import {
  Option
} from "./chunk-FHZVLPJT.js";
import {
  print,
  printJson,
  warn
} from "./chunk-KCAWH7LJ.js";
import "./chunk-MHLS6TUH.js";
import {
  recordResults
} from "./chunk-J5ZFXILX.js";
import "./chunk-CY6NXZGB.js";
import {
  RefineryError
} from "./chunk-FLRCTOVA.js";
import "./chunk-WHY2Q3TU.js";

// src/faces/cli/commands/record.ts
function register(program, ctx) {
  program.command("record").summary("merge build results into the state and commit it back").description(
    "Read every <unit>.result.json under --results (build job artifacts, wheels\nnext to them) and merge them into the state folder: history for every\nattempt, manifest entries for wheels (stored with --store for reuse),\nlearned hints, known-failing marks and retry queue entries. Merging is\norder-independent and idempotent; an invalid state is never overwritten.\n--commit git pushes from this checkout; --commit api writes through the\nGitHub Git Data API (GITHUB_TOKEN). Both re-merge and retry when the\nbranch moved, and never force. One record at a time per state folder:\nanother one waits for the folder's lock (--lock-wait), then merges on top."
  ).requiredOption("--results <dir>", "folder with the build results (searched recursively)").option("--state <dir>", "state folder (default: the config's state.dir, .refinery)").option("-c, --config <file>", "config file (default: ./refinery.yml when present)").addOption(new Option("--commit <how>", "commit the state back").choices(["git", "api", "none"]).default("none")).option("--store <where>", "where wheels are kept for reuse: none, local:DIR or release:TAG (GitHub Release assets)", "none").option("-m, --message <text>", "commit message").option("--branch <name>", "branch to push to (default: the checked-out one; api: GITHUB_REF_NAME)").option("--repo <owner/name>", "repository for --commit api and release:TAG (default: GITHUB_REPOSITORY)").option("--api-url <url>", "GitHub API root (default: GITHUB_API_URL or https://api.github.com)").option("--state-path <path>", "the state folder inside the repository, for --commit api (default: --state relative to here)").option("--max-attempts <n>", "push attempts before giving up when others keep pushing", "10").option("--lock-wait <seconds>", "how long to wait for another record holding the state folder", "600").option("--json", "print the outcome as JSON").addHelpText(
    "after",
    `
Examples:
  refinery record --results artifacts/ --commit git
  refinery record --results artifacts/ --store release:wheels --commit api`
  ).action(async (o) => {
    const session = await cliSession(ctx, { ...o.config ? { config: o.config } : {}, ...o.state ? { state: o.state } : {} });
    const maxAttempts = Number(o.maxAttempts);
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RefineryError("usage", "--max-attempts must be a positive whole number");
    const lockWait = Number(o.lockWait);
    if (!Number.isFinite(lockWait) || lockWait < 0) throw new RefineryError("usage", "--lock-wait must be a number of seconds (0 or more)");
    const stateDir = session.stateDir;
    const { outcome, commit } = await recordResults(session, {
      results: o.results,
      store: o.store,
      commit: o.commit,
      ...o.message ? { message: o.message } : {},
      ...o.branch ? { branch: o.branch } : {},
      ...o.repo ? { repo: o.repo } : {},
      ...o.apiUrl ? { apiUrl: o.apiUrl } : {},
      ...o.statePath ? { statePath: o.statePath } : {},
      maxAttempts,
      lockWaitMs: lockWait * 1e3,
      log: (l) => warn(ctx, l)
    });
    const summary = {
      results: outcome.results,
      attempts: outcome.attempts,
      built: outcome.built,
      failed: outcome.failed,
      cancelled: outcome.cancelled,
      packages: outcome.packages,
      written: outcome.written,
      queued: outcome.packages.flatMap((n) => outcome.state.packages.get(n)?.queue ?? []).filter((q) => q.status === "waiting").length,
      commit
    };
    if (o.json) return printJson(ctx, summary);
    print(
      ctx,
      `recorded ${summary.results} result(s), ${summary.attempts} attempt(s): ${summary.built} built, ${summary.failed} failed, ${summary.packages.length} package(s) changed`
    );
    if (summary.cancelled > 0) print(ctx, `${summary.cancelled} cancelled build result(s) not recorded: those units are planned again`);
    print(ctx, `state: ${stateDir} (${summary.written.length} file(s) written${summary.queued ? `, ${summary.queued} retry queued` : ""})`);
    if (commit)
      print(
        ctx,
        commit.commit ? `committed ${commit.commit.slice(0, 12)} with ${commit.how} after ${commit.attempts} attempt(s)` : `nothing to commit (${commit.how})`
      );
  });
}
export {
  register
};
