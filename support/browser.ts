/**
 * A tiny browser for the tests and the benchmark: Node's fetch with manual redirects and a cookie jar. Each `Browser` is
 * one user agent; two flows in one Browser behave like two tabs. Deliberate simplifications: cookies
 * are kept per origin (scheme, host and port; a real browser ignores the port), scoped by Path and
 * expiry; Domain, Secure and SameSite are ignored.
 */

export interface Page {
  /** The URL fetched, or when `until` matched, the redirect target that was not fetched. */
  url: string;
  status: number;
  headers: Headers;
  /** The response body as text. */
  body: string;
  /** The absolute target of a redirect response. */
  location: string | undefined;
  /** `until` matched: `url` was not fetched and the other fields are those of the redirect to it. */
  stopped: boolean;
}

export interface RequestOptions {
  /** Follow redirects until a non-redirect response. */
  follow?: boolean;
  /** Follow redirects, but stop before fetching the first target this matches (implies `follow`). */
  until?: (url: string) => boolean;
  headers?: Record<string, string>;
}

export interface HtmlForm {
  /** Absolute URL the form submits to. */
  action: string;
  method: 'get' | 'post';
  attributes: Record<string, string>;
  /** Values a browser would submit without a click: inputs (checked ones for radio and checkbox), selects, textareas. */
  fields: Record<string, string>;
  buttons: { name: string | undefined; value: string; text: string; attributes: Record<string, string> }[];
}

export interface HtmlLink {
  href: string;
  text: string;
  attributes: Record<string, string>;
}

export interface SubmitOptions extends RequestOptions {
  /** Which form: its `name` or `id` attribute, or a predicate; default the only/first form. */
  form?: string | ((form: HtmlForm) => boolean);
  /** Values to set on top of the form's own. */
  fields?: Record<string, string>;
  /** The submit button clicked: its name, or name and value when several share a name. */
  button?: string | { name: string; value: string };
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expires: number | undefined;
}

/** One HTTP exchange as the Browser sees it: no redirect followed, the body read as text. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** How a Browser talks HTTP; the benchmark swaps in a cheaper one than fetch (bench/http-transport.ts). */
export type Transport = (url: URL, method: string, headers: Record<string, string>, body: string | undefined) => Promise<RawResponse>;

