/**
 * Build results between jobs, through the Actions artifact service (@actions/artifact): each unit's
 * wheel, result JSON and logs go up as `refinery-result-<unit id>`, and record downloads every such
 * artifact of this run. Needs ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL, which the runner gives
 * node actions.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { RefineryError } from '../../errors.js';

export const RESULT_ARTIFACT_PREFIX = 'refinery-result-';
/** The scan's inventory, when the plan job uploads it (`refinery-inventory.json`): record counts upstream wheels from it. */
export const INVENTORY_ARTIFACT = 'refinery-inventory';
/** Artifact names the record downloads into folders of the same name: plain, never a path. */
const RESULT_ARTIFACT = /^refinery-result-[A-Za-z0-9._-]+$/;

export function resultArtifactName(unitId: string): string {
  return `${RESULT_ARTIFACT_PREFIX}${unitId}`;
}

export async function uploadResult(unitId: string, rootDir: string, files: readonly string[]): Promise<{ id?: number; size?: number }> {
  if (files.length === 0) return {};
  return new DefaultArtifactClient().uploadArtifact(resultArtifactName(unitId), [...files], rootDir);
}

/**
 * Download this run's result artifacts (and the inventory, when there is one), each into
 * `<dest>/<artifact name>/`. A name that is not a
 * plain `refinery-result-<id>` is skipped with a warning (names come from the service, and a
 * folder is made from each).
 */
export async function downloadResults(dest: string): Promise<string[]> {
  const client = new DefaultArtifactClient();
  const { artifacts } = await client.listArtifacts({ latest: true });
  const names: string[] = [];
  for (const a of artifacts) {
    if (!a.name.startsWith(RESULT_ARTIFACT_PREFIX) && a.name !== INVENTORY_ARTIFACT) continue;
    if ((a.name !== INVENTORY_ARTIFACT && !RESULT_ARTIFACT.test(a.name)) || a.name.includes('..')) {
      core.warning(`artifact ${JSON.stringify(a.name)} is not named refinery-result-<unit id>: skipped`);
      continue;
    }
    const dir = join(dest, a.name);
    await mkdir(dir, { recursive: true });
    const got = await client.downloadArtifact(a.id, { path: dir, ...(a.digest ? { expectedHash: a.digest } : {}) });
    if (got.digestMismatch)
      throw new RefineryError('input', `artifact ${a.name} does not match its digest ${a.digest}`, { fix: 're-run the build job that made it' });
    names.push(a.name);
  }
  return names;
}
