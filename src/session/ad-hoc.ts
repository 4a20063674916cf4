import { basename, join } from 'node:path';
import { sha256File } from '../adapters/blob-cache.js';
import type { Compiler } from '../domain/model/compiler.js';
import type { DistFile } from '../domain/model/files.js';
import type { Inventory } from '../domain/model/inventory.js';
import type { PlanUnit } from '../domain/model/plan.js';
import { targetId } from '../domain/model/target.js';
import { isSdist } from '../domain/python/filenames.js';
import { planDepsFromState } from '../stages/plan/deps.js';
import { plan } from '../stages/plan/plan.js';
import { chooseSdist, noSdistReason } from '../stages/scan/classify.js';
import { RefineryError } from '../errors.js';
import type { Session } from './session.js';

/** One release the user names, outside any scan: `refinery build --package`. */
export interface AdHocSpec {
  package: string;
  version: string;
  /** CPython minor version (default: the preset's only one, else the config's first target). */
  python?: string;
  /** Preset (default: the recipe's preferred one, else the config's). */
  preset?: string;
  compiler?: Compiler;
  /** A local sdist instead of the index's (its sha256 is recorded as found). */
  sdistFile?: string;
}

/**
 * The unit a plan would make for this release: the sdist chosen as scan chooses it (not yanked,
 * Requires-Python admitting the interpreter), the plan's id, preset, hints and predictions. The
 * sdist is downloaded once, into the session's cache (reading its build requirements), and the
 * build takes that copy. The history does not hold it back: the user asked for this build.
 */
export async function adHocUnit(session: Session, spec: AdHocSpec): Promise<{ unit: PlanUnit; sdistFile?: string }> {
  const info = await session.buildInfo(spec.package, spec.version);
  const presetName = spec.preset ?? info.preset;
  const preset = await session.preset(presetName);
  const pythons = Object.keys(preset.python);
  const python = spec.python ?? (pythons.length === 1 ? pythons[0]! : session.config.targets.python[0]!);
  const target = { python, platform: session.config.targets.platform, arch: 's390x' as const };
  const tid = targetId(target);

  let sdist: DistFile;
  let sdistFile: string | undefined;
  let buildRequires: string[] = [];
  const index = session.index();
  if (spec.sdistFile) {
    sdistFile = spec.sdistFile;
    sdist = {
      filename: basename(spec.sdistFile),
      url: spec.sdistFile,
      sha256: await sha256File(spec.sdistFile),
      yanked: false,
      metadata: false,
      index: 'local',
    };
  } else {
    let files: DistFile[];
    try {
      files = await index.getRelease(spec.package, spec.version);
    } finally {
      index.saveCache();
    }
    const chosen = chooseSdist(files, python, isSdist);
    if (!chosen) {
      throw new RefineryError(
        'index',
        `${spec.package}==${spec.version} has no sdist to build for CPython ${python}: ${noSdistReason(files, python, tid, isSdist)}`,
        {
          fix: 'check the version and --python, or pass --sdist FILE',
        },
      );
    }
    sdist = chosen;
    buildRequires = await index.getBuildRequires(sdist);
    // From the blob cache the line above filled: no second download.
    sdistFile = await index.download(sdist, join(session.cacheDir, 'sdists'));
  }

  const inventory: Inventory = {
    schema: 'refinery/inventory@1',
    generatedAt: new Date().toISOString(),
    targets: [tid],
    packages: [
      {
        name: spec.package,
        version: spec.version,
        python,
        target: tid,
        status: 'needs-build',
        reason: sdist.filename,
        sdist,
        abi: 'cpython',
        buildRequires,
        depth: 0,
        requiredBy: [],
      },
    ],
    cut: [],
    summary: { 'needs-build': 1 },
  };
  const config = {
    ...session.config,
    targets: { ...session.config.targets, python: [python] },
    ...(spec.compiler ? { compiler: spec.compiler } : {}),
  };
  const deps = planDepsFromState(
    await session.state(),
    () => ({ preset: presetName, hints: info.hints, ...(info.skip ? { skip: info.skip } : {}) }),
    new Date(),
  );
  // Asked for by name: neither a failure on record nor a waiting queue entry holds it back.
  const p = plan(inventory, config, { ...deps, lastFailure: () => undefined, queued: () => undefined });
  const unit = p.matrix.include[0];
  if (!unit) {
    throw new RefineryError('build', `${spec.package}==${spec.version} is not built: ${p.skipped[0]?.reason ?? 'the plan made no unit'}`, {
      fix: info.skip ? 'remove the recipe skip to try anyway' : 'see refinery plan for why',
    });
  }
  return { unit: { ...unit, reason: `refinery build --package; ${unit.reason}` }, ...(sdistFile ? { sdistFile } : {}) };
}
