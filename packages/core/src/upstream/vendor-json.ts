import { createHash, randomUUID } from 'node:crypto';
import { rememberContentId } from '../storage/image-store.js';

/**
 * One parse of a vendor's JSON answer that carries images as base64 (OpenAI
 * `b64_json`, docs/providers/openai.md §2.6), without the 1.5 MB strings ever becoming
 * JS strings. `JSON.parse` of the whole text would copy each image three times (the
 * body's text, the parsed string, then its decoded bytes) and spend ~2 ms on a large
 * answer (docs/benchmarks.md). Instead:
 *
 * 1. the body's strings are found with `indexOf('"')` (native, a few µs for 1.5 MB; a
 *    quote inside a JSON string is always escaped, so an unescaped one ends it);
 * 2. a long string that is the value of one of `base64Keys` is decoded straight from
 *    the body's bytes into one Buffer, 16 KiB at a time, and hashed in the same pass
 *    (the store's content id then costs nothing: `rememberContentId`);
 * 3. what is left (the small skeleton, with a placeholder where each image was) goes
 *    through `JSON.parse`, and each placeholder becomes an `InlineImageBytes`.
 *
 * A long string that is not plain base64 (an escaped `\/`, line breaks) is detected by
 * its decoded length and left to `JSON.parse` like any other string: same answer, the
 * old cost.
 */
export class InlineImageBytes {
  constructor(readonly data: Buffer) {}
}

/**
 * The vendor's base64 text (its bytes, a slice of the answer's body) for decoded images
 * whose text is canonical standard base64: an answer that hands the image out as
 * `b64_json` copies it instead of encoding the bytes again (about 1 ms and one more
 * 1.5 MB buffer per large image; docs/benchmarks.md). Keyed by the decoded bytes' own
 * ArrayBuffer, so bytes that were copied or changed are never matched.
 */
const vendorTexts = new WeakMap<ArrayBufferLike, Buffer>();

/** The base64 text `data` was decoded from, when it was and is canonical; else undefined. */
export function vendorBase64Of(data: Uint8Array): Buffer | undefined {
  const text = vendorTexts.get(data.buffer);
  return text && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? text : undefined;
}

/**
 * Canonical standard base64: no `-` or `_` (base64url), and the last group is what encoding
 * the last bytes gives (strict decoders refuse non-zero bits after the data).
 */
function canonical(text: Buffer, data: Buffer): boolean {
  if (text.indexOf(0x2d) >= 0 || text.indexOf(0x5f) >= 0) return false;
  const tail = data.length % 3 || 3;
  return data.toString('base64', data.length - tail) === text.toString('latin1', text.length - 4);
}

/** Strings shorter than this are left to JSON.parse. */
const decodeFrom = 16 * 1024;
/** Characters decoded per step: a multiple of 4, small enough to stay in cache. */
const step = 16 * 1024;
const nonce = randomUUID().replaceAll('-', '');
/** As written into the skeleton's JSON text (escaped: JSON forbids a raw control character). */
const placeholder = (index: number) => `\\u0001uig-image-${nonce}-${index}`;
const placeholderPattern = new RegExp(`^\\u0001uig-image-${nonce}-(\\d+)$`);

/** Is the quote at `at` escaped (an odd number of backslashes before it)? */
function escaped(body: Buffer, at: number): boolean {
  let count = 0;
  for (let index = at - 1; index >= 0 && body[index] === 0x5c; index--) count++;
  return count % 2 === 1;
}

/** The key whose value starts at `open` (the opening quote), when it is one of `keys`. */
function keyBefore(body: Buffer, open: number, keys: readonly string[]): boolean {
  const before = body.toString('latin1', Math.max(0, open - 40), open);
  const match = /"([A-Za-z0-9_]+)"\s*:\s*$/.exec(before);
  return match !== null && keys.includes(match[1]!);
}

/** Decodes body[start, end) as plain base64 into one Buffer, hashed on the way; undefined if it is not plain base64. */
function decodeBase64(body: Buffer, start: number, end: number): Buffer | undefined {
  const length = end - start;
  if (length % 4 !== 0) return undefined;
  const padding = body[end - 1] === 0x3d ? (body[end - 2] === 0x3d ? 2 : 1) : 0;
  const expected = (length / 4) * 3 - padding;
  const out = Buffer.allocUnsafe(expected);
  const hash = createHash('sha256');
  let written = 0;
  for (let from = start; from < end; from += step) {
    const to = Math.min(from + step, end);
    const room = out.length - written;
    // Node's decoder skips characters outside the alphabet: a short piece means the string was not plain base64.
    const wanted = to === end ? room : ((to - from) / 4) * 3;
    if (wanted > room) return undefined;
    const count = out.write(body.toString('latin1', from, to), written, wanted, 'base64');
    if (count !== wanted) return undefined;
    hash.update(out.subarray(written, written + count));
    written += count;
  }
  if (written !== expected) return undefined;
  rememberContentId(out, hash.digest('hex'));
  const text = body.subarray(start, end);
  if (out.byteOffset === 0 && out.byteLength === out.buffer.byteLength && canonical(text, out))
    vendorTexts.set(out.buffer, text);
  return out;
}

export function parseVendorJson(body: Buffer, base64Keys: readonly string[]): unknown {
  const images: Buffer[] = [];
  const pieces: string[] = [];
  let copied = 0;
  let position = 0;
  for (;;) {
    const open = body.indexOf(0x22, position);
    if (open < 0) break;
    let close = body.indexOf(0x22, open + 1);
    while (close >= 0 && escaped(body, close)) close = body.indexOf(0x22, close + 1);
    if (close < 0) break; // unterminated: JSON.parse reports it
    position = close + 1;
    if (close - open - 1 < decodeFrom || !keyBefore(body, open, base64Keys)) continue;
    const data = decodeBase64(body, open + 1, close);
    if (!data) continue;
    pieces.push(body.toString('utf8', copied, open + 1), placeholder(images.length));
    images.push(data);
    copied = close;
  }
  if (images.length === 0) return JSON.parse(body.toString('utf8'));
  pieces.push(body.toString('utf8', copied));
  return JSON.parse(pieces.join(''), (_key, value: unknown) => {
    if (typeof value !== 'string' || value.charCodeAt(0) !== 1) return value;
    const match = placeholderPattern.exec(value);
    return match ? new InlineImageBytes(images[Number(match[1])]!) : value;
  });
}
