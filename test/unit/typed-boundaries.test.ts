import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError, UpstreamUnreachableError } from '../../src/errors/boundary-errors.ts';
import { toBrokerError } from '../../src/errors/classify.ts';
import { providerErrorCode } from '../../src/provider/provider.ts';
import { migrate, openDurableStore, type DurableStore } from '../../src/store/durable/database.ts';
import { isUniqueViolation } from '../../src/store/durable/unique-violation.ts';
import { getDialect } from '../../src/upstream/dialects/index.ts';
import { OidcConnector } from '../../src/upstream/oidc-connector.ts';
import { resolveProfile } from '../../src/upstream/profiles/index.ts';
import { dropIsolatedDatabase, freePort, isolatedDatabaseUrl } from '../helpers/harness.ts';
import { POSTGRES_URL } from '../scale/scale-kit.ts';

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('classification of thrown errors', () => {
  it('gives 502 and 501 by type, whatever the message, also beneath a library wrapping', () => {
    expect(toBrokerError(new StoreUnavailableError('durable', new Error('anything at all'))).code).toBe(502);
    expect(toBrokerError(new Error('wrapped', { cause: new StoreUnavailableError('ephemeral', undefined) })).code).toBe(502);
    expect(toBrokerError(new Error('wrapped', { cause: new UpstreamUnreachableError('https://up.example/token', undefined) })).code).toBe(501);
  });

  it('does not read driver wording or codes: an untyped error that looks like an outage is a 500', () => {
    expect(toBrokerError(new Error('Connection terminated unexpectedly')).code).toBe(500);
    expect(toBrokerError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).code).toBe(500);
    expect(toBrokerError(new TypeError('fetch failed')).code).toBe(500);
  });
});

