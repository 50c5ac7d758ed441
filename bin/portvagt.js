#!/usr/bin/env node
// The operator CLI (`npx portvagt …`): check the Node.js version, then run the CLI in this process.
import { requireSupportedNode } from './node-version.js';

requireSupportedNode();
await import('../src/cli/main.ts');
