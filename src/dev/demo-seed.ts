import type { AccountRepository } from '../accounts/accounts.ts';
import type { InvitationRepository } from '../accounts/invitations.ts';
import type { Config } from '../config/model.ts';
import { DEMO_SUBJECTS } from './mock-identities.ts';

export interface DemoSeed {
  username: string;
  invitation?: { username: string; password: string } | undefined;
}

/**
 * The demo tenant's data: an account linked to the mock MitID demo identity, and a fresh invitation
 * for a second account so the first-time login can be tried at once. Idempotent across restarts.
 */
export async function seedDemo(config: Config, accounts: AccountRepository, invitations: InvitationRepository): Promise<DemoSeed> {
  const tenant = [...config.tenants.keys()][0]!;
  const mitid = [...config.methods.values()].find((m) => m.mock?.kind === 'mitid');
  let account = await accounts.findByUsername(tenant, 'mette.jensen');
  if (!account) {
    account = await accounts.create({ tenant, username: 'mette.jensen', displayName: 'Mette Jensen', email: 'mette.jensen@demo.example' });
    if (mitid) await accounts.link(account.id, { method: mitid.id, issuer: mitid.issuer, subject: DEMO_SUBJECTS.mitid });
  }
  let invited = await accounts.findByUsername(tenant, 'ny.bruger');
  invited ??= await accounts.create({ tenant, username: 'ny.bruger', displayName: 'Ny Bruger', email: 'ny.bruger@demo.example' });
  const links = await accounts.links(invited.id);
  const invitation = links.length === 0 ? await invitations.issue(invited.id) : undefined;
  return { username: account.username, invitation: invitation ? { username: invited.username, password: invitation.password } : undefined };
}
