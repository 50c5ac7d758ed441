import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

const VIEWS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'views');

/** Server-rendered pages; eta escapes every `<%= %>` value, so upstream or user text stays inert. */
export const views = new Eta({ views: VIEWS_DIR, autoEscape: true, cache: true, autoTrim: false });
