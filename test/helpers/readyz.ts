/** What /readyz answered. */
export interface Ready {
  status: number;
  body: { status: string; failing: string[]; checks: Record<string, { ok: boolean; error?: string }> };
}

export async function readyz(base: string): Promise<Ready> {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as Ready['body'] };
}

/** Polls /readyz until `done` holds: readiness follows the stores and upstreams by background checks, on their own schedule. */
export async function readyzUntil(base: string, done: (ready: Ready) => boolean): Promise<Ready> {
  for (;;) {
    const ready = await readyz(base);
    if (done(ready)) return ready;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
