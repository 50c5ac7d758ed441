import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyEncryption } from '../../src/crypto/key-encryption.ts';
import { loadSigningKeys } from '../../src/provider/signing-keys.ts';
import { migrate, openDurableStore } from '../../src/store/durable/database.ts';

const OLD = 'the-key-encryption-secret-before-0001';
const NEW = 'the-key-encryption-secret-after-00002';

describe('signing keys encrypted at rest', () => {
  it('seals with AES-256-GCM bound to the key id; a rotated key-encryption key still opens older values', () => {
    const before = new KeyEncryption([OLD]);
    const sealed = before.seal('kid-1', '{"d":"secret"}');
    expect(sealed).toMatch(/^v1\.[\w-]{8}\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(sealed).not.toContain('secret');
    const after = new KeyEncryption([NEW, OLD]);
    expect(after.open('kid-1', sealed)).toBe('{"d":"secret"}');
    expect(after.sealedWithCurrent(sealed)).toBe(false);
    // Moved to another key's row, or opened without its key-encryption key, it does not open.
    expect(() => after.open('kid-2', sealed)).toThrow();
    expect(() => new KeyEncryption([NEW]).open('kid-1', sealed)).toThrow(/not configured/);
  });

  it('stores no private key in clear, and seals keys stored before encryption (or under an older secret) at the next load', async () => {
    const store = openDurableStore({ dataDir: mkdtempSync(join(tmpdir(), 'portvagt-keys-')) });
    try {
      await migrate(store);
      const lifecycle = (secrets: string[]) => ({ encryption: new KeyEncryption(secrets), retentionMs: 900_000, clock: () => Date.now() });
      const { keys: [key] } = await loadSigningKeys(store.db, store.dialect, lifecycle([OLD]));
      const rows = () => store.db.selectFrom('signing_keys').select(['kid', 'private_jwk']).execute();
      expect((await rows())[0]!.private_jwk).not.toContain((key as { d: string }).d);
      // A key from before encryption, stored as plain JSON.
      await store.db.insertInto('signing_keys').values({ kid: 'legacy', private_jwk: JSON.stringify({ ...key, kid: 'legacy' }), created_at: 1, activates_at: 1, retired_at: Date.now() }).execute();
      const { keys } = await loadSigningKeys(store.db, store.dialect, lifecycle([NEW, OLD]));
      expect(keys.map((k) => k.kid)).toEqual([key!.kid, 'legacy']);
      const sealed = new KeyEncryption([NEW]);
      for (const row of await rows()) expect(sealed.sealedWithCurrent(row.private_jwk)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
