import type { Command } from './command.ts';
import { accountCommands } from './commands/accounts.ts';
import { configCommands } from './commands/config.ts';
import { cprCommands } from './commands/cpr.ts';
import { eventCommands } from './commands/events.ts';
import { invitationCommands } from './commands/invitations.ts';
import { keyCommands } from './commands/keys.ts';
import { linkCommands } from './commands/links.ts';
import { noticeCommands } from './commands/notices.ts';
import { reportCommands } from './commands/report.ts';
import { sessionCommands } from './commands/sessions.ts';
import { upstreamCommands } from './commands/upstreams.ts';

export const COMMANDS: readonly Command[] = [
  ...accountCommands,
  ...invitationCommands,
  ...linkCommands,
  ...sessionCommands,
  ...cprCommands,
  ...keyCommands,
  ...eventCommands,
  ...noticeCommands,
  ...reportCommands,
  ...configCommands,
  ...upstreamCommands,
];
