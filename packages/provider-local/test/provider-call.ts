import type { InputImage, ProviderCall, ProviderResult } from '@uig/core';
import { sniffImage } from '@uig/core';

/** A complete ProviderCall with test defaults; each test overrides what it is about. */
export function providerCall(overrides: Partial<ProviderCall> = {}): ProviderCall {
  return {
    model: 'placeholder',
    prompt: 'a lighthouse on a cliff at dusk',
    n: 1,
    size: { width: 128, height: 96 },
    images: [],
    providerOptions: {},
    credential: { id: 'local', apiKey: '' },
    signal: new AbortController().signal,
    requestId: 'test-request',
    ...overrides,
  };
}

/** An input image as core hands it to an adapter: mime type and size sniffed from the bytes. */
export function inputImage(data: Uint8Array): InputImage {
  const info = sniffImage(data);
  return {
    data,
    mimeType: info?.mimeType ?? 'application/octet-stream',
    width: info?.width ?? 0,
    height: info?.height ?? 0,
  };
}

/** The bytes of each returned image (the local provider always answers with bytes). */
export function imageBytes(result: ProviderResult): Uint8Array[] {
  return result.images.map((image) => {
    if (image.kind !== 'bytes') throw new Error(`expected bytes, got ${image.kind}`);
    return image.data;
  });
}

/** Mean absolute difference per sample between two equal-sized pixel buffers: how visibly they differ. */
export function meanDifference(left: Uint8Array, right: Uint8Array): number {
  if (left.length !== right.length) throw new RangeError('buffers differ in length');
  let total = 0;
  for (let index = 0; index < left.length; index++) total += Math.abs(left[index]! - right[index]!);
  return total / left.length;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
