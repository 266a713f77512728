import type { Test } from 'tap';
import { solidPng, type InputImage, type ProviderCall, type ProviderSettings } from '@uig/core';
import { createBflFake, type BflFakeOptions, providerCall } from '@uig/testkit';
import { createBflProvider } from '../src/index.js';

/** A started fake and a provider pointed at it; sleeps advance a virtual clock. */
export async function setup(
  t: Test,
  options: {
    fake?: BflFakeOptions;
    options?: Record<string, unknown>;
    settings?: Partial<ProviderSettings>;
  } = {},
) {
  const fake = await createBflFake(options.fake).start();
  t.teardown(() => fake.close());
  const clock = { now: 1_700_000_000_000 };
  const sleeps: number[] = [];
  const provider = createBflProvider({
    id: 'bfl',
    baseURL: fake.apiBaseURL,
    fetch: globalThis.fetch,
    options: options.options ?? {},
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    now: () => clock.now,
    ...options.settings,
  });
  return { fake, provider, sleeps, clock };
}

export function callFor(overrides: Partial<ProviderCall> = {}): ProviderCall {
  return providerCall({
    model: 'flux-2-pro',
    prompt: 'a lighthouse at dawn',
    size: { width: 1024, height: 1024 },
    credential: { id: 'bfl#1', apiKey: 'bfl_test' },
    ...overrides,
  });
}

export function pngInput(width = 64, height = 64): InputImage {
  return { data: solidPng(width, height), mimeType: 'image/png', width, height };
}

export { caught } from '@uig/testkit';
