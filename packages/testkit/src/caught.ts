import type { Test } from 'tap';

/** Runs the promise and returns what it threw (fails the test if it did not throw). */
// biome-ignore lint/suspicious/noExplicitAny: tests read whatever fields the thrown error has
export async function caught(t: Test, promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  t.fail('expected a rejection');
  return undefined;
}
