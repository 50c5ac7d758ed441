import type { ChildProcess } from 'node:child_process';

/**
 * Resolves once the child has exited. A child already gone has `exitCode` null when a signal ended it
 * (`signalCode` says which), and will never emit `exit` again: waiting for the event would hang.
 */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
