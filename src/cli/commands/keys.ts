import { rotateSigningKey } from '../../provider/signing-keys.ts';
import type { Command } from '../command.ts';
import { table, when } from '../output.ts';

const rotate: Command = {
  name: 'keys rotate',
  args: [],
  summary: 'make a new signing key and retire the current one',
  async run(input) {
    const { durable, ops } = await input.stores();
    const kid = await rotateSigningKey(durable.db, durable.dialect);
    const reference = await ops.record('keys.rotate', { via: 'cli' }, { detail: `new key ${kid}` });
    input.out.print(
      { kid, reference },
      [
        `New signing key ${kid} (reference ${reference}).`,
        'The previous key is retired but stays published so tokens it signed still verify.',
        'Running instances load keys at start: restart them to sign with the new key.',
      ].join('\n'),
    );
  },
};

const list: Command = {
  name: 'keys list',
  args: [],
  summary: 'signing keys, newest first (ids and dates only)',
  async run(input) {
    const { durable } = await input.stores();
    const rows = await durable.db.selectFrom('signing_keys').select(['kid', 'created_at', 'retired_at']).orderBy('created_at', 'desc').execute();
    const keys = rows.map((r) => ({
      kid: r.kid,
      status: r.retired_at === null ? 'active' : 'retired',
      created_at: new Date(r.created_at).toISOString(),
      retired_at: r.retired_at === null ? null : new Date(r.retired_at).toISOString(),
    }));
    const lines = keys.map((k) => [k.kid, k.status, when(k.created_at), when(k.retired_at)]);
    input.out.print(keys, keys.length ? table(['KID', 'STATUS', 'CREATED', 'RETIRED'], lines) : 'No signing keys yet (the first start of Portvagt makes one).');
  },
};

export const keyCommands: Command[] = [rotate, list];
