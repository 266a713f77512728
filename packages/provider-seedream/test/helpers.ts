import type { Test } from 'tap';
import { solidPng, type InputImage, type ProviderCall } from '@uig/core';
import { createSeedreamFake, type SeedreamFakeOptions, providerCall } from '@uig/testkit';
import { createSeedreamProvider } from '../src/index.js';

export async function setup(
  t: Test,
  options: { fake?: SeedreamFakeOptions; options?: Record<string, unknown> } = {},
) {
  const fake = await createSeedreamFake(options.fake).start();
  t.teardown(() => fake.close());
  const provider = createSeedreamProvider({
    id: 'seedream',
    baseURL: fake.apiBaseURL,
    fetch: globalThis.fetch,
    options: options.options ?? {},
  });
  return { fake, provider };
}

export function callFor(overrides: Partial<ProviderCall> = {}): ProviderCall {
  return providerCall({
    model: 'seedream-4-0-250828',
    prompt: 'a tea house in the rain',
    size: { width: 2048, height: 2048 },
    credential: { id: 'seedream#1', apiKey: 'ark-test' },
    ...overrides,
  });
}

export function pngInput(width = 64, height = 64): InputImage {
  return { data: solidPng(width, height), mimeType: 'image/png', width, height };
}

export { caught } from '@uig/testkit';
