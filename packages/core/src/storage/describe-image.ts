import { InvalidUpstreamResponseError } from '../errors.js';
import { sniffImage } from '../images/image-info.js';
import { contentId, type StoredImage } from './image-store.js';

/**
 * The first step of every backend's `put`: what the bytes are (from the bytes themselves) and
 * the id they are stored under. Bytes that are not a PNG, JPEG, WebP or GIF are the vendor's
 * fault (`InvalidUpstreamResponseError`, naming the provider).
 */
export function describeImage(data: Uint8Array, provider?: string): StoredImage {
  const info = sniffImage(data);
  if (!info)
    throw new InvalidUpstreamResponseError('The image returned is not a PNG, JPEG, WebP or GIF.', {
      provider,
    });
  return {
    id: contentId(data),
    mimeType: info.mimeType,
    extension: info.extension,
    width: info.width,
    height: info.height,
    byteLength: data.byteLength,
  };
}
