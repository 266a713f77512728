import { PngDecodeError, pngChunks } from './png-decoder.js';
import { sniffImage } from './image-info.js';

/**
 * Whether image bytes are whole, end to end, before anything stores, returns or sends
 * them: a vendor URL that served only the first half of a PNG must not be stored under
 * its content id and handed out as if it were an image. Undefined when the image is
 * whole, else what is wrong with it, in words for an error message.
 *
 * - PNG: the signature, IHDR first, every chunk's length inside the file and its CRC,
 *   at least one IDAT, and IEND (bytes after IEND are ignored, as decoders do).
 * - JPEG: SOI, every marker segment's length inside the file, entropy-coded data after
 *   each SOS, and EOI.
 * - WebP: the RIFF size is the file's size less the 8-byte RIFF header.
 * - GIF: the header, and the trailer byte (0x3B) at the end.
 */
export function imageDefect(bytes: Uint8Array): string | undefined {
  const info = sniffImage(bytes);
  if (!info) return 'it is not a PNG, JPEG, WebP or GIF image';
  switch (info.extension) {
    case 'png':
      return pngDefect(bytes);
    case 'jpg':
      return jpegDefect(bytes);
    case 'webp':
      return webpDefect(bytes);
    case 'gif':
      return bytes[bytes.length - 1] === 0x3b ? undefined : 'the GIF ends before its trailer (truncated)';
  }
}

function pngDefect(bytes: Uint8Array): string | undefined {
  let first = true;
  let imageData = false;
  try {
    for (const chunk of pngChunks(bytes)) {
      if (first && chunk.type !== 'IHDR') return 'the PNG does not start with its IHDR chunk';
      first = false;
      if (chunk.type === 'IDAT') imageData = true;
      if (chunk.type === 'IEND') return imageData ? undefined : 'the PNG has no image data (IDAT)';
    }
  } catch (error) {
    if (error instanceof PngDecodeError) return `the PNG is damaged (${error.message})`;
    throw error;
  }
  return 'the PNG ends before its IEND chunk (truncated)';
}

function jpegDefect(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  let scans = 0;
  while (offset + 1 < buffer.length) {
    if (buffer[offset] !== 0xff) return 'the JPEG has bytes where a marker must be';
    const marker = buffer[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) return scans > 0 ? undefined : 'the JPEG has no image data (SOS)';
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (offset + 4 > buffer.length) break;
    const end = offset + 2 + buffer.readUInt16BE(offset + 2);
    if (end > buffer.length) break;
    offset = end;
    if (marker !== 0xda) continue;
    scans++;
    // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart marker
    // (0xD0–0xD7) inside it; any other marker ends the scan.
    for (;;) {
      const next = buffer.indexOf(0xff, offset);
      if (next < 0 || next + 1 >= buffer.length) return 'the JPEG ends inside its image data (truncated)';
      const following = buffer[next + 1]!;
      if (following === 0x00 || (following >= 0xd0 && following <= 0xd7)) {
        offset = next + 2;
        continue;
      }
      offset = next;
      break;
    }
  }
  return 'the JPEG ends before its EOI marker (truncated)';
}

function webpDefect(bytes: Uint8Array): string | undefined {
  const riffSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (riffSize + 8 === bytes.length) return undefined;
  return riffSize + 8 > bytes.length
    ? 'the WebP is shorter than its RIFF header says (truncated)'
    : 'the WebP is longer than its RIFF header says';
}
