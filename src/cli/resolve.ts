import type { Account, AccountRepository } from '../accounts/accounts.ts';
import type { Config } from '../config/model.ts';
import type { CommandInput } from './command.ts';
import type { CliStores } from './stores.ts';
import { UsageError } from './usage-error.ts';

/** Fails unless the tenant is in the configuration. */
export function requireTenant(config: Config, tenant: string): void {
  if (!config.tenants.has(tenant)) {
    throw new UsageError(`unknown tenant "${tenant}" (configured: ${[...config.tenants.keys()].join(', ')})`);
  }
}

/** An account named by its id or as tenant/username. */
export async function resolveAccount(ref: string, config: Config, accounts: AccountRepository): Promise<Account> {
  const slash = ref.indexOf('/');
  let account: Account | undefined;
  if (slash === -1) {
    account = await accounts.find(ref);
  } else {
    const tenant = ref.slice(0, slash);
    requireTenant(config, tenant);
    account = await accounts.findByUsername(tenant, ref.slice(slash + 1));
  }
  if (!account) throw new UsageError(`unknown account "${ref}" (give an account id or tenant/username)`);
  return account;
}

/** The account a command's first argument names, with the stores it was read from. */
export async function accountArgument(input: CommandInput): Promise<{ account: Account; stores: CliStores }> {
  const stores = await input.stores();
  return { account: await resolveAccount(input.args[0]!, input.config(), stores.accounts), stores };
}

export const accountName = (account: Account) => `${account.tenant}/${account.username}`;
