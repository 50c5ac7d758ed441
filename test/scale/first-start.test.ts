import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { KeyEncryption } from '../../src/crypto/key-encryption.ts';
import { loadSigningKeys } from '../../src/provider/signing-keys.ts';

const lifecycle = { encryption: new KeyEncryption(['first-start-key-encryption-secret-0001']), retentionMs: 900_000, clock: systemClock };
import { migrate, openDurableStore, type DurableStore } from '../../src/store/durable/database.ts';
import { dropIsolatedDatabase, isolatedDatabaseUrl } from '../helpers/harness.ts';
import { POSTGRES_URL } from './scale-kit.ts';

const opened: DurableStore[] = [];
let databaseUrl: string | undefined;
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await dropIsolatedDatabase(databaseUrl, POSTGRES_URL);
});

describe('instances starting at the same moment on an empty PostgreSQL database', () => {
  it('migrate once and all sign with, and publish, the same single key', async () => {
    databaseUrl = await isolatedDatabaseUrl(POSTGRES_URL);
    // One pool per instance, as separate processes would have.
    const instances = Array.from({ length: 4 }, () => openDurableStore({ databaseUrl, dataDir: mkdtempSync(join(tmpdir(), 'portvagt-scale-')) }));
    opened.push(...instances);
    await Promise.all(instances.map((s) => migrate(s)));
    const keySets = await Promise.all(instances.map((s) => loadSigningKeys(s.db, s.dialect, lifecycle)));

    const kids = keySets.map(({ keys }) => keys.map((k) => k.kid));
    expect(new Set(kids.map((k) => k.join()))).toHaveLength(1);
    expect(kids[0]).toHaveLength(1);
    const stored = await instances[0]!.db.selectFrom('signing_keys').select('kid').execute();
    expect(stored.map((r) => r.kid)).toEqual(kids[0]);
  });
});
