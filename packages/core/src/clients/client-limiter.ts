import type { Redis } from 'ioredis';
import { dayMs, limitExceeded, remainingAfter, type Admission } from './client-limit-rules.js';
import type { ClientConfig, Limits } from '../config/config.js';
import { isUigError, UigError } from '../errors.js';
import { RedisLimitStore } from './redis-limit-store.js';

export type { Admission } from './client-limit-rules.js';

/** The rpm numbers for the x-ratelimit headers (absent when the key has no rpm limit). */
export interface RateLimitStatus {
  limit?: number;
  remaining?: number;
}

export interface ClientLimiterOptions {
  now?: () => number;
  /** Share the counts through Redis (UIG_REDIS_URL); in-process when absent. */
  redis?: Redis;
  /** Images the client received today (UTC) before this process counted: the usage ledger. */
  usedToday?: (client: string) => number;
  /** Redis only: how long a concurrency slot outlives an instance that died holding it. Default 10 min. */
  leaseMs?: number;
  /** Redis key prefix. Default `uig:limits:`. */
  keyPrefix?: string;
}

const minuteMs = 60_000;
const sweepEveryMs = minuteMs;

interface ClientState {
  /** GCRA theoretical arrival time (ms). */
  tat: number;
  inFlight: number;
  /** UTC day number `images` counts for. */
  day: number;
  images: number;
}

const unlimited: Admission = Object.freeze({ release() {} });

/**
 * Per-client-key limits (docs/configuration.md): requests per minute, concurrent requests and
 * images per day. Over a limit the caller is refused at once with a 429
 * `RATE_LIMIT_EXCEEDED` and a Retry-After; it is our own limit, so it is not
 * retryable and never queued (queueing is for upstream credentials: CredentialPool).
 *
 * - rpm is a GCRA (a token bucket holding `rpm` requests, refilled at `rpm` per
 *   minute): a key may burst up to its rpm, and sustains rpm per minute. One number
 *   per key, an exact Retry-After, and `remaining` for the x-ratelimit headers.
 * - concurrency counts admitted requests not yet released.
 * - images per day (UTC) reserves `images` on admit; `release(delivered)` gives back
 *   what was not delivered. Seeded from the usage ledger, so a restart does not reset it.
 *
 * Why not bottleneck here (it runs the upstream-credential limiters): bottleneck
 * queues, while a client over its limit must be told at once with an exact
 * Retry-After; and a bottleneck instance per key is too heavy for 10,000 keys. This
 * costs one small object per active key and no allocation per request beyond the
 * admission handed back.
 *
 * In-process by default: per-key state is created on first use and swept when idle.
 * With Redis (several gateway instances) the same checks run as one Lua script per
 * admit (see redis-limit-store.ts), so instances share the counts.
 */
export class ClientLimiter {
  private readonly now: () => number;
  private readonly usedToday: ((client: string) => number) | undefined;
  private readonly states = new Map<string, ClientState>();
  private readonly redisStore: RedisLimitStore | undefined;
  private lastSweep: number;

  constructor(options: ClientLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.usedToday = options.usedToday;
    this.lastSweep = this.now();
    if (options.redis) {
      this.redisStore = new RedisLimitStore(options.redis, {
        leaseMs: options.leaseMs ?? 10 * minuteMs,
        keyPrefix: options.keyPrefix ?? 'uig:limits:',
      });
    }
  }

  /** Keys with in-process state right now (for tests and benchmarks). */
  get trackedKeys(): number {
    return this.states.size;
  }

  /** Admits one request that may produce `images` images, or throws a 429 RateLimitedError. */
  async admit(client: ClientConfig | undefined, images: number): Promise<Admission> {
    const limits = client?.limits;
    if (!client || !limits || (!limits.rpm && !limits.concurrency && !limits.imagesPerDay)) return unlimited;
    if (this.redisStore) {
      try {
        return await this.redisStore.admit(client.name, limits, images, this.now());
      } catch (error) {
        if (isUigError(error)) throw error;
        // Limits exist to cap spend: without the shared counts, refuse rather than admit blind.
        throw new UigError('The shared limiter (Redis) is unreachable; try again shortly.', {
          code: 'LIMITER_UNAVAILABLE',
          status: 503,
          type: 'server_error',
          retryable: true,
          retryAfterMs: 1000,
          cause: error,
        });
      }
    }
    return this.admitLocally(client.name, limits, images);
  }

  /** The rpm status without spending a request (for the headers of other routes). */
  async peek(client: ClientConfig | undefined): Promise<RateLimitStatus> {
    const rpm = client?.limits?.rpm;
    if (!client || !rpm) return {};
    const now = this.now();
    const tat = this.redisStore
      ? await this.redisStore.tat(client.name).catch(() => undefined)
      : this.states.get(client.name)?.tat;
    return { limit: rpm, remaining: remainingAfter(rpm, Math.max(tat ?? now, now), now) };
  }

  private admitLocally(name: string, limits: Limits, images: number): Admission {
    const now = this.now();
    if (now - this.lastSweep >= sweepEveryMs) this.sweep(now);
    const today = Math.floor(now / dayMs);
    let state = this.states.get(name);
    if (!state) {
      state = { tat: now, inFlight: 0, day: today, images: this.usedToday?.(name) ?? 0 };
      this.states.set(name, state);
    } else if (state.day !== today) {
      state.day = today;
      state.images = 0;
    }

    const tat = Math.max(state.tat, now);
    const rpm = limits.rpm;
    const interval = rpm ? minuteMs / rpm : 0;
    if (rpm && tat - now > minuteMs - interval)
      throw limitExceeded(name, 'rpm', limits, tat - now - (minuteMs - interval));
    if (limits.concurrency && state.inFlight >= limits.concurrency)
      throw limitExceeded(name, 'concurrency', limits, 1000);
    if (limits.imagesPerDay && state.images + images > limits.imagesPerDay) {
      throw limitExceeded(name, 'images_per_day', limits, (today + 1) * dayMs - now);
    }

    if (rpm) state.tat = tat + interval;
    state.inFlight++;
    if (limits.imagesPerDay) state.images += images;
    const admitted = state;
    let released = false;
    return {
      release: (delivered?: number) => {
        if (released) return;
        released = true;
        admitted.inFlight--;
        if (limits.imagesPerDay && delivered !== undefined && delivered < images && admitted.day === today) {
          admitted.images = Math.max(0, admitted.images - (images - delivered));
        }
      },
      ...(rpm ? { limit: rpm, remaining: remainingAfter(rpm, state.tat, now) } : {}),
    };
  }

  /** Drops idle keys: full bucket, nothing in flight, and a day count the ledger can restore. */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [name, state] of this.states) {
      if (state.inFlight === 0 && state.tat <= now && (state.images === 0 || this.usedToday))
        this.states.delete(name);
    }
  }

  async close(): Promise<void> {
    this.states.clear();
  }
}
