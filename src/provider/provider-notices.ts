import type { Logger } from '../logger.ts';

/**
 * oidc-provider prints its notices as plain text ("oidc-provider NOTICE: …" with console.info,
 * "oidc-provider WARNING: …" with console.warn, in colour on a terminal), one of them while it is
 * imported. Importing this module first hooks both: such a line becomes a JSON line of the logger
 * attached with `logProviderNotices` (held until one is), every other line passes through unchanged.
 */
// eslint-disable-next-line no-control-regex -- the colour codes oidc-provider wraps a notice in
const NOTICE = /^(?:\x1b\[[\d;]*m)?oidc-provider (NOTICE|WARNING): ([\s\S]*?)(?:\x1b\[0m)?$/;

type Notice = { level: 'info' | 'warn'; text: string };
const held: Notice[] = [];
let logger: Logger | undefined;

const write = (log: Logger, { level, text }: Notice) => log[level]({ source: 'oidc-provider' }, text);

for (const method of ['info', 'warn'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    const match = args.length === 1 && typeof args[0] === 'string' ? NOTICE.exec(args[0]) : null;
    if (!match) return original(...args);
    const notice: Notice = { level: match[1] === 'WARNING' ? 'warn' : 'info', text: match[2]! };
    if (logger) write(logger, notice);
    else held.push(notice);
  };
}

/** Sends oidc-provider's notices, those held so far and all later ones, to `log`. */
export function logProviderNotices(log: Logger): void {
  logger = log;
  for (const notice of held.splice(0)) write(log, notice);
}
