#!/usr/bin/env node
// `npm start` and the container: check the Node.js version, then run the server's TypeScript directly.
import { requireSupportedNode } from './node-version.js';

requireSupportedNode();
await import('../src/main.ts');
