/**
 * The working day of a browser: one full brokered login at the first system, then single sign-on
 * logins at the four others, in the same cookie jar. It is measured in two phases so that each kind
 * of login has its own CPU figure: the full logins of a run (each in a new browser, kept with its
 * session), then the four SSO logins of every browser the first phase left, one browser per worker at
 * a time, until none is left.
 */
import type { Browser } from '../support/browser.ts';
import { brokeredLogin, plainLogin, type Rp } from './flows.ts';
import { NO_MORE_WORK, runLoad, type LoadResult } from './load.ts';
import type { BenchProcess } from './processes.ts';

export class WorkingDays {
  readonly #first: Rp;
  readonly #others: Rp[];
  readonly #upstreamIssuer: string;
  readonly #subject: string;
  readonly #loggedIn: Browser[] = [];
  /** Per worker: the browser it is on and how many of its SSO logins are done. */
  readonly #current = new Map<number, { browser: Browser; done: number }>();

  /** `rps[0]` is where each day begins, the others are logged into by single sign-on. */
  constructor(rps: Rp[], upstreamIssuer: string, subject: string) {
    [this.#first, ...this.#others] = rps as [Rp, ...Rp[]];
    this.#upstreamIssuer = upstreamIssuer;
    this.#subject = subject;
  }

  /** The first login of a new day: chooser and upstream. */
  async fullLogin(): Promise<void> {
    this.#loggedIn.push(await brokeredLogin(this.#first, this.#upstreamIssuer, this.#subject));
  }

  /** The worker's next SSO login, or NO_MORE_WORK when every browser has had its day. */
  async ssoLogin(worker: number): Promise<void | typeof NO_MORE_WORK> {
    let day = this.#current.get(worker);
    if (!day || day.done === this.#others.length) {
      const browser = this.#loggedIn.pop();
      if (!browser) return NO_MORE_WORK;
      day = { browser, done: 0 };
      this.#current.set(worker, day);
    }
    await plainLogin(this.#others[day.done++]!, day.browser);
  }
}

/** One working day at `concurrency` on `server`: its full logins for `ms`, then their browsers' SSO logins. */
export async function workingDay(server: BenchProcess, concurrency: number, ms: number, days: WorkingDays, upstream?: BenchProcess): Promise<{ full: LoadResult; sso: LoadResult }> {
  const full = await runLoad(server, concurrency, ms, () => days.fullLogin(), upstream);
  return { full, sso: await runLoad(server, concurrency, Infinity, (worker) => days.ssoLogin(worker)) };
}
