import { decodePng, type DecodedImage, type ImageProvider } from '@uig/core';
import { createLocalProvider } from '../src/index.js';

/** The local provider as the edit and variation tests call it: its optional methods present. */
export const provider = createLocalProvider({
  id: 'local',
  baseURL: '',
  fetch: globalThis.fetch,
  options: {},
}) as Required<ImageProvider>;

/** Decodes a PNG the provider returned (any size a test makes). */
export const decode = (png: Uint8Array): DecodedImage => decodePng(png, { maxPixels: 1 << 24 });
