import { cprFingerprint, normaliseCpr } from '../../accounts/cpr.ts';
import type { Command } from '../command.ts';
import { readSecretLine } from '../read-line.ts';
import { accountArgument, accountName } from '../resolve.ts';
import { UsageError } from '../usage-error.ts';

const set: Command = {
  name: 'cpr set',
  args: ['<account>'],
  summary: "store the fingerprint of the account's CPR number, read from stdin",
  async run(input) {
    const config = input.config();
    const { account, stores: { ops } } = await accountArgument(input);
    const cpr = normaliseCpr((await readSecretLine(input.stdin, input.stderr, 'CPR number: ')) ?? '');
    // The typed value is never repeated back: it may be a real CPR number with a typo.
    if (!cpr) throw new UsageError('stdin does not hold a CPR number (DDMMYY-XXXX with a real date)');
    const reference = await ops.setCprFingerprint(account, cprFingerprint(config.secrets, cpr), { via: 'cli' });
    input.out.print({ account_id: account.id, has_cpr: true, reference }, `Stored the CPR fingerprint of ${accountName(account)} (reference ${reference})`);
  },
};

export const cprCommands: Command[] = [set];
