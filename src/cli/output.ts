/** Writes a command's result: JSON for scripts with --json, otherwise text for a person. */
export class Output {
  private readonly stdout: NodeJS.WritableStream;
  readonly json: boolean;

  constructor(
    stdout: NodeJS.WritableStream,
    json: boolean,
  ) {
    this.stdout = stdout;
    this.json = json;
  }

  print(data: unknown, human: string): void {
    this.stdout.write(this.json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
  }
}

/** Columns padded to their widest cell, headers first. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** A time as an operator reads it: `2025-01-31 14:05:09 UTC`. */
export function when(ms: number | string | null): string {
  if (ms === null) return '-';
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}
