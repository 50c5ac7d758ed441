/**
 * Failures typed where they enter Portvagt: the stores and the upstream HTTP client wrap what their
 * drivers throw in these, so that classification never depends on a dependency's wording.
 */

/** For people reading the log or a start-up failure; never used to classify. */
const firstLine = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.slice(0, 200);

/** A store (durable or ephemeral) could not be reached or could not serve the request. */
export class StoreUnavailableError extends Error {
  readonly store: 'durable' | 'ephemeral';

  constructor(store: 'durable' | 'ephemeral', cause: unknown) {
    super(`${store} store unavailable: ${firstLine(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
    this.store = store;
  }
}

/**
 * An upstream gave no usable HTTP answer: the connection failed (refused, reset, DNS), the answer did
 * not come in time, or its body was over the size limit.
 */
export class UpstreamUnreachableError extends Error {
  readonly url: string;

  constructor(url: string, cause: unknown) {
    super(`no usable answer from ${url}: ${firstLine(cause)}`, { cause });
    this.name = 'UpstreamUnreachableError';
    this.url = url;
  }
}

/** The thrown value itself or the nearest of its causes that is of the given type (libraries wrap errors). */
export function findCause<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object' && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    if (current instanceof type) return current;
    seen.add(current);
  }
  return undefined;
}
