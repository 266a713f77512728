import type { Test } from 'tap';
import { solidPng, type InputImage, type ProviderCall } from '@uig/core';
import { createStabilityFake, type StabilityFakeOptions, providerCall } from '@uig/testkit';
import { createStabilityProvider } from '../src/index.js';

export async function setup(
  t: Test,
  options: { fake?: StabilityFakeOptions; options?: Record<string, unknown> } = {},
) {
  const fake = await createStabilityFake(options.fake).start();
  t.teardown(() => fake.close());
  const provider = createStabilityProvider({
    id: 'stability',
    baseURL: fake.apiBaseURL,
    fetch: globalThis.fetch,
    options: options.options ?? {},
  });
  return { fake, provider };
}

export function callFor(overrides: Partial<ProviderCall> = {}): ProviderCall {
  return providerCall({
    model: 'core',
    prompt: 'a red fox in snow',
    aspectRatio: '1:1',
    credential: { id: 'stability#1', apiKey: 'sk-test' },
    ...overrides,
  });
}

export function pngInput(width = 64, height = 64): InputImage {
  return { data: solidPng(width, height), mimeType: 'image/png', width, height };
}

export { caught } from '@uig/testkit';
