import { clientBrand, lookup, type Config } from '../config/model.ts';
import { accountUrl } from '../http/flow-url.ts';

/**
 * Where the account page is opened from (docs/account-page.md): the system that linked to it
 * (`?system=`, whose branding the page wears and whose tenant it is for) and the tenant (`?tenant=`,
 * needed only where the system or the deployment has several). Unknown values are ignored.
 */
export interface AccountPlace {
  system?: string | undefined;
  tenant?: string | undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function placeOf(config: Config, query: Record<string, unknown>): AccountPlace {
  const client = config.clients.get(text(query.system) ?? '');
  const system = client && client.enabled && !client.own ? client : undefined;
  const named = text(query.tenant);
  const allowed = (tenant: string) => config.tenants.has(tenant) && (!system || system.tenants.includes(tenant));
  const only = (ids: readonly string[]) => (ids.length === 1 ? ids[0] : undefined);
  const tenant = named && allowed(named) ? named : only(system ? system.tenants : [...config.tenants.keys()]);
  return { system: system?.id, tenant };
}

/** The brand of the page: the system the user came from, else Portvagt's own. */
export const placeBrand = (config: Config, place: AccountPlace) => clientBrand(lookup(config.clients, place.system));

/** An address of the account page that keeps where it was opened from. */
export function accountHref(path: '' | `/${string}`, place: AccountPlace, extra: Record<string, string> = {}): string {
  return accountUrl(path, { system: place.system, tenant: place.tenant, ...extra });
}
