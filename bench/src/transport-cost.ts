import { createHash } from 'node:crypto';
import { createPooledFetch, parseVendorJson, readResponseBody } from '@uig/core';
import OpenAI from 'openai';
import { startOpenAIFake } from './gateway-processes.js';

/**
 * What one vendor call costs uig's process, in CPU, with each of issue 21's transport
 * levers (docs/benchmarks.md): the openai SDK on Node's built-in fetch with its own
 * `response.json()` then a base64 decode and a sha256 (before); the same on the pooled
 * undici transport (`createPooledFetch`); and the pooled transport with the body read
 * once and parsed by `parseVendorJson`, which decodes and hashes in one pass (now).
 * Timed in this process (process.cpuUsage) with 8 calls in flight against the fake in
 * its own process, so a busy machine moves it less than any req/s.
 */
export interface TransportCost {
  body: 'tiny' | 'large';
  variant: string;
  /** CPU ms per call, one figure per round. */
  rounds: number[];
}

const variants = [
  'built-in fetch, SDK parse, decode, sha256',
  'pooled undici fetch, SDK parse, decode, sha256',
  'pooled undici fetch, one read, parseVendorJson',
] as const;

async function cpuPerCall(call: () => Promise<void>, calls: number): Promise<number> {
  for (let index = 0; index < 30; index++) await call();
  const start = process.cpuUsage();
  let left = calls;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (left-- > 0) await call();
    }),
  );
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / calls;
}

export async function measureTransportCost(rounds: number, callsPerRound: number): Promise<TransportCost[]> {
  const pooled = createPooledFetch();
  const results: TransportCost[] = [];
  try {
    for (const body of ['tiny', 'large'] as const) {
      const fake = await startOpenAIFake(body);
      try {
        const client = (fetch: typeof globalThis.fetch) =>
          new OpenAI({ apiKey: 'bench', baseURL: fake.baseURL, maxRetries: 0, fetch, logLevel: 'off' });
        const sdkParse = async (openai: OpenAI) => {
          const { data } = await openai.images.generate({ model: 'gpt-image-1', prompt: 'x' }).withResponse();
          const bytes = Buffer.from(data.data?.[0]?.b64_json ?? '', 'base64');
          createHash('sha256').update(bytes).digest('hex');
        };
        const oneRead = async (openai: OpenAI) => {
          const response = await openai.images.generate({ model: 'gpt-image-1', prompt: 'x' }).asResponse();
          parseVendorJson(await readResponseBody(response), ['b64_json']);
        };
        const builtIn = client(globalThis.fetch);
        const undici = client(pooled.fetch);
        const calls = [() => sdkParse(builtIn), () => sdkParse(undici), () => oneRead(undici)];
        const perVariant = variants.map((variant) => ({ body, variant, rounds: [] as number[] }));
        const count = body === 'tiny' ? callsPerRound : Math.max(20, Math.round(callsPerRound / 10));
        for (let round = 0; round < rounds; round++)
          for (const [index, call] of calls.entries())
            perVariant[index]!.rounds.push(await cpuPerCall(call, count));
        results.push(...perVariant);
      } finally {
        await fake.service.stop();
      }
    }
  } finally {
    await pooled.close();
  }
  return results;
}
