import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exited } from '../../scripts/child-exit.ts';

const node = (code: string) => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
const gone = (child: ReturnType<typeof node>) => new Promise((resolve) => child.once('exit', resolve));

describe('waiting for a cluster instance to exit (scripts/cluster.ts on SIGTERM)', () => {
  it('returns for an instance that a signal killed before the wait began', async () => {
    const child = node("process.kill(process.pid, 'SIGKILL')");
    await gone(child);
    expect(child.signalCode).toBe('SIGKILL');
    // Before, the wait listened for an `exit` that had already happened, and the cluster never stopped.
    expect(await Promise.race([exited(child).then(() => 'exited'), new Promise((resolve) => setTimeout(resolve, 5000, 'hung'))])).toBe('exited');
  });

  it('returns for one that exited normally, and waits for one still running until it stops', async () => {
    const done = node('');
    await gone(done);
    await exited(done);
    const running = node('setInterval(() => {}, 1000)');
    const waiting = exited(running);
    running.kill('SIGTERM');
    await waiting;
    expect(running.signalCode).toBe('SIGTERM');
  });
});
