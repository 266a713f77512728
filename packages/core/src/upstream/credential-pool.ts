import Bottleneck from 'bottleneck';
import type { Limits } from '../config/config.js';
import { NoProviderAvailableError, RateLimitedError, type UigError } from '../errors.js';
import type { Credential } from '../providers/provider.js';

/**
 * The upstream keys of one provider. Each key may have its own limiter (bottleneck:
 * requests per minute and concurrency, from the credential's `limits` or the
 * provider's): calls wait in its queue instead of tripping the vendor's limits. A
 * call goes to the least busy key in rotation (one that can start it now, else the
 * fewest queued and running calls; ties go round-robin). A key the vendor rejects (401, or quota exhausted) leaves rotation
 * for a cool-down, so later requests stop paying for it; when every key is out,
 * callers get the vendor's own error again (429 insufficient_quota stays a 429).
 *
 * rpm becomes bottleneck's `minTime` (60 000 / rpm ms between call starts): vendors
 * enforce per-minute limits over shorter periods too (OpenAI documents per-second
 * quantization), so calls are spaced evenly rather than sent in a burst.
 * With `connection` (Redis), the limiters are bottleneck clusters shared by every
 * gateway instance, keyed by provider and credential id.
 */
export interface PoolCredential extends Credential {
  /** This key's own limits (rpm, concurrency); falls back to the pool's. */
  limits?: Limits;
}

export interface CredentialPoolOptions {
  provider: string;
  credentials: PoolCredential[];
  /** Limits for keys that have none of their own (the provider's `limits`). */
  limits?: Limits;
  /** How long a rejected key stays out. Default 5 minutes. */
  cooldownMs?: number;
  now?: () => number;
  /**
   * Told when a key leaves rotation (for the log); never given the key itself. `requestId`
   * is the request whose call found out, when `run` was given one.
   */
  onDisabled?: (credentialId: string, reason: string, requestId?: string) => void;
  /** A call that waited this long in a key's queue without starting is refused (429). Default 60 s. */
  queueTimeoutMs?: number;
  /** Shares the limiters through Redis (bottleneck clustering). */
  connection?: Bottleneck.IORedisConnection;
  /** Redis key prefix of the shared limiters. */
  keyPrefix?: string;
}

const disablingCodes = new Set(['UPSTREAM_AUTHENTICATION', 'INSUFFICIENT_QUOTA']);

interface Slot {
  credential: Credential;
  limiter: Bottleneck | undefined;
  /** Its concurrency limit, if any: at that many active calls, one more would wait. */
  concurrency: number;
  /** Calls given to this key and not finished (queued or running). */
  active: number;
}

export class CredentialPool {
  readonly provider: string;
  readonly credentials: readonly Credential[];
  private readonly slots: Slot[];
  private readonly disabledUntil = new Map<string, { until: number; error: UigError }>();
  private next = 0;
  private readonly cooldownMs: number;
  private readonly queueTimeoutMs: number;
  private readonly now: () => number;
  private readonly onDisabled: CredentialPoolOptions['onDisabled'];

  constructor(options: CredentialPoolOptions) {
    this.provider = options.provider;
    this.cooldownMs = options.cooldownMs ?? 5 * 60_000;
    this.queueTimeoutMs = options.queueTimeoutMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.onDisabled = options.onDisabled;
    this.slots = options.credentials.map(({ limits, ...credential }) => {
      const effective = limits ?? options.limits;
      return {
        credential,
        limiter: limiterFor(credential.id, effective, options),
        concurrency: effective?.concurrency ?? Infinity,
        active: 0,
      };
    });
    this.credentials = this.slots.map((slot) => slot.credential);
  }

  private inRotation(credential: Credential): boolean {
    const entry = this.disabledUntil.get(credential.id);
    if (!entry) return true;
    if (entry.until <= this.now()) {
      this.disabledUntil.delete(credential.id);
      return true;
    }
    return false;
  }

  /** Keys currently in rotation. */
  get available(): number {
    return this.credentials.filter((credential) => this.inRotation(credential)).length;
  }

  /** Calls waiting in the keys' queues (not yet started): the limiter queue depth. */
  get queued(): number {
    let waiting = 0;
    for (const slot of this.slots) {
      if (!slot.limiter) continue;
      const counts = slot.limiter.counts();
      waiting += (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0);
    }
    return waiting;
  }

