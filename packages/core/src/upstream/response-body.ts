import { leaseOf } from './inflight-bytes.js';
import { nodeBodyOf } from './pooled-fetch.js';

/**
 * A vendor answer's body as one Buffer, read once. With a Content-Length the buffer is
 * allocated once and the chunks are copied in as they arrive (no chunk list, no
 * concatenation, no text decoding); without one the chunks are joined at the end.
 *
 * When the call's signal belongs to a request under `server.maxInflightImageBytes`
 * (inflight-bytes.ts), the body is not read until its size fits: the request waits
 * instead of the heap growing.
 */
export async function readResponseBody(response: Response, signal?: AbortSignal): Promise<Buffer> {
  try {
    return await readBody(response, signal);
  } catch (error) {
    // As the built-in fetch reports a body cut short: the abort's reason, else TypeError "terminated".
    if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) throw error;
    if (error instanceof TypeError) throw error;
    throw new TypeError('terminated', { cause: error });
  }
}

async function readBody(response: Response, signal: AbortSignal | undefined): Promise<Buffer> {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  const length = Number.isSafeInteger(announced) && announced >= 0 ? announced : undefined;
  const lease = leaseOf(signal);
  if (lease && length !== undefined) await lease.reserve(length, signal);
  const source: AsyncIterable<Uint8Array> | null = nodeBodyOf(response) ?? response.body;
  if (!source) return Buffer.alloc(0);
  if (length !== undefined) {
    const body = Buffer.allocUnsafe(length);
    let offset = 0;
    const extra: Buffer[] = [];
    for await (const chunk of source) {
      const bytes = chunk as Uint8Array;
      const fits = Math.min(bytes.byteLength, length - offset);
      if (fits > 0) body.set(fits === bytes.byteLength ? bytes : bytes.subarray(0, fits), offset);
      offset += fits;
      // A server that sends more than it announced: keep it, and count it.
      if (fits < bytes.byteLength) {
        const rest = Buffer.from(bytes.subarray(fits));
        lease?.grow(rest.byteLength);
        extra.push(rest);
      }
    }
    if (extra.length > 0) return Buffer.concat([body.subarray(0, offset), ...extra]);
    return offset === length ? body : body.subarray(0, offset);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source) {
    const bytes = chunk as Uint8Array;
    const buffer = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    lease?.grow(buffer.byteLength);
    chunks.push(buffer);
    total += buffer.byteLength;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}
