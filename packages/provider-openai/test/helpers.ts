import type { Test } from 'tap';
import {
  planCall,
  solidPng,
  type ImageProvider,
  type ImageRequest,
  type InputImage,
  type ProviderCall,
  type ProviderResult,
} from '@uig/core';
import { createOpenAIFake, type OpenAIFake, type OpenAIFakeOptions } from '@uig/testkit';
import { createOpenAIProvider } from '@uig/provider-openai';

export async function startFake(t: Test, options: OpenAIFakeOptions = {}): Promise<OpenAIFake> {
  // Still serving the retired models (as a compatible upstream would), so the adapter's rules for them stay tested.
  const fake = await createOpenAIFake({ retiredModels: [], ...options }).start();
  t.teardown(() => fake.close());
  return fake;
}

export function providerFor(
  fake: OpenAIFake,
  options: Record<string, unknown> = {},
  id = 'openai',
): ImageProvider {
  return createOpenAIProvider({ id, baseURL: fake.apiBaseURL, fetch: globalThis.fetch, options });
}

export function inputImage(width: number, height: number, mimeType = 'image/png'): InputImage {
  return { data: solidPng(width, height), mimeType, width, height };
}

export function call(overrides: Partial<ProviderCall> = {}): ProviderCall {
  return {
    model: 'gpt-image-1',
    prompt: 'a red fox in the snow',
    n: 1,
    size: { width: 1024, height: 1024 },
    images: [],
    providerOptions: {},
    credential: { id: 'openai#1', apiKey: 'sk-test-key' },
    signal: new AbortController().signal,
    requestId: 'req-uig-1',
    ...overrides,
  };
}

/**
 * What core does before the adapter runs (capability-check.ts planning, then the
 * adapter's check()), then each batch through the adapter: so a test exercises a
 * model's declared rules end to end against the fake.
 */
export async function throughCore(
  provider: ImageProvider,
  request: Partial<ImageRequest> & { model: string },
): Promise<ProviderResult[]> {
  const full: ImageRequest = {
    kind: 'generate',
    prompt: 'a red fox',
    n: 1,
    images: [],
    providerOptions: {},
    ...request,
  };
  const model = provider.models.find((candidate) => candidate.id === request.model)!;
  const plan = planCall(full, model, `${provider.id}/${model.id}`);
  const options = full.providerOptions[provider.id] ?? {};
  const providerOptions = provider.optionsSchema.parse(options);
  const base = {
    model: model.id,
    prompt: full.prompt,
    images: full.images,
    providerOptions,
    ...(plan.size ? { size: plan.size } : {}),
    ...(plan.quality !== undefined ? { quality: plan.quality } : {}),
    ...(full.mask ? { mask: full.mask } : {}),
  };
  provider.check?.({ ...base, n: plan.batches[0]! }, full.kind);
  const invoke = full.kind === 'edit' ? provider.edit!.bind(provider) : provider.generate.bind(provider);
  const results: ProviderResult[] = [];
  for (const n of plan.batches) results.push(await invoke(call({ ...base, n })));
  return results;
}
