import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A turbo.json as scripts/setup-turbo-toolchain.sh writes it, C only (no Rust, no uv). */
export const TURBO_MANIFEST = {
  schema: 'refinery/turbo@1',
  mountPoint: '/opt/refinery/turbo',
  target: 's390x-linux-gnu',
  gcc: '12.2.0',
  gccPackage: '12.2.0-14cross1',
  rust: null,
};

/**
 * A toolchain folder `dir/name` with `manifest` (an object, or text as it is) and executable stub
 * programs at `files` (paths in the folder): what loadTurboToolchain reads and checks.
 */
export async function turboFolder(dir: string, name: string, manifest: unknown, files = ['bin/cc', 'bin/c++', 'bin/ld']): Promise<string> {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  for (const f of files) {
    await mkdir(join(d, f, '..'), { recursive: true });
    await writeFile(join(d, f), '#!/bin/sh\n');
    await chmod(join(d, f), 0o755);
  }
  await writeFile(join(d, 'turbo.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return d;
}
