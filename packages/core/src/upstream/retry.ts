import pRetry from 'p-retry';
import { isUigError, type UigError } from '../errors.js';

/**
 * Retries one upstream call on retryable errors only (STYLE: providers never retry).
 * The wait honours the vendor's Retry-After when it gave one, else exponential
 * backoff with jitter. All waiting goes through the injected `sleep`, so tests run in
 * milliseconds: p-retry's own timer is set to zero and the delay happens in
 * `shouldRetry`, which p-retry awaits before the next attempt.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** A vendor asking for a longer wait than this is not retried: the caller gets the 429. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 2,
  minDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 30_000,
};

export interface RetryOptions extends RetryPolicy {
  sleep: Sleep;
  signal?: AbortSignal;
  random?: () => number;
  onRetry?: (error: UigError, attempt: number, delayMs: number) => void;
}

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'minDelayMs' | 'maxDelayMs'>,
  random = Math.random,
): number {
  const base = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt - 1));
  // Full jitter on the upper half keeps herds apart without collapsing to zero.
  return Math.round(base / 2 + (random() * base) / 2);
}

export async function withRetry<T>(run: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  return pRetry(run, {
    retries: options.retries,
    minTimeout: 0,
    maxTimeout: 0,
    randomize: false,
    signal: options.signal,
    shouldRetry: async ({ error, attemptNumber }) => {
      if (!isUigError(error) || !error.retryable) return false;
      if (options.signal?.aborted) return false;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > options.maxRetryAfterMs) return false;
      const delay = Math.max(error.retryAfterMs ?? 0, backoffDelay(attemptNumber, options, options.random));
      options.onRetry?.(error, attemptNumber, delay);
      await options.sleep(delay, options.signal);
      return !options.signal?.aborted;
    },
  });
}
