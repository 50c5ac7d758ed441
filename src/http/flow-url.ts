/** The pages and form targets of a flow, under its interaction's address. */
export type FlowPage = '' | 'method' | 'abort' | 'first-login' | 'first-login/start' | 'login/start' | 'link' | 'link/method' | 'link/finish' | 'cpr';

const under = (uid: string, page: FlowPage) => `/interaction/${uid}${page && `/${page}`}`;

/** The address of a flow's page: the one way every link, form and redirect of a flow is made. */
export function flowUrl(uid: string, page: FlowPage = ''): string {
  return under(encodeURIComponent(uid), page);
}

/**
 * The account page ("Mine loginmetoder") at `path`, opened from a system (`system`: its branding and
 * tenant) or for a tenant: the one way its links and forms are made.
 */
export function accountUrl(path: '' | `/${string}` = '', query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
  return `/account${path}${search ? `?${search}` : ''}`;
}

/** The Express route of a flow's page, its uid a path parameter. */
export function flowRoute(page: FlowPage = ''): string {
  return under(':uid', page);
}