  private pick(preferred?: string): Slot {
    // A resumed vendor task belongs to the key that created it.
    const own =
      preferred === undefined ? undefined : this.slots.find((slot) => slot.credential.id === preferred);
    if (own && this.inRotation(own.credential)) return own;
    let best: Slot | undefined;
    const count = this.slots.length;
    for (let tried = 0; tried < count; tried++) {
      const slot = this.slots[(this.next + tried) % count]!;
      if (!this.inRotation(slot.credential)) continue;
      if (!best || busier(best, slot)) best = slot;
    }
    if (best) {
      this.next = (this.slots.indexOf(best) + 1) % count;
      return best;
    }
    const last = [...this.disabledUntil.values()].at(-1);
    if (last) throw last.error;
    throw new NoProviderAvailableError(`No ${this.provider} credential is configured.`, {
      provider: this.provider,
    });
  }

  /** Picks the key the next call would get. */
  acquire(): Credential {
    return this.pick().credential;
  }

  /**
   * Runs one upstream call on a key, through its limiter; takes the key out of rotation when
   * the vendor rejects it. `preferredCredentialId` (a resumed task's key) wins while in rotation.
   */
  async run<T>(
    call: (credential: Credential) => Promise<T>,
    requestId?: string,
    preferredCredentialId?: string,
  ): Promise<T> {
    const slot = this.pick(preferredCredentialId);
    const credential = slot.credential;
    slot.active++;
    try {
      return await (slot.limiter ? this.schedule(slot.limiter, () => call(credential)) : call(credential));
    } catch (error) {
      const uigError = error as UigError;
      if (disablingCodes.has(uigError?.code)) this.disable(credential.id, uigError, requestId);
      throw error;
    } finally {
      slot.active--;
    }
  }

  /** Waits in the key's queue, but not longer than `queueTimeoutMs`. */
  private schedule<T>(limiter: Bottleneck, call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let started = false;
      let gaveUp = false;
      const timer = setTimeout(() => {
        if (started) return;
        gaveUp = true;
        reject(
          new RateLimitedError(
            `Every ${this.provider} credential is busy (its rpm or concurrency limit); the call waited ${this.queueTimeoutMs} ms in the queue.`,
            {
              provider: this.provider,
              code: 'RATE_LIMIT_EXCEEDED',
              retryable: false,
              retryAfterMs: Math.min(this.queueTimeoutMs, 60_000),
            },
          ),
        );
      }, this.queueTimeoutMs);
      limiter
        .schedule(async () => {
          started = true;
          clearTimeout(timer);
          // The caller already has its 429: do not spend the vendor call.
          if (gaveUp) return undefined as T;
          return call();
        })
        .then(
          (value) => !gaveUp && resolve(value),
          (error: unknown) => !gaveUp && reject(error),
        );
    });
  }

  disable(credentialId: string, error: UigError, requestId?: string): void {
    const known = this.disabledUntil.has(credentialId);
    this.disabledUntil.set(credentialId, { until: this.now() + this.cooldownMs, error });
    if (!known) this.onDisabled?.(credentialId, error.code, requestId);
  }

  /** Stops the limiters (and their Redis subscriptions). */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.limiter?.disconnect(false)));
  }
}

/** Is `a` a worse choice than `b`: would a call wait on it while `b` could start one, or has it more calls? */
function busier(a: Slot, b: Slot): boolean {
  const aWaits = a.active >= a.concurrency;
  const bWaits = b.active >= b.concurrency;
  if (aWaits !== bWaits) return aWaits;
  return a.active > b.active;
}

function limiterFor(
  id: string,
  limits: Limits | undefined,
  options: CredentialPoolOptions,
): Bottleneck | undefined {
  if (!limits?.rpm && !limits?.concurrency) return undefined;
  return new Bottleneck({
    maxConcurrent: limits.concurrency ?? null,
    minTime: limits.rpm ? Math.ceil(60_000 / limits.rpm) : 0,
    ...(options.connection
      ? {
          datastore: 'ioredis',
          connection: options.connection,
          id: `${options.keyPrefix ?? 'uig:credential:'}${id}`,
          clearDatastore: false,
          timeout: 24 * 3_600_000,
        }
      : {}),
  });
}
