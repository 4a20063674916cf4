#!/usr/bin/env node
// The CLI lives in the committed bundle (dist/), so `npx refinery` works right after `npm ci`.
import module from 'node:module';

// The maintained Node lines are supported (22 and 24); say so instead of failing later in a dependency.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`refinery: Node ${process.versions.node} is too old: install Node 22 (22.12 or newer) or 24\n`);
  process.exit(2);
}
// Node >= 22.1 can keep the bundle's compiled code between runs: loading it is a good part of a
// short command's time.
module.enableCompileCache?.();
await import('../dist/cli.js');
