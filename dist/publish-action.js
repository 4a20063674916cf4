import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);
import {
  actionSession,
  esc,
  getInput,
  listInput,
  runAction,
  setOutput,
  summary,
  warning
} from "./chunks/chunk-SNV77MRU.js";
import "./chunks/chunk-MHLS6TUH.js";
import {
  parseStoreSpec
} from "./chunks/chunk-J5ZFXILX.js";
import "./chunks/chunk-CY6NXZGB.js";
import "./chunks/chunk-FLRCTOVA.js";
import "./chunks/chunk-WHY2Q3TU.js";

// src/faces/actions/publish.ts
import { resolve } from "node:path";
async function resolvePublish(env = process.env) {
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const opt = (name) => getInput(name) || void 0;
  const config = opt("config");
  const state = opt("state-dir");
  const session = await actionSession({
    ...config ? { config: resolve(workspace, config) } : {},
    ...state ? { state: resolve(workspace, state) } : {},
    hintFiles: listInput("hints").map((f) => resolve(workspace, f))
  });
  const store = parseStoreSpec(
    opt("store") ?? "none",
    workspace,
    ["release", "local", "none"],
    "give the store record used (release:TAG links to the release assets; local:DIR copies the wheels into the site)"
  );
  const localStore = store.kind === "local" ? store.dir : void 0;
  return {
    session,
    stateDir: session.stateDir,
    outDir: resolve(workspace, opt("out") ?? "site"),
    localStore,
    repo: opt("repository"),
    branch: opt("branch"),
    siteUrl: opt("site-url") ?? pagesUrl(env),
    title: opt("title")
  };
}
function pagesUrl(env) {
  const [owner, name] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !name || env.GITHUB_SERVER_URL && env.GITHUB_SERVER_URL !== "https://github.com") return void 0;
  return name.toLowerCase() === `${owner.toLowerCase()}.github.io` ? `https://${name.toLowerCase()}/` : `https://${owner.toLowerCase()}.github.io/${name}/`;
}
var MAX_WARNINGS = 9;
async function publishAction() {
  const s = await resolvePublish();
  const outcome = await s.session.publish(s.outDir, {
    localStore: s.localStore,
    title: s.title,
    siteUrl: s.siteUrl,
    suggest: { ...s.repo ? { repo: s.repo } : {}, ...s.branch ? { branch: s.branch } : {} }
  });
  for (const w of outcome.warnings.slice(0, MAX_WARNINGS)) warning(w, { title: "refinery: publish" });
  if (outcome.warnings.length > MAX_WARNINGS)
    warning(`${outcome.warnings.length - MAX_WARNINGS} more publish warning(s): see the job summary`, { title: "refinery: publish" });
  setOutput("site", s.outDir);
  setOutput("packages", String(outcome.packages));
  setOutput("wheels", String(outcome.wheels));
  setOutput("changed", String(outcome.written.length));
  publishSummary(outcome);
  await summary.write();
  return outcome;
}
var LISTED = 50;
function publishSummary(o) {
  summary.addHeading("s390x wheels site", 2);
  summary.addTable([
    [
      { data: "packages", header: true },
      { data: "wheels", header: true },
      { data: "files written", header: true },
      { data: "unchanged", header: true },
      { data: "removed", header: true }
    ],
    [String(o.packages), String(o.wheels), String(o.written.length), String(o.unchanged), String(o.removed.length)]
  ]);
  const site = o.siteUrl;
  const link = (url) => `<a href="${esc(url)}" rel="noopener noreferrer">${esc(url)}</a>`;
  if (site) summary.addRaw(`<p>Site: ${link(site)} \xB7 pip index: ${link(`${site}simple/`)}</p>

`);
  const list = (files) => `<ul>${files.slice(0, LISTED).map((f) => `<li><code>${esc(f)}</code></li>`).join("")}${files.length > LISTED ? `<li>and ${files.length - LISTED} more</li>` : ""}</ul>`;
  if (o.written.length > 0) summary.addDetails(`${o.written.length} file(s) changed`, list(o.written));
  else summary.addRaw("Nothing changed since the last publish.\n\n");
  if (o.removed.length > 0) summary.addDetails(`${o.removed.length} file(s) removed`, list(o.removed));
  if (o.warnings.length > 0) summary.addDetails(`${o.warnings.length} warning(s)`, list(o.warnings));
}

// src/faces/actions/publish-action.ts
await runAction(async () => {
  await publishAction();
});