export const fetchTransport: Transport = async (url, method, headers, body) => {
  const response = await fetch(url, { method, headers, body, redirect: 'manual' });
  return { status: response.status, headers: response.headers, body: await response.text() };
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

export class CookieJar {
  readonly #byOrigin = new Map<string, StoredCookie[]>();

  store(url: URL, setCookieHeaders: readonly string[]): void {
    const cookies = this.#byOrigin.get(url.origin) ?? [];
    for (const header of setCookieHeaders) {
      const cookie = parseSetCookie(header, url);
      if (!cookie) continue;
      const kept = cookies.filter((c) => c.name !== cookie.name || c.path !== cookie.path);
      if (cookie.expires === undefined || cookie.expires > Date.now()) kept.push(cookie);
      cookies.splice(0, cookies.length, ...kept);
    }
    this.#byOrigin.set(url.origin, cookies);
  }

  /** The cookies a request to `url` carries, longest path first. */
  cookiesFor(url: URL): { name: string; value: string; path: string }[] {
    const now = Date.now();
    return (this.#byOrigin.get(url.origin) ?? [])
      .filter((c) => (c.expires === undefined || c.expires > now) && pathMatches(c.path, url.pathname))
      .sort((a, b) => b.path.length - a.path.length)
      .map(({ name, value, path }) => ({ name, value, path }));
  }

  header(url: URL): string | undefined {
    const cookies = this.cookiesFor(url);
    return cookies.length ? cookies.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }
}

/** How a page was requested, to repeat method and body on a 307/308. */
const requests = new WeakMap<Page, { method: string; body: URLSearchParams | undefined }>();

export class Browser {
  readonly jar = new CookieJar();
  readonly #headers: Record<string, string>;
  readonly #transport: Transport;

  /** `headers` go on every request, e.g. `{ 'accept-language': 'en' }`. */
  constructor(headers: Record<string, string> = {}, transport: Transport = fetchTransport) {
    this.#headers = headers;
    this.#transport = transport;
  }

  get(url: string, options: RequestOptions = {}): Promise<Page> {
    return this.#send(url, 'GET', undefined, options);
  }

  post(url: string, form: Record<string, string> | URLSearchParams, options: RequestOptions = {}): Promise<Page> {
    return this.#send(url, 'POST', new URLSearchParams(form), options);
  }

  /** Follows redirects from `page`; a page stopped by `until` is fetched first. */
  async follow(page: Page, options: Omit<RequestOptions, 'follow'> = {}): Promise<Page> {
    let current = page.stopped ? await this.#request(page.url, 'GET', undefined, options.headers) : page;
    for (let hops = 0; current.location !== undefined; hops++) {
      if (hops === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${page.url}`);
      const target = current.location;
      if (options.until?.(target)) return { ...current, url: target, stopped: true };
      const previous = requests.get(current)!;
      const keep = (current.status === 307 || current.status === 308) && previous.method !== 'GET';
      current = await this.#request(target, keep ? previous.method : 'GET', keep ? previous.body : undefined, options.headers);
    }
    return current;
  }

  /** Fills and submits a form of `page` (see `readForm`), as a click on `button` would. */
  submit(page: Pick<Page, 'url' | 'body'>, options: SubmitOptions = {}): Promise<Page> {
    const form = readForm(page.body, page.url, options.form);
    const data = new URLSearchParams({ ...form.fields, ...options.fields });
    if (options.button !== undefined) {
      const wanted = typeof options.button === 'string' ? { name: options.button, value: undefined } : options.button;
      const button = form.buttons.find((b) => b.name === wanted.name && (wanted.value === undefined || b.value === wanted.value));
      if (!button) throw new Error(`no button ${JSON.stringify(options.button)} in form ${form.action}`);
      data.set(wanted.name, button.value);
    }
    if (form.method === 'post') return this.#send(form.action, 'POST', data, options);
    const target = new URL(form.action);
    target.search = data.toString();
    return this.#send(target.href, 'GET', undefined, options);
  }

  async #send(url: string, method: string, body: URLSearchParams | undefined, options: RequestOptions): Promise<Page> {
    const page = await this.#request(url, method, body, options.headers);
    return options.follow || options.until ? this.follow(page, options) : page;
  }

  async #request(url: string, method: string, body: URLSearchParams | undefined, extra: Record<string, string> = {}): Promise<Page> {
    const target = new URL(url);
    const headers: Record<string, string> = { ...this.#headers, ...extra };
    const cookie = this.jar.header(target);
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    const response = await this.#transport(target, method, headers, body?.toString());
    this.jar.store(target, response.headers.getSetCookie());
    const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
    const page: Page = {
      url: target.href,
      status: response.status,
      headers: response.headers,
      body: response.body,
      location: location === null ? undefined : new URL(location, target).href,
      stopped: false,
    };
    requests.set(page, { method, body });
    return page;
  }
}

/** Every form in `html`, with `action` resolved against `baseUrl` (the page's URL). */
export function readForms(html: string, baseUrl: string): HtmlForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, attrs = '', inner = '']) => {
    const attributes = parseAttributes(attrs);
    return {
      action: new URL(attributes.action ?? '', baseUrl).href,
      method: attributes.method?.toLowerCase() === 'post' ? 'post' : 'get',
      attributes,
      fields: readFields(inner),
      buttons: readButtons(inner),
    };
  });
}

/** One form: by `name` or `id` attribute, or predicate; without `pick` the first. Throws if none matches. */
export function readForm(html: string, baseUrl: string, pick?: string | ((form: HtmlForm) => boolean)): HtmlForm {
  const forms = readForms(html, baseUrl);
  const matches =
    pick === undefined ? () => true
    : typeof pick === 'string' ? (f: HtmlForm) => f.attributes.name === pick || f.attributes.id === pick
    : pick;
  const form = forms.find(matches);
  if (!form) throw new Error(`no form ${String(pick ?? '')} in ${baseUrl}; forms: ${forms.map((f) => f.action).join(', ') || 'none'}`);
  return form;
}

/** Every `<a href>` in `html`, resolved against `baseUrl`, with its text content. */
export function readLinks(html: string, baseUrl: string): HtmlLink[] {
  return [...html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)].flatMap(([, attrs = '', inner = '']) => {
    const attributes = parseAttributes(attrs);
    if (attributes.href === undefined) return [];
    return [{ href: new URL(attributes.href, baseUrl).href, text: textOf(inner), attributes }];
  });
}

function readFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, attrs = ''] of html.matchAll(/<input\b([^>]*)>/gi)) {
    const a = parseAttributes(attrs);
    const type = (a.type ?? 'text').toLowerCase();
    if (a.name === undefined || 'disabled' in a || ['submit', 'button', 'reset', 'image', 'file'].includes(type)) continue;
    if ((type === 'radio' || type === 'checkbox') && !('checked' in a)) continue;
    fields[a.name] = a.value ?? (type === 'radio' || type === 'checkbox' ? 'on' : '');
  }
  for (const [, attrs = '', inner = ''] of html.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
    const a = parseAttributes(attrs);
    if (a.name === undefined || 'disabled' in a) continue;
    const options = [...inner.matchAll(/<option\b([^>]*)>([\s\S]*?)(?=<option\b|<\/optgroup|<\/select|$)/gi)].map(([, o = '', text = '']) => {
      const oa = parseAttributes(o);
      return { value: oa.value ?? textOf(text), selected: 'selected' in oa };
    });
    const chosen = options.find((o) => o.selected) ?? options[0];
    if (chosen) fields[a.name] = chosen.value;
  }
  for (const [, attrs = '', inner = ''] of html.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
    const a = parseAttributes(attrs);
    if (a.name !== undefined && !('disabled' in a)) fields[a.name] = decodeEntities(inner.replace(/^\r?\n/, ''));
  }
  return fields;
}

function readButtons(html: string): HtmlForm['buttons'] {
  const buttons = [...html.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)]
    .map(([, attrs = '', inner = '']) => ({ attributes: parseAttributes(attrs), text: textOf(inner) }))
    .filter(({ attributes }) => (attributes.type ?? 'submit').toLowerCase() === 'submit');
  const inputs = [...html.matchAll(/<input\b([^>]*)>/gi)]
    .map(([, attrs = '']) => parseAttributes(attrs))
    .filter((attributes) => attributes.type?.toLowerCase() === 'submit')
    .map((attributes) => ({ attributes, text: attributes.value ?? '' }));
  return [...buttons, ...inputs]
    .filter(({ attributes }) => !('disabled' in attributes))
    .map(({ attributes, text }) => ({ name: attributes.name, value: attributes.value ?? '', text, attributes }));
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name = '', dq, sq, bare] of source.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    attributes[name.toLowerCase()] = decodeEntities(dq ?? sq ?? bare ?? '');
  }
  return attributes;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return NAMED[entity.toLowerCase()] ?? whole;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

function textOf(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

function parseSetCookie(header: string, url: URL): StoredCookie | undefined {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq < 1) return undefined;
  const cookie: StoredCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    path: defaultPath(url.pathname),
    expires: undefined,
  };
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at === -1 ? '' : attribute.slice(at + 1).trim();
    if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) cookie.expires = Date.parse(value);
  }
  // Max-Age wins over Expires (RFC 6265 5.3).
  if (maxAge !== undefined) cookie.expires = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000;
  return cookie;
}

/** RFC 6265 5.1.4: the request path up to its last '/'. */
function defaultPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  return requestPath === cookiePath
    || (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));
}
