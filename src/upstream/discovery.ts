import { upstreamFetch } from './upstream-fetch.ts';

/**
 * Fetches an upstream's discovery document afresh (connectors cache theirs, which says nothing about
 * now), through the connectors' own HTTP client: the same stack, agents and limits as a login's calls.
 */
export async function discoveryReachable(issuer: string, timeoutMs: number): Promise<void> {
  const response = await upstreamFetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { method: 'GET', headers: { accept: 'application/json' }, body: undefined, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw Object.assign(new Error('discovery failed'), { code: `HTTP_${response.status}` });
}
