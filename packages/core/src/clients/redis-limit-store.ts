import type { Redis } from 'ioredis';
import {
  dayMs,
  leaseId,
  limitExceeded,
  remainingAfter,
  type Admission,
  type LimitKind,
} from './client-limit-rules.js';
import type { Limits } from '../config/config.js';

/**
 * The client limits of ClientLimiter, shared by several gateway instances through
 * Redis. One Lua script checks all three limits and commits them together, so two
 * instances cannot both take the last slot. Per key:
 * - `<prefix>{name}:rpm` holds the GCRA theoretical arrival time (expires when the bucket is full again);
 * - `<prefix>{name}:inflight` is a sorted set of leases scored by expiry: an instance
 *   that dies holding a slot frees it when the lease runs out;
 * - `<prefix>{name}:day:<YYYY-MM-DD>` counts images reserved today (kept a day past midnight).
 * The `{name}` hash tag keeps one client's keys in one Redis Cluster slot. Times come
 * from the gateway's clock (keep instances on NTP), so tests can drive them.
 */
const admitScript = `
local now = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2])
local concurrency = tonumber(ARGV[3])
local perDay = tonumber(ARGV[4])
local images = tonumber(ARGV[5])
local leaseMs = tonumber(ARGV[7])
local untilMidnight = tonumber(ARGV[8])
local tat = now
local interval = 0
if rpm > 0 then
  interval = 60000 / rpm
  tat = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now)
  if tat - now > 60000 - interval then return {0, 'rpm', math.ceil(tat - now - (60000 - interval))} end
end
if concurrency > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= concurrency then return {0, 'concurrency', 1000} end
end
if perDay > 0 then
  local used = tonumber(redis.call('GET', KEYS[3])) or 0
  if used + images > perDay then return {0, 'images_per_day', untilMidnight} end
end
if rpm > 0 then
  tat = tat + interval
  redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
end
if concurrency > 0 then
  redis.call('ZADD', KEYS[2], now + leaseMs, ARGV[6])
  redis.call('PEXPIRE', KEYS[2], leaseMs)
end
if perDay > 0 then
  redis.call('INCRBY', KEYS[3], images)
  redis.call('PEXPIRE', KEYS[3], untilMidnight + 86400000)
end
return {1, string.format('%.3f', tat), 0}
`;

const releaseScript = `
redis.call('ZREM', KEYS[1], ARGV[1])
local refund = tonumber(ARGV[2])
if refund > 0 and redis.call('EXISTS', KEYS[2]) == 1 then
  if redis.call('DECRBY', KEYS[2], refund) < 0 then redis.call('SET', KEYS[2], 0, 'KEEPTTL') end
end
return 1
`;

type AdmitReply = [number, string, number];

interface LimitCommands {
  uigAdmit(
    rpmKey: string,
    inflightKey: string,
    dayKey: string,
    ...args: (string | number)[]
  ): Promise<AdmitReply>;
  uigRelease(inflightKey: string, dayKey: string, lease: string, refund: number): Promise<number>;
}

export interface RedisLimitStoreOptions {
  leaseMs: number;
  keyPrefix: string;
}

export class RedisLimitStore {
  private readonly redis: Redis & LimitCommands;

  constructor(
    redis: Redis,
    private readonly options: RedisLimitStoreOptions,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL once per connection.
    if (!(redis as Partial<LimitCommands>).uigAdmit) {
      redis.defineCommand('uigAdmit', { numberOfKeys: 3, lua: admitScript });
      redis.defineCommand('uigRelease', { numberOfKeys: 2, lua: releaseScript });
    }
    this.redis = redis as Redis & LimitCommands;
  }

  private keys(name: string, now: number) {
    const base = `${this.options.keyPrefix}{${name}}`;
    return {
      rpm: `${base}:rpm`,
      inflight: `${base}:inflight`,
      day: `${base}:day:${new Date(now).toISOString().slice(0, 10)}`,
    };
  }

  async admit(name: string, limits: Limits, images: number, now: number): Promise<Admission> {
    const keys = this.keys(name, now);
    const lease = leaseId();
    const untilMidnight = (Math.floor(now / dayMs) + 1) * dayMs - now;
    const [ok, detail, retryAfterMs] = await this.redis.uigAdmit(
      keys.rpm,
      keys.inflight,
      keys.day,
      now,
      limits.rpm ?? 0,
      limits.concurrency ?? 0,
      limits.imagesPerDay ?? 0,
      images,
      lease,
      this.options.leaseMs,
      untilMidnight,
    );
    if (ok !== 1) throw limitExceeded(name, detail as LimitKind, limits, Number(retryAfterMs));
    let released = false;
    return {
      release: (delivered?: number) => {
        if (released) return;
        released = true;
        const refund = limits.imagesPerDay && delivered !== undefined ? Math.max(0, images - delivered) : 0;
        if (!limits.concurrency && refund === 0) return;
        // Fire and forget: a lost release only holds the slot until its lease ends.
        this.redis.uigRelease(keys.inflight, keys.day, lease, refund).catch(() => undefined);
      },
      ...(limits.rpm
        ? { limit: limits.rpm, remaining: remainingAfter(limits.rpm, Number(detail), now) }
        : {}),
    };
  }

  /** The stored GCRA time of a key, if any. */
  async tat(name: string): Promise<number | undefined> {
    const value = await this.redis.get(this.keys(name, 0).rpm);
    return value === null ? undefined : Number(value);
  }
}
