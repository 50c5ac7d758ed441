import { readUpstreamKey } from '../../config/upstream-key.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage-error.ts';

const jwk: Command = {
  name: 'upstreams jwk',
  args: ['<upstream>'],
  summary: 'the public JWK of an upstream\'s private_key_jwt key, to register at the broker',
  async run(input) {
    const id = input.args[0]!;
    const upstream = input.config().upstreams.find((u) => u.id === id);
    if (!upstream) throw new UsageError(`unknown upstream "${id}"`);
    if (upstream.token_endpoint_auth_method !== 'private_key_jwt') {
      throw new UsageError(`upstream "${id}" authenticates with ${upstream.token_endpoint_auth_method}, not private_key_jwt`);
    }
    const result = readUpstreamKey(upstream);
    // The configuration was validated, but the file may have changed since.
    if ('problem' in result) throw new UsageError(`upstreams: ${id}: ${result.field}: ${result.problem}`);
    const { publicJwk } = result.key;
    input.out.print(publicJwk, JSON.stringify({ keys: [publicJwk] }, null, 2));
  },
};

export const upstreamCommands: Command[] = [jwk];