describe('the durable store on SQLite', () => {
  it('reports a file that is not a database as StoreUnavailableError', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'typed-'));
    writeFileSync(join(dataDir, 'portvagt.db'), Buffer.alloc(4096, 'not a database '));
    expect(() => openDurableStore({ dataDir })).toThrow(StoreUnavailableError);
  });

  it('passes a unique violation through as the driver threw it, for the repositories to recognise', async () => {
    const store = openDurableStore({ dataDir: mkdtempSync(join(tmpdir(), 'typed-')) });
    try {
      await sql`create table t (id integer primary key)`.execute(store.db);
      await sql`insert into t values (1)`.execute(store.db);
      const failure = await failureOf(sql`insert into t values (1)`.execute(store.db));
      expect(failure).not.toBeInstanceOf(StoreUnavailableError);
      expect(isUniqueViolation(failure)).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('the durable store on PostgreSQL', () => {
  let url: string | undefined;
  let store: DurableStore;
  beforeAll(async () => {
    url = await isolatedDatabaseUrl(POSTGRES_URL);
    store = openDurableStore({ databaseUrl: url, dataDir: tmpdir() });
    await migrate(store);
  });
  afterAll(async () => {
    await store?.close();
    await dropIsolatedDatabase(url, POSTGRES_URL);
  });

  it('reports a server nobody answers at as StoreUnavailableError', async () => {
    const away = openDurableStore({ databaseUrl: `postgres://postgres@127.0.0.1:${await freePort()}/test`, dataDir: tmpdir() });
    try {
      expect(await failureOf(sql`select 1`.execute(away.db))).toBeInstanceOf(StoreUnavailableError);
    } finally {
      await away.close();
    }
  });

  it('reports a query the server cancels (57014, statement timeout) as StoreUnavailableError, and an SQL error as the driver threw it', async () => {
    const cancelled = await failureOf(
      store.db.transaction().execute(async (trx) => {
        await sql`set local statement_timeout = 1`.execute(trx);
        await sql`select pg_sleep(0.05)`.execute(trx);
      }),
    );
    expect(cancelled).toBeInstanceOf(StoreUnavailableError);
    const wrong = await failureOf(sql`select 1 / 0`.execute(store.db));
    expect(wrong).not.toBeInstanceOf(StoreUnavailableError);
    expect((wrong as { code?: string }).code).toBe('22012');
  });
});

describe("oidc-provider's errors", () => {
  const ctx = (route: string, params: Record<string, unknown>, client?: object) => ({ oidc: { route, params, client } }) as unknown as KoaContextWithOIDC;
  const knownClient = { postLogoutRedirectUriAllowed: (uri: string) => uri === 'https://rp.example/bye' };

  it('are told apart by class and by what the request carried, not by their wording', () => {
    const reworded = new errors.InvalidRequest('the provider may say anything here about redirect_uri');
    expect(providerErrorCode(ctx('authorization', {}, knownClient), reworded)).toBe(5005);
    expect(providerErrorCode(ctx('authorization', { redirect_uri: 'https://rp.example/cb' }, knownClient), reworded)).toBe(3000);
    expect(providerErrorCode(ctx('authorization', {}), reworded)).toBe(3000);
    expect(providerErrorCode(ctx('end_session', { post_logout_redirect_uri: 'https://evil.example/' }, knownClient), reworded)).toBe(5005);
    expect(providerErrorCode(ctx('end_session', { post_logout_redirect_uri: 'https://rp.example/bye' }, knownClient), reworded)).toBe(3000);
    expect(providerErrorCode(ctx('authorization', {}), new errors.InvalidRedirectUri())).toBe(5005);
    expect(providerErrorCode(ctx('authorization', {}), new errors.InvalidClient('whatever', 'wording'))).toBe(7000);
    expect(providerErrorCode(ctx('authorization', { client_id: 'old-rp' }), new errors.InvalidClient('whatever', 'wording'), new Set(['old-rp']))).toBe(7001);
    expect(providerErrorCode(ctx('authorization', {}), new errors.SessionNotFound('whatever'))).toBe(3001);
    expect(providerErrorCode(ctx('authorization', {}), new errors.InvalidScope('whatever', 'x'))).toBe(3000);
    expect(providerErrorCode(ctx('authorization', {}), new Error('a store or a bug'))).toBeUndefined();
  });
});

describe('the OIDC connector', () => {
  const ISSUER = 'https://up.example';
  const discovery = {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/auth`,
    token_endpoint: `${ISSUER}/token`,
    jwks_uri: `${ISSUER}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };

  /** A connector whose token call fails with `failure`; discovery answers. */
  function connectorFailingWith(failure: Error) {
    return new OidcConnector({
      id: 'up',
      displayName: 'Up',
      issuer: ISSUER,
      clientId: 'portvagt',
      auth: { method: 'client_secret_basic', secret: 'secret' },
      profile: resolveProfile({ profile: 'generic-oidc', dialect: 'mitid', scope: 'openid' }),
      providesCpr: false,
      callbackUrl: 'https://portvagt.example/callback/up',
      dialect: getDialect('mitid'),
      timeoutMs: 1000,
      log: pino({ level: 'silent' }),
      fetch: async (url) => {
        if (new URL(url).pathname.endsWith('openid-configuration')) return Response.json(discovery);
        throw failure;
      },
    });
  }

  async function completeWith(failure: Error) {
    const connector = connectorFailingWith(failure);
    const { pending } = await connector.begin({ state: 'test-state', minLevel: 'low' });
    return failureOf(connector.complete(new URLSearchParams({ code: 'c', state: pending.state }), pending));
  }

  it('reports an unreachable token endpoint as 501 by type, whatever the message', async () => {
    expect(await completeWith(new UpstreamUnreachableError(`${ISSUER}/token`, new Error('reworded by Node')))).toMatchObject({ code: 501 });
  });

  it("does not take fetch's old wording for an unreachable upstream", async () => {
    expect(await completeWith(new TypeError('fetch failed'))).not.toMatchObject({ code: 501 });
  });
});
