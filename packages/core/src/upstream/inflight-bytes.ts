/**
 * The limit on image bytes all requests hold at once (`server.maxInflightImageBytes`,
 * docs/configuration.md). A vendor answer's body (and a downloaded result image) is read
 * only once its size fits under the limit; until then the request waits with the vendor
 * connection unread, so the bytes stay in the vendor's and the kernel's buffers instead
 * of the gateway's heap. What a request took is held until its lease is released: after
 * its answer was written (REST) or when the image service is done with it (MCP, jobs),
 * because the decoded image and the answer built from it live that long.
 *
 * Waiting is first come, first served, so a large answer is not starved by small ones;
 * bodies below `smallBodyBytes` (error bodies, task JSON, tiny images) never wait. A body
 * larger than the whole limit waits until nothing else is held, then goes alone.
 */
export const smallBodyBytes = 64 * 1024;

interface Waiter {
  bytes: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class InflightBytes {
  private used = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly limit: number) {}

  /** Bytes held by requests now. */
  get held(): number {
    return this.used;
  }

  /** Requests waiting for room. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** A request's account: what it reserves is given back together by `release()`. */
  lease(): BodyLease {
    return new BodyLease(this);
  }

  /** Waits until `bytes` fit (at most the whole limit is charged); resolves to what was charged. */
  acquire(bytes: number, signal?: AbortSignal): Promise<number> {
    const charged = Math.min(Math.max(0, bytes), this.limit);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (charged < smallBodyBytes || (this.waiters.length === 0 && this.used + charged <= this.limit)) {
      this.used += charged;
      return Promise.resolve(charged);
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        bytes: charged,
        resolve: () => resolve(charged),
        reject,
        signal,
        onAbort: () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal!.reason);
          this.wake();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Charges bytes found while reading past what was reserved, without waiting (the body is already arriving). */
  take(bytes: number): void {
    this.used += bytes;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
    this.wake();
  }

  private wake(): void {
    while (this.waiters.length > 0) {
      const next = this.waiters[0]!;
      // Alone, a body larger than the limit still goes (charged the whole limit).
      if (this.used + next.bytes > this.limit && this.used > 0) return;
      this.waiters.shift();
      next.signal?.removeEventListener('abort', next.onAbort);
      this.used += next.bytes;
      next.resolve();
    }
  }
}

/** One request's bytes under an `InflightBytes` limit. */
export class BodyLease {
  private charged = 0;
  private released = false;

  constructor(private readonly limit: InflightBytes) {}

  /** Bytes this request holds. */
  get held(): number {
    return this.charged;
  }

  /** Waits for room for a body of `bytes` (its Content-Length). */
  async reserve(bytes: number, signal?: AbortSignal): Promise<void> {
    const charged = await this.limit.acquire(bytes, signal);
    if (this.released) {
      this.limit.release(charged);
      return;
    }
    this.charged += charged;
  }

  /** Counts bytes read beyond what was reserved (a body without Content-Length). */
  grow(bytes: number): void {
    if (this.released || bytes <= 0) return;
    this.limit.take(bytes);
    this.charged += bytes;
  }

  /** Gives everything back; later reservations are let through and returned at once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.limit.release(this.charged);
    this.charged = 0;
  }
}

// Adapters read vendor bodies through helpers that only see the call's AbortSignal; the
// image service ties each request's signals to its lease so those helpers find it
// without every adapter passing it along.
const leases = new WeakMap<AbortSignal, BodyLease>();

export function bindLease(signal: AbortSignal, lease: BodyLease): void {
  leases.set(signal, lease);
}

/** The lease the image service bound to this signal, if any. */
export function leaseOf(signal: AbortSignal | undefined): BodyLease | undefined {
  return signal ? leases.get(signal) : undefined;
}
