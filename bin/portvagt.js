#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, resolved from this package so `npx portvagt` works from any directory.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, URL } from 'node:url';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;
