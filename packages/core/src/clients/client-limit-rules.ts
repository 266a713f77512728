import { randomBytes } from 'node:crypto';
import type { Limits } from '../config/config.js';
import { RateLimitedError } from '../errors.js';

/** What ClientLimiter and its Redis store share: the admission shape, the GCRA arithmetic and the 429. */
export interface Admission {
  /** Frees the concurrency slot; `delivered` (images actually returned) refunds the rest of the reservation. Idempotent. */
  release(delivered?: number): void;
  /** The key's requests-per-minute limit, when it has one. */
  limit?: number;
  /** Requests left in the current minute's bucket, when the key has an rpm limit. */
  remaining?: number;
}

export const dayMs = 86_400_000;
const minuteMs = 60_000;

/** What refused a request: used for the message and the Retry-After. */
export type LimitKind = 'rpm' | 'concurrency' | 'images_per_day';

export function limitExceeded(
  client: string,
  kind: LimitKind,
  limits: Limits,
  retryAfterMs: number,
): RateLimitedError {
  const what =
    kind === 'rpm'
      ? `${limits.rpm} requests per minute`
      : kind === 'concurrency'
        ? `${limits.concurrency} concurrent requests`
        : `${limits.imagesPerDay} images per day (UTC)`;
  return new RateLimitedError(
    `Client key "${client}" is over its limit of ${what}; retry after ${Math.ceil(retryAfterMs / 1000)} s.`,
    {
      retryable: false,
      retryAfterMs: Math.max(1000, Math.ceil(retryAfterMs)),
    },
  );
}

/** Requests left in a GCRA bucket of `rpm` whose theoretical arrival time is `tat`. */
export function remainingAfter(rpm: number, tat: number, now: number): number {
  const interval = minuteMs / rpm;
  return Math.max(0, Math.floor((minuteMs - (tat - now)) / interval + 1e-9));
}

/** A random lease id for a Redis concurrency slot. */
export const leaseId = () => randomBytes(9).toString('base64url');
