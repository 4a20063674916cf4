// Bundles the CLI and every action entry into dist/ in one esbuild pass with code splitting, so
// the actions share one copy of the library (like codeql-action) and `npx refinery` runs without
// a TypeScript toolchain. dist/ is committed; CI rebuilds it and fails when it differs (check-dist).
import { readdir, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const actionEntries = (await readdir('src/faces/actions')).filter((f) => f.endsWith('-action.ts')).map((f) => `src/faces/actions/${f}`);

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: {
    cli: 'src/faces/cli/entry.ts',
    lib: 'src/lib.ts',
    ...Object.fromEntries(actionEntries.map((p) => [p.slice('src/faces/actions/'.length, -3), p])),
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  chunkNames: 'chunks/[name]-[hash]',
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __refineryCreateRequire } from 'node:module'; const require = __refineryCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
  sourcemap: false,
});
console.log(`dist/: cli, lib and ${actionEntries.length} action entr${actionEntries.length === 1 ? 'y' : 'ies'}`);
