import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * The first line of stdin. On a terminal the prompt goes to stderr and the typing is not echoed,
 * so a secret neither lands in shell history nor stays on screen.
 */
export async function readSecretLine(stdin: NodeJS.ReadableStream & { isTTY?: boolean }, stderr: NodeJS.WritableStream, prompt: string): Promise<string | undefined> {
  const tty = stdin.isTTY === true;
  if (tty) stderr.write(prompt);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const lines = createInterface({ input: stdin, output: tty ? silent : undefined, terminal: tty, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    lines.close();
    if (tty) stderr.write('\n');
  }
}
