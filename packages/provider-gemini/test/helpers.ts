import type { Test } from 'tap';
import {
  CredentialPool,
  FileImageStore,
  ImageService,
  ModelRegistry,
  RequestTally,
  type RequestRecord,
  solidPng,
  type ImageProvider,
  type ImageRequest,
  type InputImage,
  type ProviderCall,
} from '@uig/core';
import { createGeminiFake, type GeminiFake, type GeminiFakeOptions } from '@uig/testkit';
import { createGeminiProvider, geminiOptionsSchema } from '../src/index.js';

export const testKey = 'test-gemini-key-0123456789';

export async function startFake(t: Test, options: GeminiFakeOptions = {}): Promise<GeminiFake> {
  // Still serving the retired models (as a compatible upstream would), so the adapter's rules for them stay tested.
  const fake = await createGeminiFake({ retiredModels: [], ...options }).start();
  t.teardown(() => fake.close());
  return fake;
}

export function providerFor(fake: GeminiFake, options: Record<string, unknown> = {}): ImageProvider {
  return createGeminiProvider({ id: 'gemini', baseURL: fake.apiBaseURL, fetch: globalThis.fetch, options });
}

/** A call as core builds it: provider options already parsed by the strict schema. */
export function makeCall(
  fields: Partial<Omit<ProviderCall, 'providerOptions'>> & { providerOptions?: Record<string, unknown> } = {},
): ProviderCall {
  const { providerOptions, ...rest } = fields;
  return {
    model: 'gemini-2.5-flash-image',
    prompt: 'a lighthouse at dawn',
    n: 1,
    images: [],
    providerOptions: geminiOptionsSchema.parse(providerOptions ?? {}),
    credential: { id: 'gemini#1', apiKey: testKey },
    signal: new AbortController().signal,
    requestId: 'req_test',
    ...rest,
  };
}

export function inputImage(mimeType = 'image/png', shade = 100): InputImage {
  return { data: solidPng(4, 4, [shade, shade, shade, 255]), mimeType, width: 4, height: 4 };
}

/** The last request body the fake received, as sent (not normalized). */
export function lastBody(fake: GeminiFake): Record<string, any> {
  return fake.requests.at(-1)!.json as Record<string, any>;
}

/**
 * The adapter inside core's request path, against the fake: `run` a request, read the
 * `imageConfig` last sent, and the ledger records of the runs (from each run's tally).
 */
export async function startService(t: Test) {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  const dir = t.testdir();
  const service = new ImageService({
    registry: new ModelRegistry([{ provider, type: 'gemini' }]),
    pools: new Map([
      [
        provider.id,
        new CredentialPool({ provider: provider.id, credentials: [{ id: 'gemini#1', apiKey: testKey }] }),
      ],
    ]),
    store: new FileImageStore(dir),
    retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    upstreamTimeoutMs: 5_000,
    downloadMaxBytes: 1024 * 1024,
    downloadTimeoutMs: 5_000,
  });
  const records: RequestRecord[] = [];
  const run = async (fields: Partial<ImageRequest>) => {
    const tally = new RequestTally({ requestId: 'req_size', client: 'anonymous', route: 'test', started: 0 });
    const result = await service.run(
      { kind: 'generate', prompt: 'a lighthouse', n: 1, images: [], providerOptions: {}, ...fields },
      { requestId: 'req_size', signal: new AbortController().signal, tally },
    );
    records.push(tally.finish({ status: 200 }, 1));
    return result;
  };
  const sent = () => fake.calls.at(-1)!.body.generationConfig.imageConfig;
  return { fake, run, sent, records };
}
