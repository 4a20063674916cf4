/**
 * Our resolution for an s390x target (uv's universal resolution, then PEP 508 markers evaluated
 * for s390x by our own code) must give the answers of the references on real requirement sets from
 * PyPI: (1) the same universal output filtered by Python's `packaging` for an s390x environment,
 * and (2) where no dependency has a platform_machine marker, uv's own platform-specific resolution.
 * `--exclude-newer` pins the index to a past date so both sides see the same files.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/adapters/process.js';
import { markerEnvironment } from '../../src/domain/python/environment.js';
import { evaluateMarker } from '../../src/domain/python/marker-ast.js';
import { parseMarker } from '../../src/domain/python/requirement.js';
import { expandForTarget } from '../../src/stages/scan/expand.js';
import { resolveUniversal } from '../../src/stages/scan/resolve.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';

const EXCLUDE_NEWER = '2025-06-01T00:00:00Z';
const INDEX = 'https://pypi.org/simple';
const uv = pytoolsBin('uv');
const cacheDir = join(repoRoot, '.cache', 'uv');

const SETS: Array<{ name: string; reqs: string[]; machineFree: boolean }> = [
  { name: 'requests', reqs: ['requests'], machineFree: true },
  { name: 'flask', reqs: ['flask>=2'], machineFree: true },
  { name: 'django 4', reqs: ['django<5'], machineFree: true },
  { name: 'black', reqs: ['black'], machineFree: true },
  { name: 'pydantic', reqs: ['pydantic>=2'], machineFree: true },
  { name: 'httpx + rich', reqs: ['httpx', 'rich'], machineFree: true },
  { name: 'scientific', reqs: ['numpy<2.3', 'pandas'], machineFree: true },
  { name: 'sqlalchemy (greenlet only on some machines)', reqs: ['sqlalchemy==2.0.41'], machineFree: false },
  { name: 'web stack', reqs: ['fastapi', 'uvicorn[standard]'], machineFree: true },
  { name: 'boto3', reqs: ['boto3'], machineFree: true },
  { name: 'explicit s390x marker', reqs: ['six', 'idna ; platform_machine == "s390x"', 'certifi ; platform_machine == "x86_64"'], machineFree: false },
  { name: 'python-version markers', reqs: ['attrs', 'tomli ; python_version < "3.11"', 'exceptiongroup ; python_version < "3.11"'], machineFree: true },
];

/** packaging's verdict on every marker, for an s390x CPython 3.12 environment. */
async function packagingVerdicts(markers: string[]): Promise<boolean[]> {
  const env = markerEnvironment({ python: '3.12' });
  const script = `
import json, sys
from packaging.markers import Marker
data = json.load(sys.stdin)
print(json.dumps([Marker(m).evaluate(data["env"]) for m in data["markers"]]))
`;
  const r = await run(pytoolsBin('python'), ['-c', script], { input: JSON.stringify({ markers, env }) });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as boolean[];
}

async function uvPlatformResolution(reqs: string[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'uvref-'));
  await writeFile(join(dir, 'r.in'), `${reqs.join('\n')}\n`);
  const r = await run(
    uv,
    [
      'pip',
      'compile',
      join(dir, 'r.in'),
      '--python-platform',
      'x86_64-unknown-linux-gnu',
      '--python-version',
      '3.12',
      '--no-header',
      '--no-annotate',
      '--no-config',
      '--no-python-downloads',
      '--quiet',
      '--exclude-newer',
      EXCLUDE_NEWER,
      '--cache-dir',
      cacheDir,
      '--index-strategy',
      'unsafe-best-match',
    ],
    { env: { UV_INDEX_URL: INDEX } },
  );
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(' ')[0]!.toLowerCase())
    .sort();
}

describe("resolution gives uv's answers for s390x on real requirement sets", () => {
  it.each(SETS)('$name', async ({ reqs, machineFree }) => {
    const lines = await resolveUniversal({
      requirements: reqs,
      constraints: [],
      python: '3.12',
      indexUrl: INDEX,
      extraIndexUrls: [],
      uv,
      cacheDir,
      excludeNewer: EXCLUDE_NEWER,
    });
    expect(lines.length).toBeGreaterThan(0);
    const env = markerEnvironment({ python: '3.12' });
    const ours = expandForTarget(lines, (m) => evaluateMarker(parseMarker(m), env), { maxDepth: 100, maxPackages: 10_000 }, 'cp312');
    const ourPins = ours.kept.map((k) => `${k.name}==${k.version}`).sort();

    // Reference 1: packaging evaluates the same markers.
    const withMarker = lines.filter((l) => l.marker !== undefined);
    const verdicts = await packagingVerdicts(withMarker.map((l) => l.marker!));
    const refPins = lines
      .filter((l) => l.marker === undefined || verdicts[withMarker.indexOf(l)])
      .map((l) => `${l.name}==${l.version}`)
      .sort();
    expect(ourPins).toEqual([...new Set(refPins)]);

    // Reference 2: uv's own per-platform answer, where the machine does not matter.
    if (machineFree) expect(ourPins).toEqual(await uvPlatformResolution(reqs));
  });

  it('differs from x86_64 exactly where a platform_machine marker says so', async () => {
    const lines = await resolveUniversal({
      requirements: ['sqlalchemy==2.0.41'],
      constraints: [],
      python: '3.12',
      indexUrl: INDEX,
      extraIndexUrls: [],
      uv,
      cacheDir,
      excludeNewer: EXCLUDE_NEWER,
    });
    const env = markerEnvironment({ python: '3.12' });
    const s390x = expandForTarget(lines, (m) => evaluateMarker(parseMarker(m), env), { maxDepth: 100, maxPackages: 10_000 }, 'cp312').kept.map((k) => k.name);
    expect(s390x).toContain('sqlalchemy');
    expect(s390x).not.toContain('greenlet');
    expect((await uvPlatformResolution(['sqlalchemy==2.0.41'])).some((p) => p.startsWith('greenlet=='))).toBe(true);
  });
});
