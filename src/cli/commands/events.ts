import type { AuditEvent } from '../../outcomes/audit-log.ts';
import type { Command } from '../command.ts';
import { when } from '../output.ts';
import { UsageError } from '../usage-error.ts';

function describe(event: AuditEvent): string {
  const head = [when(event.at), event.event, event.outcome, event.code === null ? '' : `code ${event.code}`].filter(Boolean).join('  ');
  const fields: [string, string | null][] = [
    ['tenant', event.tenant],
    ['client', event.client_id],
    ['method', event.method],
    ['account', event.account_id],
    ['upstream', event.upstream_reason],
    ['detail', event.detail],
  ];
  return [head, ...fields.filter(([, v]) => v !== null).map(([k, v]) => `  ${k}: ${v}`)].join('\n');
}

const events: Command = {
  name: 'events',
  args: ['<reference-id>'],
  summary: 'the audit events behind a reference id (as shown on an error page)',
  async run(input) {
    const reference = input.args[0]!.trim().toUpperCase();
    const found = await (await input.stores()).audit.byReference(reference);
    if (!found.length) throw new UsageError(`no audit events with reference "${reference}"`);
    const json = found.map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
    input.out.print(json, found.map(describe).join('\n'));
  },
};

export const eventCommands: Command[] = [events];
