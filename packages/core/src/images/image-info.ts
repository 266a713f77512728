/**
 * Reads the format and pixel size of an image from its first bytes. The mime type
 * always comes from the bytes, never from a file name or a vendor's say-so.
 */
export interface ImageInfo {
  mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
  extension: 'png' | 'jpg' | 'webp' | 'gif';
  width: number;
  height: number;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((byte, index) => bytes[offset + index] === byte);
}

function pngInfo(bytes: Uint8Array): ImageInfo | undefined {
  // Signature, then the IHDR chunk: length(4) "IHDR"(4) width(4) height(4).
  if (bytes.length < 24 || !startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return undefined;
  if (!startsWith(bytes, [0x49, 0x48, 0x44, 0x52], 12)) return undefined;
  const data = view(bytes);
  return { mimeType: 'image/png', extension: 'png', width: data.getUint32(16), height: data.getUint32(20) };
}

function jpegInfo(bytes: Uint8Array): ImageInfo | undefined {
  if (!startsWith(bytes, [0xff, 0xd8, 0xff])) return undefined;
  const data = view(bytes);
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    // Standalone markers carry no length.
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    const length = data.getUint16(offset + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        mimeType: 'image/jpeg',
        extension: 'jpg',
        height: data.getUint16(offset + 5),
        width: data.getUint16(offset + 7),
      };
    }
    offset += 2 + length;
  }
  return undefined;
}

function webpInfo(bytes: Uint8Array): ImageInfo | undefined {
  if (
    bytes.length < 30 ||
    !startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) ||
    !startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)
  )
    return undefined;
  const data = view(bytes);
  const format = String.fromCharCode(...bytes.subarray(12, 16));
  const base = { mimeType: 'image/webp', extension: 'webp' } as const;
  if (format === 'VP8 ')
    return { ...base, width: data.getUint16(26, true) & 0x3fff, height: data.getUint16(28, true) & 0x3fff };
  if (format === 'VP8L') {
    const bits = data.getUint32(21, true);
    return { ...base, width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (format === 'VP8X') {
    const width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    const height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
    return { ...base, width, height };
  }
  return undefined;
}

function gifInfo(bytes: Uint8Array): ImageInfo | undefined {
  if (
    bytes.length < 10 ||
    !(
      startsWith(bytes, [0x47, 0x49, 0x46, 0x38, 0x37, 0x61]) ||
      startsWith(bytes, [0x47, 0x49, 0x46, 0x38, 0x39, 0x61])
    )
  )
    return undefined;
  const data = view(bytes);
  return {
    mimeType: 'image/gif',
    extension: 'gif',
    width: data.getUint16(6, true),
    height: data.getUint16(8, true),
  };
}

/** The image's format and size, or undefined when the bytes are not a PNG, JPEG, WebP or GIF. */
export function sniffImage(bytes: Uint8Array): ImageInfo | undefined {
  const info = pngInfo(bytes) ?? jpegInfo(bytes) ?? webpInfo(bytes) ?? gifInfo(bytes);
  if (!info || info.width === 0 || info.height === 0) return undefined;
  return info;
}
