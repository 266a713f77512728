import { ClientAuthenticator, ClientLimiter, sha256Hex, type ClientConfig } from '@uig/core';
import { clientKey } from './client-keys-config.js';

/**
 * The per-request cost of client keys measured in this process, without HTTP: what
 * the gateway's onRequest hook and image runner call — `authenticate()` on the
 * Authorization header, then `admit()` and `release()` on the limiter. End to end
 * (limiter-overhead.ts) the same cost is a few percent of a request and hard to see
 * on a busy machine; here it is timed alone, over many calls.
 */
export interface ClientKeyCost {
  label: string;
  /** Microseconds per request: authenticate + admit + release. */
  microseconds: number;
  /** Keys the limiter holds state for afterwards. */
  trackedKeys: number;
}

const limits = { rpm: 1_000_000, concurrency: 10_000, imagesPerDay: 1_000_000_000 };

export async function measureClientKeyCost(keyCount: number): Promise<ClientKeyCost[]> {
  const clients = (count: number): ClientConfig[] =>
    Array.from({ length: count }, (_, index) => ({
      name: `client-${index}`,
      keyHash: sha256Hex(clientKey(index)),
      limits,
    }));
  const many = clients(keyCount);
  const headers = Array.from({ length: keyCount }, (_, index) => `Bearer ${clientKey(index)}`);
  const cases = [
    { label: 'no client keys (open)', clients: [] as ClientConfig[], header: () => headers[0]! },
    { label: '1 key, with limits', clients: clients(1), header: () => headers[0]! },
    {
      label: `${keyCount.toLocaleString('en')} keys, requests on 1`,
      clients: many,
      header: () => headers[keyCount - 1]!,
    },
    // Every key once at least, so the limiter ends up holding state for all of them.
    {
      label: `${keyCount.toLocaleString('en')} keys, rotating over all`,
      clients: many,
      header: (call: number) => headers[call % keyCount]!,
      minimumCalls: keyCount,
    },
  ];
  const results: ClientKeyCost[] = [];
  for (const entry of cases) {
    const authenticator = new ClientAuthenticator(entry.clients);
    const limiter = new ClientLimiter();
    const once = async (call: number) => {
      const admission = await limiter.admit(authenticator.authenticate(entry.header(call)), 1);
      admission.release(1);
    };
    for (let call = 0; call < 1_000; call++) await once(call); // JIT warm-up
    // At least half a second and 2,000 calls, so microsecond-cheap cases are timed over many calls.
    let calls = 0;
    const started = process.hrtime.bigint();
    while (
      calls < Math.max(2_000, entry.minimumCalls ?? 0) ||
      process.hrtime.bigint() - started < 500_000_000n
    )
      await once(1_000 + calls++);
    results.push({
      label: entry.label,
      microseconds: Number(process.hrtime.bigint() - started) / 1000 / calls,
      trackedKeys: limiter.trackedKeys,
    });
    await limiter.close();
  }
  return results;
}
