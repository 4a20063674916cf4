#!/usr/bin/env node
// The CLI lives in the committed bundle (dist/), so `npx refinery` works right after `npm ci`.
import '../dist/cli.js';
