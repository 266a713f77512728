import { randomUUID } from 'node:crypto';
import { vendorBase64Of } from '@uig/core';

/**
 * A JSON answer with large base64 strings in it, written without running the 1.5 MB
 * strings through `JSON.stringify` (and without a second copy of them as a JS string):
 * the small skeleton is serialized with placeholders where the base64 goes, then the
 * bytes are put together in one Buffer. The result is byte for byte what
 * `JSON.stringify` of the full object gives (the tests compare them).
 *
 * Base64 needs no JSON escaping: its alphabet is letters, digits, `+`, `/`, `-`, `_`
 * and `=`. A vendor's string is only spliced in raw when its length proves it is pure
 * base64 (see `isPlainBase64`); anything else goes through `JSON.stringify`.
 */
export interface Base64Slots {
  /** Returns the placeholder to put in the skeleton where `base64` goes. */
  slot(base64: string, decodedBytes?: number): string;
  /** The placeholder for `data`'s base64, encoded straight into the answer's bytes. */
  slotBytes(data: Buffer): string;
}

// Unique per process: a placeholder can only come from `slot`, and `serialize` also
// checks that each one is found exactly where it expects it.
const nonce = randomUUID().replaceAll('-', '');
/** Base64 strings shorter than this are left to JSON.stringify. */
const spliceFrom = 16 * 1024;
const token = (index: number) => `\u0001uig-b64-${nonce}-${index}\u0001`;

/**
 * True when `base64` decodes to `decodedBytes` bytes with nothing skipped: every
 * character but the trailing `=` padding is in the base64(url) alphabet. Node's
 * decoder skips (or stops at) any other character, which would make the decoded
 * length shorter than 3/4 of the string.
 */
export function isPlainBase64(base64: string, decodedBytes: number): boolean {
  const length = base64.length;
  if (length % 4 !== 0) return false;
  const padding =
    length === 0
      ? 0
      : base64.charCodeAt(length - 1) === 61
        ? base64.charCodeAt(length - 2) === 61
          ? 2
          : 1
        : 0;
  return decodedBytes === (length / 4) * 3 - padding;
}

/** Base64 already encoded, as bytes (a slice of a vendor's answer). */
class Base64Text {
  constructor(readonly bytes: Buffer) {}
}

export class JsonWithBase64 implements Base64Slots {
  /** Base64 strings, base64 text as bytes, or image bytes to encode. */
  private readonly pieces: (string | Base64Text | Buffer)[] = [];

  slot(base64: string, decodedBytes?: number): string {
    // Small strings cost JSON.stringify next to nothing: splicing only pays for large ones.
    if (base64.length < spliceFrom) return base64;
    // Our own encoding (decodedBytes undefined) is always plain base64.
    if (decodedBytes !== undefined && !isPlainBase64(base64, decodedBytes)) return base64;
    this.pieces.push(base64);
    return token(this.pieces.length - 1);
  }

  slotBytes(data: Buffer): string {
    if (data.length < (spliceFrom / 4) * 3) return data.toString('base64');
    // The vendor's own base64 text, when the bytes are still the ones decoded from it: copied, not encoded again.
    const text = vendorBase64Of(data);
    this.pieces.push(text ? new Base64Text(text) : data);
    return token(this.pieces.length - 1);
  }

  /**
   * The JSON text of `skeleton` with every slot filled: the text itself when nothing was
   * spliced, else UTF-8 bytes. When a vendor's base64 text is spliced in, the bytes are a
   * list of chunks in which that text is the vendor body's own memory (a slice, not a
   * copy): written to the socket as they are, the answer costs no 1.5 MB buffer of its own.
   */
  serialize(skeleton: unknown): Buffer | string | Buffer[] {
    const text = JSON.stringify(skeleton);
    if (this.pieces.length === 0) return text;
    // JSON.stringify writes the placeholder's \u0001 as the 6 characters `\u0001`.
    const parts: string[] = [];
    let from = 0;
    for (let index = 0; index < this.pieces.length; index++) {
      const quoted = JSON.stringify(token(index));
      const at = text.indexOf(quoted, from);
      if (at < 0) throw new Error('JsonWithBase64: a placeholder is missing from the serialized skeleton');
      parts.push(text.slice(from, at + 1));
      from = at + quoted.length - 1;
    }
    parts.push(text.slice(from));
    if (this.pieces.some((piece) => piece instanceof Base64Text)) return this.chunks(parts);
    let total = 0;
    const lengths = parts.map((part) => Buffer.byteLength(part, 'utf8'));
    for (const length of lengths) total += length;
    // No vendor text here (those answers are chunks): strings and bytes to encode.
    for (const piece of this.pieces)
      total += typeof piece === 'string' ? piece.length : base64Length(piece as Buffer);
    const body = Buffer.allocUnsafe(total);
    let offset = 0;
    for (let index = 0; index < parts.length; index++) {
      offset += body.write(parts[index]!, offset, lengths[index]!, 'utf8');
      const piece = this.pieces[index];
      // Pure ASCII, so latin1 is a straight copy of the string's bytes.
      if (typeof piece === 'string') offset += body.write(piece, offset, piece.length, 'latin1');
      else if (piece !== undefined) offset = encodeBase64Into(body, offset, piece as Buffer);
    }
    return body;
  }

  /** The skeleton's parts and the pieces as separate chunks, each vendor text as its own slice. */
  private chunks(parts: string[]): Buffer[] {
    const chunks: Buffer[] = [];
    for (let index = 0; index < parts.length; index++) {
      chunks.push(Buffer.from(parts[index]!, 'utf8'));
      const piece = this.pieces[index];
      if (piece === undefined) continue;
      if (typeof piece === 'string') chunks.push(Buffer.from(piece, 'latin1'));
      else if (piece instanceof Base64Text) chunks.push(piece.bytes);
      else {
        const encoded = Buffer.allocUnsafe(base64Length(piece));
        encodeBase64Into(encoded, 0, piece);
        chunks.push(encoded);
      }
    }
    return chunks;
  }
}

const base64Length = (data: Buffer) => Math.ceil(data.length / 3) * 4;

/** Bytes read per step: a multiple of 3, so the pieces' base64 joins up without padding in between. */
const encodeStep = 48 * 1024;

/**
 * Encodes `data` as base64 into `body` at `offset`, 48 KiB at a time: the image's bytes
 * are the only copy (no 1.5 MB base64 string is ever built; docs/benchmarks.md).
 */
function encodeBase64Into(body: Buffer, offset: number, data: Buffer): number {
  let at = offset;
  for (let from = 0; from < data.length; from += encodeStep) {
    const piece = data.toString('base64', from, Math.min(from + encodeStep, data.length));
    at += body.write(piece, at, piece.length, 'latin1');
  }
  return at;
}
