/**
 * The dialect registry and the one place an upstream's error redirect becomes a Portvagt code.
 *
 * Translation rules:
 *   - the dialect finds a reason, and the upstream's `error_aliases` (configuration) map it to a row
 *     → that row;
 *   - the dialect finds a reason it has a row for → that row's code (5500/5501/5502) and advice
 *     (guidance, retry, contact, links); a row marked `integration` (only the service can fix it)
 *     makes the error page log at error level, so operators see it;
 *   - the dialect finds a reason it has no row for → 5501, and a warning naming dialect and reason,
 *     so the table can be extended;
 *   - no reason → the plain OAuth `error`: `temporarily_unavailable` is 501 (the upstream says it is
 *     down, which is what 501 tells the user); everything else (`access_denied`, `login_required`,
 *     `server_error`, `interaction_required`, unknown or missing values) is 3003, the guide's "error
 *     at the external system, no explanation given". A finer split would only guess: without a
 *     reason, `access_denied` can as well be a cancel as a refusal.
 * What the upstream said goes into `BrokerError.upstream`, each field trimmed to 200 characters, for
 * the log and the audit event only; it is never rendered.
 */
import { BrokerError, type UpstreamReason } from '../../errors/broker-error.ts';
import type { Dialect } from './dialect.ts';
import { hid } from './hid.ts';
import { mitid } from './mitid.ts';
import { nemid } from './nemid.ts';
import { clip, param } from './normalise.ts';
import { oidc } from './oidc.ts';
import { onespan } from './onespan.ts';

export const DIALECTS = { mitid, nemid, hid, onespan, oidc } as const satisfies Record<string, Dialect>;

export type DialectName = keyof typeof DIALECTS;

export function isDialectName(name: string): name is DialectName {
  return Object.hasOwn(DIALECTS, name);
}

export function getDialect(name: string): Dialect {
  if (!isDialectName(name)) throw new Error(`unknown upstream error dialect: ${name}`);
  return DIALECTS[name];
}

export interface DialectLog {
  warn(obj: object, msg: string): void;
}

/** An upstream's `error_aliases`: its own value (as the dialect keys it) → a row of the dialect. */
export type ErrorAliases = ReadonlyMap<string, string>;

/**
 * Checks and normalises configured aliases: every key and value goes through the dialect's `key`, and
 * every value must then name a row. Problems name the alias, for the configuration error.
 */
export function resolveAliases(dialect: Dialect, configured: Readonly<Record<string, string>>): { aliases: ErrorAliases; problems: string[] } {
  const aliases = new Map<string, string>();
  const problems: string[] = [];
  for (const [from, to] of Object.entries(configured)) {
    const target = dialect.key(to);
    if (Object.hasOwn(dialect.rows, target)) aliases.set(dialect.key(from), target);
    else problems.push(`"${from}" → "${to}": the ${dialect.name} dialect has no reason "${target}"`);
  }
  return { aliases, problems };
}

export function translateErrorResponse(dialect: Dialect, params: URLSearchParams, upstream: string, log: DialectLog, aliases: ErrorAliases = new Map()): BrokerError {
  const error = param(params, 'error');
  const found = dialect.reason(params);
  const reason = found !== undefined && aliases.has(found) ? aliases.get(found) : found;
  const said: UpstreamReason = {
    upstream: clip(upstream) ?? '',
    dialect: dialect.name,
    reason: clip(found),
    error: clip(error),
    description: clip(param(params, 'error_description')),
  };
  if (reason !== undefined) {
    const row = Object.hasOwn(dialect.rows, reason) ? dialect.rows[reason] : undefined;
    if (row) {
      const { code, ...advice } = row;
      return new BrokerError(code, { advice, upstream: { ...said, row: reason, ...(row.cancel === true ? { userCancel: true } : {}) }, detail: `${said.upstream}: ${dialect.name} reason ${said.reason}${reason === found ? '' : ` (error_aliases: ${reason})`}` });
    }
    log.warn({ upstream: said.upstream, dialect: dialect.name, reason: said.reason }, 'upstream error reason not in its dialect table');
    return new BrokerError(5501, { upstream: said, detail: `${said.upstream}: unknown ${dialect.name} reason ${said.reason}` });
  }
  const code = error === 'temporarily_unavailable' ? 501 : 3003;
  // An upstream that speaks only OAuth says a cancel as a plain `access_denied` without a reason.
  const userCancel = dialect.name === 'oidc' && error === 'access_denied' ? { userCancel: true as const } : {};
  return new BrokerError(code, { upstream: { ...said, ...userCancel }, detail: `${said.upstream}: error response ${said.error ?? '(no error parameter)'}` });
}
