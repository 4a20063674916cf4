import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);

// src/faces/actions/fork-safety.ts
import { readFile } from "node:fs/promises";
async function commitRefusal(env) {
  const event = env.GITHUB_EVENT_NAME;
  if (event !== "pull_request" && event !== "pull_request_target") return void 0;
  let fork;
  let head = "the pull request";
  try {
    const payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH ?? "", "utf8"));
    const pr = payload.pull_request;
    const headRepo = pr?.head?.repo;
    fork = headRepo === null || headRepo?.fork === true || headRepo?.full_name !== void 0 && headRepo.full_name !== pr?.base?.repo?.full_name;
    if (pr?.number !== void 0) head = `pull request #${pr.number}${headRepo?.full_name ? ` from ${headRepo.full_name}` : ""}`;
  } catch {
    fork = true;
  }
  if (fork) return `${head} comes from a fork: its build ran someone else's code, so this run does not commit the state or store wheels`;
  if (event === "pull_request")
    return `this is a pull_request run (${head}): its token is read-only and it runs unmerged code, so it does not commit the state or store wheels; the push to the base branch records`;
  return void 0;
}

export {
  commitRefusal
};
