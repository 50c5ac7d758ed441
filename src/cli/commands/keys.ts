import { keyLifecycle, rotateSigningKey } from '../../provider/signing-keys.ts';
import type { Command } from '../command.ts';
import { table, when } from '../output.ts';

const rotate: Command = {
  name: 'keys rotate',
  args: [],
  options: { now: { type: 'boolean' } },
  optionsUsage: '[--now]',
  summary: 'publish the next signing key now; it signs after signing_keys.activation_delay_hours (--now: at once)',
  async run(input) {
    const config = input.config();
    const { durable, ops } = await input.stores();
    const now = input.values.now === true;
    const delayMs = now ? 0 : config.signing_keys.activation_delay_hours * 3600 * 1000;
    const { kid, activatesAt } = await rotateSigningKey(durable.db, durable.dialect, keyLifecycle(config), delayMs);
    const reference = await ops.record('keys.rotate', { via: 'cli' }, { detail: `new key ${kid}, signs from ${new Date(activatesAt).toISOString()}` });
    if (now) input.stderr.write('portvagt: warning: the new key signs at once; relying parties that cached the key set before it was published fail to verify its tokens until they fetch it again.\n');
    input.out.print(
      { kid, activates_at: new Date(activatesAt).toISOString(), reference },
      [
        `New signing key ${kid} (reference ${reference}), published now, signing from ${when(new Date(activatesAt).toISOString())}.`,
        'The current key signs until then and stays published until the tokens it signed have expired.',
        `Running instances take up the change within signing_keys.refresh_seconds (${config.signing_keys.refresh_seconds} s); no restart.`,
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
    const rows = await durable.db.selectFrom('signing_keys').select(['kid', 'created_at', 'activates_at', 'retired_at']).orderBy('created_at', 'desc').execute();
    const now = Date.now();
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const keys = rows.map((r) => ({
      kid: r.kid,
      status: r.retired_at !== null && r.retired_at <= now ? 'retired' : (r.activates_at ?? r.created_at) > now ? 'next' : 'active',
      created_at: iso(r.created_at),
      activates_at: iso(r.activates_at ?? r.created_at),
      retired_at: iso(r.retired_at),
    }));
    const lines = keys.map((k) => [k.kid, k.status, when(k.created_at), when(k.activates_at), when(k.retired_at)]);
    input.out.print(keys, keys.length ? table(['KID', 'STATUS', 'CREATED', 'SIGNS FROM', 'RETIRED'], lines) : 'No signing keys yet (the first start of Portvagt makes one).');
  },
};

export const keyCommands: Command[] = [rotate, list];
