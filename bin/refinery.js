#!/usr/bin/env node
// The CLI lives in the committed bundle (dist/), so `npx refinery` works right after `npm ci`.
import module from 'node:module';

// Node >= 22.1 can keep the bundle's compiled code between runs: loading it is a good part of a
// short command's time. A no-op on Node 20, which lacks it.
module.enableCompileCache?.();
await import('../dist/cli.js');
