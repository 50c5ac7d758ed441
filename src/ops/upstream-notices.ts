import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';

/** An operator's notice on a login method (announced maintenance, a known outage), shown on the chooser. */
export interface OperatorNotice {
  /** The text in Danish (shown in every language that has no text of its own). */
  text: string;
  /** The text in English, if the operator gave one. */
  textEn?: string | undefined;
  setAt: number;
  /** Epoch ms; the notice disappears by itself then. */
  until: number;
}

/** Longest text on the chooser: a sentence or two, not an article. */
export const NOTICE_MAX_LENGTH = 300;

const key = (upstream: string) => `upstream-notice:${upstream}`;

/** Lives in the ephemeral store so that every instance shows it; it expires at `until`. */
export async function setNotice(store: EphemeralStore, upstream: string, notice: OperatorNotice): Promise<void> {
  await store.set(key(upstream), notice, Math.max(1, (notice.until - notice.setAt) / 1000));
}

export async function clearNotice(store: EphemeralStore, upstream: string): Promise<boolean> {
  return (await store.take(key(upstream))) !== undefined;
}

export async function readNotice(store: EphemeralStore, upstream: string, now: number): Promise<OperatorNotice | undefined> {
  const notice = await store.get<OperatorNotice>(key(upstream));
  return notice && notice.until > now ? notice : undefined;
}
