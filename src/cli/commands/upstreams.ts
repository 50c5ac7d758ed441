import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

const jwk: Command = {
  name: 'upstreams jwk',
  args: ['<upstream>'],
  summary: 'the public JWK of an upstream\'s private_key_jwt key, to register at the broker',
  async run(input) {
    const id = input.args[0]!;
    const { auth } = input.config().methods.get(id) ?? {};
    if (!auth) throw new UsageError(`unknown upstream "${id}"`);
    if (auth.method !== 'private_key_jwt') throw new UsageError(`upstream "${id}" authenticates with ${auth.method}, not private_key_jwt`);
    // The key was read when the configuration was loaded, for this command.
    const { publicJwk } = auth.key;
    input.out.print(publicJwk, JSON.stringify({ keys: [publicJwk] }, null, 2));
  },
};

export const upstreamCommands: Command[] = [jwk];
