/** The pages and form targets of a flow, under its interaction's address. */
export type FlowPage = '' | 'method' | 'abort' | 'first-login' | 'first-login/start' | 'login/start' | 'link' | 'link/method' | 'link/finish' | 'cpr';

const under = (uid: string, page: FlowPage) => `/interaction/${uid}${page && `/${page}`}`;

/** The address of a flow's page: the one way every link, form and redirect of a flow is made. */
export function flowUrl(uid: string, page: FlowPage = ''): string {
  return under(encodeURIComponent(uid), page);
}

/** The Express route of a flow's page, its uid a path parameter. */
export function flowRoute(page: FlowPage = ''): string {
  return under(':uid', page);
}
