/**
 * The benchmark's systems, all of the one tenant: the first is where a browser's working day begins
 * with a full brokered login, the other four are where it then logs in by single sign-on. The baseline
 * knows the same five.
 */
export interface BenchClient {
  id: string;
  secret: string;
  redirectUri: string;
}

const benchClient = (n: number): BenchClient =>
  n === 1
    ? { id: 'bench-rp', secret: 'bench-rp-secret-0123456789', redirectUri: 'https://rp.example/cb' }
    : { id: `bench-rp-${n}`, secret: `bench-rp-${n}-secret-0123456789`, redirectUri: `https://rp${n}.example/cb` };

export const CLIENT = benchClient(1);
export const SSO_CLIENTS = [2, 3, 4, 5].map(benchClient);
export const CLIENTS = [CLIENT, ...SSO_CLIENTS];
