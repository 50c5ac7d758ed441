import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundRobin, startBalancer, type RunningBalancer } from '../../scripts/load-balancer.ts';
import { keyLifecycle, rotateSigningKey } from '../../src/provider/signing-keys.ts';
import { startPortvagt, type Portvagt } from '../../src/portvagt.ts';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, freePort, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, startHarness, upstreamLogin, type Harness } from '../helpers/harness.ts';
import { sharedStores, type SharedStores } from './scale-kit.ts';

// Two instances behind a round-robin balancer (every request may go to either), sharing PostgreSQL and Redis.
let stores: SharedStores;
let lb: RunningBalancer;
let a: Harness;
let b: Portvagt;

beforeAll(async () => {
  stores = await sharedStores();
  const [lbPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
  lb = await startBalancer({ port: lbPort, route: roundRobin([`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`]) });
  a = await startHarness({
    port: lbPort,
    configure: (raw) => {
      raw.server = { port: portA, base_url: lb.url };
      stores.apply(raw);
    },
  });
  b = await startPortvagt({ ...a.config, server: { ...a.config.server, port: portB } }, { log: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await lb?.close();
  await stores?.drop();
});

const jwks = async () => (await (await fetch(`${lb.url}/jwks`)).json()) as JSONWebKeySet;

describe('signing-key rotation on two instances', () => {
  it('a relying party verifying every ID token through the JWKS it fetched sees no failure during a rotation under login load', { timeout: 120_000 }, async () => {
    const subject = identities.mitid[0]!.sub;
    await linkedAccount(a, 'mitid', subject);
    // The RP's cached key set, refreshed when its cache would be (well within the activation delay).
    let rpKeys = await jwks();
    const kidsSigning = new Set<string>();
    const failures: string[] = [];
    let logins = 0;
    const login = async () => {
      const browser = new Browser();
      const request = await rpAuthorizeUrl(a);
      const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, request), 'mitid'), subject);
      const idToken = (await rpExchange(a, request, back.url)).id_token!;
      kidsSigning.add(decodeProtectedHeader(idToken).kid!);
      await jwtVerify(idToken, createLocalJWKSet(rpKeys), { issuer: lb.url, audience: 'test-rp' }).catch((error: Error) => failures.push(error.message));
      logins++;
    };
    let stop = false;
    const load = Promise.all([1, 2, 3].map(async () => {
      while (!stop) await login();
    }));

    const before = rpKeys.keys.map((k) => k.kid);
    const { kid, activatesAt } = await rotateSigningKey(a.portvagt.durable.db, a.portvagt.durable.dialect, keyLifecycle(a.config), 3000);
    // Both instances publish the next key (they would within signing_keys.refresh_seconds); the RP refetches.
    await Promise.all([a.portvagt.refreshKeys(), b.refreshKeys()]);
    rpKeys = await jwks();
    expect(rpKeys.keys.map((k) => k.kid)).toEqual([...before, kid]);
    while (Date.now() < activatesAt) await new Promise((resolve) => setTimeout(resolve, 50));
    // Activation: each instance switches at its next refresh, in any order.
    await a.portvagt.refreshKeys();
    const onlyOneSwitched = logins;
    while (logins < onlyOneSwitched + 3) await new Promise((resolve) => setTimeout(resolve, 50));
    await b.refreshKeys();
    const bothSwitched = logins;
    while (logins < bothSwitched + 6) await new Promise((resolve) => setTimeout(resolve, 50));
    stop = true;
    await load;

    expect(failures).toEqual([]);
    expect([...kidsSigning].sort()).toEqual([...before, kid].sort());
    // The retired key stays published for the tokens it signed.
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([kid, ...before]);
  });
});
