// uv is the resolver. When the machine has none, the refinery installs a pinned uv from the
// configured package index (PyPI by default) into its cache folder, once, the way the demo used
// to with pip: the wheel is downloaded through the index client (sha256 checked, proxies and index
// credentials honoured) and its `uv` program is taken out of it. No Python or pip is needed.
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { arch, platform } from 'node:process';
import { randomBytes } from 'node:crypto';
import { readArchiveMember } from '../../adapters/archive.js';
import type { HttpClientOptions } from '../../adapters/http.js';
import { available } from '../../adapters/process.js';
import { RefineryError } from '../../errors.js';
import { IndexClient } from '../../domain/package-index/client.js';
import type { IndexConfig } from '../../domain/package-index/types.js';
import type { DistFile } from '../../domain/model/files.js';
import { parseWheelFilename } from '../../domain/python/filenames.js';

/** The uv the refinery installs when none is found (the tests' uv, test/requirements.txt). */
export const UV_VERSION = '0.13.9';

export interface LocateUvOptions {
  /** The environment: REFINERY_UV and PATH are read from it. */
  env: Record<string, string | undefined>;
  /** The refinery's cache folder; uv goes to `<cacheDir>/tools/uv-<version>/uv`. */
  cacheDir: string;
  /** Where to download uv from: the configured indexes, primary first. */
  indexes: readonly IndexConfig[];
  /** False for --no-install (or an offline machine): a missing uv is an error, not a download. */
  install: boolean;
  httpOptions?: HttpClientOptions;
  /** Told once, when uv is being installed. */
  notice?: (message: string) => void;
}

/** The folder a provisioned uv lives in. */
export function provisionedUvPath(cacheDir: string, version = UV_VERSION): string {
  return join(cacheDir, 'tools', `uv-${version}`, 'uv');
}

/** $REFINERY_UV, else `uv` on PATH, else the one installed into the cache, else install it. */
export async function locateUv(o: LocateUvOptions): Promise<string> {
  const named = o.env.REFINERY_UV;
  if (named) {
    if (await available(named, ['--version'], o.env)) return named;
    throw new RefineryError('environment', `REFINERY_UV names ${JSON.stringify(named)}, which does not run`, {
      fix: 'point REFINERY_UV at a uv executable, or unset it to use uv from PATH (or let the refinery install one)',
    });
  }
  if (await available('uv', ['--version'], o.env)) return 'uv';
  const cached = provisionedUvPath(o.cacheDir);
  if (existsSync(cached) && (await available(cached))) return cached;
  if (!o.install) {
    throw new RefineryError('environment', 'uv (the resolver) was not found', {
      fix: 'install it (`pip install uv`, or astral-sh/setup-uv in a workflow), set REFINERY_UV to its path, or drop --no-install so the refinery installs it',
    });
  }
  return installUv(o, cached);
}

async function installUv(o: LocateUvOptions, dest: string): Promise<string> {
  const machine = hostMachine();
  const client = new IndexClient({ indexes: o.indexes, ...(o.httpOptions ? { httpOptions: o.httpOptions } : {}) });
  const where = client.indexes[0] ?? 'the index';
  o.notice?.(`uv (the resolver) is not installed: installing uv ${UV_VERSION} from ${where} into ${join(o.cacheDir, 'tools')} (once)`);
  const failed = (why: string) =>
    new RefineryError('environment', `could not install uv ${UV_VERSION} from ${where}: ${why}`, {
      fix: 'install uv yourself (`pip install uv`, or astral-sh/setup-uv in a workflow) and rerun, set REFINERY_UV, or make the index reachable',
    });
  let files: DistFile[];
  try {
    files = await client.getRelease('uv', UV_VERSION);
  } catch (e) {
    throw failed(e instanceof Error ? e.message : String(e));
  }
  const wheel = pickWheel(files, machine);
  if (!wheel) throw failed(`the index lists no uv ${UV_VERSION} wheel for Linux ${machine}`);
  const folder = join(o.cacheDir, 'tools', `.uv-${randomBytes(4).toString('hex')}.part`);
  try {
    let path: string;
    try {
      path = await client.download(wheel, folder);
    } catch (e) {
      throw failed(e instanceof Error ? e.message : String(e));
    }
    const member = await readArchiveMember(path, /^uv-[^/]+\.data\/scripts\/uv$/, { maxBytes: 256 * 1024 ** 2 });
    if (!member) throw failed(`${wheel.filename} holds no uv program`);
    const tmp = join(folder, 'uv');
    await writeFile(tmp, member.data, { mode: 0o755 });
    await chmod(tmp, 0o755);
    await mkdir(join(dest, '..'), { recursive: true });
    // A concurrent install of the same version writes the same bytes; the rename is atomic.
    await rename(tmp, dest);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  if (!(await available(dest))) throw failed(`the installed ${dest} does not run on this machine`);
  return dest;
}

/** The machine name wheels use (`x86_64`, `aarch64`, `s390x`, ...); uv installs only on Linux. */
function hostMachine(): string {
  if (platform !== 'linux') {
    throw new RefineryError('environment', `uv (the resolver) was not found, and the refinery installs it only on Linux (this is ${platform})`, {
      fix: 'install uv (https://docs.astral.sh/uv/getting-started/installation/) or set REFINERY_UV to its path',
    });
  }
  const names: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', s390x: 's390x', ppc64: 'ppc64le', ia32: 'i686', arm: 'armv7l' };
  return names[arch] ?? arch;
}

/** A glibc (manylinux) wheel for this machine, else a musllinux one when the host is musl. */
function pickWheel(files: readonly DistFile[], machine: string): DistFile | undefined {
  const glibc = !!(process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime;
  const family = glibc ? /^manylinux/ : /^musllinux/;
  return files.find((f) => {
    if (!f.filename.endsWith('.whl') || f.yanked !== false) return false;
    try {
      const { platformTags } = parseWheelFilename(f.filename);
      return platformTags.some((t) => family.test(t) && t.endsWith(`_${machine}`));
    } catch {
      return false;
    }
  });
}
