import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as argon2 from '@node-rs/argon2';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccountRepository } from '../../src/accounts/accounts.ts';
import { InvitationRepository } from '../../src/accounts/invitations.ts';
import { migrate, openDurableStore, type DurableStore } from '../../src/store/durable/database.ts';
import { dropIsolatedDatabase, isolatedDatabaseUrl } from '../helpers/harness.ts';

const MAX_ATTEMPTS = 5;

// argon2id verifications are counted, not changed.
vi.mock('@node-rs/argon2', async (original) => {
  const actual = await original<typeof import('@node-rs/argon2')>();
  return { ...actual, verify: vi.fn(actual.verify) };
});

/** Counts the statements that write (insert, update, delete) through a Kysely instance. */
function countingWrites(): { plugin: KyselyPlugin; writes: () => number } {
  let writes = 0;
  return {
    plugin: {
      transformQuery(args) {
        if (['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode'].includes(args.node.kind)) writes++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
    writes: () => writes,
  };
}

// Two instances on one database (PostgreSQL when the suite runs on it, else one SQLite file).
let databaseUrl: string | undefined;
const stores: DurableStore[] = [];
beforeAll(async () => {
  databaseUrl = await isolatedDatabaseUrl();
  const dataDir = mkdtempSync(join(tmpdir(), 'portvagt-invitations-'));
  for (let i = 0; i < 2; i++) stores.push(openDurableStore({ databaseUrl, dataDir }));
  await migrate(stores[0]!);
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await dropIsolatedDatabase(databaseUrl);
});

const repositories = (maxAttempts: number) => stores.map((s) => new InvitationRepository(s.db, { validityDays: 14, maxAttempts }));

async function invited(username: string, maxAttempts = MAX_ATTEMPTS) {
  const account = await new AccountRepository(stores[0]!.db).create({ tenant: 'acme', username, displayName: username });
  const [first] = repositories(maxAttempts);
  const { password } = await first!.issue(account.id);
  return { account, password };
}

describe('invitation attempts under parallel guesses', () => {
  it('20 parallel wrong passwords on two instances use exactly the limit and void the invitation', async () => {
    const { account, password } = await invited('race.wrong');
    const instances = repositories(MAX_ATTEMPTS);
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => instances[i % 2]!.check(account.id, `wrong-guess-${i}`)));
    expect(outcomes.every((o) => !o.ok)).toBe(true);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'wrong')).toHaveLength(MAX_ATTEMPTS);
    expect((await instances[0]!.list(account.id)).map((i) => [i.status, i.attempts])).toEqual([['void', MAX_ATTEMPTS]]);
    // Even the right password fails now; its holder (and only its holder) may be told the invitation is locked.
    expect(await instances[1]!.check(account.id, password)).toEqual({ ok: false, reason: 'void', proven: true });
    expect(await instances[1]!.check(account.id, 'wrong-again')).toEqual({ ok: false, reason: 'void' });
  });

  it('the right password among parallel wrong ones is accepted only within the limit', async () => {
    const { account, password } = await invited('race.mixed');
    const instances = repositories(MAX_ATTEMPTS);
    const guesses = Array.from({ length: 12 }, (_, i) => (i === 2 ? password : `wrong-guess-${i}`));
    const outcomes = await Promise.all(guesses.map((guess, i) => instances[i % 2]!.check(account.id, guess)));
    const [row] = await instances[0]!.list(account.id);
    expect(row!.attempts).toBe(MAX_ATTEMPTS);
    expect(outcomes.filter((o) => o.ok || o.reason === 'wrong').length).toBe(MAX_ATTEMPTS);
  });
});

describe('the same work on every path of the first-time login check', () => {
  it('unknown user, no open invitation, wrong and right password each do one argon2id verify and one write', async () => {
    const open = await invited('work.open', 1000);
    const closed = await invited('work.closed', 1000);
    await repositories(1000)[0]!.revoke(closed.account.id);
    const paths: [string, string | undefined, string][] = [
      ['unknown user', undefined, 'some-password'],
      ['no open invitation', closed.account.id, closed.password],
      ['wrong password', open.account.id, 'wrong-password'],
      ['right password', open.account.id, open.password],
    ];
    for (const [name, accountId, password] of paths) {
      const counter = countingWrites();
      const repository = new InvitationRepository(stores[0]!.db.withPlugin(counter.plugin), { validityDays: 14, maxAttempts: 1000 });
      vi.mocked(argon2.verify).mockClear();
      await repository.check(accountId, password);
      expect({ path: name, verifies: vi.mocked(argon2.verify).mock.calls.length, writes: counter.writes() }).toEqual({ path: name, verifies: 1, writes: 1 });
    }
  });
});
