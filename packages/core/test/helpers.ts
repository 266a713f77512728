import { z } from 'zod';
import type {
  ImageProvider,
  ModelCapabilities,
  ModelDescriptor,
  ProviderCall,
  ProviderResult,
} from '@uig/core';
import { solidPng } from '@uig/core';

const baseCapabilities: ModelCapabilities = {
  generate: true,
  edit: false,
  mask: false,
  maxImagesPerCall: 1,
  maxImagesPerRequest: 4,
  maxInputImages: 0,
  sizes: {
    allowed: ['1024x1024', '1344x768', '768x1344'],
    custom: { minSide: 512, maxSide: 2048, multipleOf: 16, maxPixels: 2 ** 21 },
    default: '1024x1024',
  },
  seed: false,
  negativePrompt: false,
  qualities: ['standard', 'hd'],
  delivery: 'bytes',
  maxPromptLength: 1000,
};

export function model(
  id: string,
  capabilities: Partial<ModelCapabilities> = {},
  extra: Partial<ModelDescriptor> = {},
): ModelDescriptor {
  return { id, description: id, capabilities: { ...baseCapabilities, ...capabilities }, ...extra };
}

/** A provider whose answers the test scripts: each call takes the next step. */
export function scriptedProvider(
  id: string,
  models: ModelDescriptor[],
  steps: Array<(call: ProviderCall) => ProviderResult | Promise<ProviderResult>>,
) {
  const calls: ProviderCall[] = [];
  const next = (call: ProviderCall) => {
    calls.push(call);
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]!;
    return Promise.resolve().then(() => step(call));
  };
  const provider: ImageProvider = {
    id,
    models,
    defaultModel: models[0]!.id,
    optionsSchema: z.object({ style: z.enum(['a', 'b']).optional() }).strict(),
    generate: next,
    edit: next,
  };
  return { provider, calls };
}

export const pngResult = (width = 16, height = 16): ProviderResult => ({
  images: [{ kind: 'bytes', data: solidPng(width, height) }],
  warnings: [],
});
