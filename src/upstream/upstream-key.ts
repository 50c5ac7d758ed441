import { readFileSync } from 'node:fs';
import { parseClientKey, type ClientKey } from '../crypto/client-key.ts';

/** The configuration keys an upstream's private key can come from. */
export interface UpstreamKeySource {
  /** PEM or JWK text; `PORTVAGT_UPSTREAM_KEY_<ID>` sets it from the environment. */
  private_key?: string | undefined;
  private_key_file?: string | undefined;
}

export type UpstreamKeyResult = { key: ClientKey } | { field: 'private_key' | 'private_key_file'; problem: string };

/** The `private_key_jwt` key of an upstream, or which key of its configuration is wrong and why. */
export function readUpstreamKey(upstream: UpstreamKeySource): UpstreamKeyResult {
  if (upstream.private_key !== undefined && upstream.private_key_file !== undefined) {
    return { field: 'private_key_file', problem: 'give private_key_file or private_key (PORTVAGT_UPSTREAM_KEY_<ID>), not both' };
  }
  const field = upstream.private_key !== undefined ? 'private_key' : 'private_key_file';
  let text = upstream.private_key;
  if (text === undefined) {
    const file = upstream.private_key_file;
    if (file === undefined) return { field, problem: 'required for private_key_jwt (or private_key, e.g. from PORTVAGT_UPSTREAM_KEY_<ID>)' };
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return { field, problem: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
    }
  }
  try {
    return { key: parseClientKey(text) };
  } catch (error) {
    return { field, problem: (error as Error).message };
  }
}
