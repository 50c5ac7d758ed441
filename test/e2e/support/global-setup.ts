import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCREENSHOTS } from './walk.ts';

/** Starts every run with an empty screenshot folder, so it shows this run's pages only. */
export default function setup(): void {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  console.log(`screenshots: ${resolve(SCREENSHOTS)}`);
}
