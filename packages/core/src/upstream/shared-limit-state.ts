import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';

/**
 * The Redis connections behind limits shared by several gateway instances
 * (UIG_REDIS_URL): one ioredis client for the client-key limiter's scripts, and a
 * bottleneck IORedisConnection over it (plus the subscriber bottleneck duplicates)
 * for the clustered upstream-credential limiters.
 */
export interface SharedLimitState {
  redis: Redis;
  credentialLimiters: Bottleneck.IORedisConnection;
  /** Connected and answering. */
  readonly ready: boolean;
  close(): Promise<void>;
}

export function connectSharedLimitState(
  url: string,
  onError: (error: Error) => void = () => undefined,
): SharedLimitState {
  // Fail a command fast rather than hold requests while Redis is away: the limiter
  // answers 503 and the client retries.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5000, commandTimeout: 5000 });
  redis.on('error', onError);
  // Bottleneck would require('ioredis') from its own folder, where pnpm does not put it.
  const credentialLimiters = new Bottleneck.IORedisConnection({ client: redis, Redis });
  credentialLimiters.on('error', onError);
  return {
    redis,
    credentialLimiters,
    get ready() {
      return redis.status === 'ready';
    },
    async close() {
      await credentialLimiters.disconnect(true).catch(() => undefined);
    },
  };
}
