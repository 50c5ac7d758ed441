/** The mock MitID upstream in a process of its own, so its CPU is not Portvagt's. */
import { startMockUpstream } from '../src/dev/mock-upstream.ts';
import { getDialect } from '../src/upstream/dialects/index.ts';
import { serveParent, settings } from './child.ts';

const s = settings<{ secret: string; redirectUris: string[] }>('BENCH_MOCK');
const mock = await startMockUpstream({
  name: 'mitid',
  kind: 'mitid',
  dialect: getDialect('mitid'),
  clients: [{ client_id: 'portvagt', client_secret: s.secret, redirect_uris: s.redirectUris }],
});
serveParent(mock.issuer, () => mock.close());
