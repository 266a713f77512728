import { crc32 } from 'node:zlib';
import { noisePng } from '../test-images.js';

/**
 * The OpenAI fake's benchmark answers (`zeroWork`): a precomputed docs/providers/openai.md
 * §2.6 body, so the fake costs next to nothing per request.
 *
 * With `uniqueImages` every image in every answer is different. Why: uig's store is
 * content-addressed, so with one fixed image it would hash, find the id stored, and never
 * write again — a benchmark of "storing every image" that stores nothing. Real generations
 * all differ. Each image is the template PNG plus one `tEXt` chunk holding a counter,
 * before `IEND`: still a valid PNG (every CRC right), same size to the byte. Only the
 * base64 of the PNG's last few bytes changes, so an answer is sent as pieces (socket
 * writes of shared buffers, no copy): the shared head of the base64, then a fresh tail of
 * about 60 characters, then the rest of the JSON.
 */
const pngTrailerLength = 12; // the IEND chunk: length, type, CRC
const usage =
  '{"total_tokens":1066,"input_tokens":10,"output_tokens":1056,"input_tokens_details":{"text_tokens":10,"image_tokens":0}}';

function textChunk(keyword: string, value: string): Buffer {
  const data = Buffer.from(`${keyword}\0${value}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

export class ZeroWorkAnswers {
  private readonly bodies = new Map<number, Buffer>();
  private readonly prefix: Buffer;
  private readonly suffix: Buffer;
  /** The base64 of the PNG up to a multiple of 3 bytes before IEND: the same in every image. */
  private readonly head: Buffer;
  private readonly tailBytes: Buffer;
  private readonly trailer: Buffer;
  private readonly png: Buffer;
  private counter = 0;

  constructor(
    body: 'tiny' | 'large',
    image: Buffer,
    private readonly unique: boolean,
  ) {
    // test-images.ts: 1.1 MB of noise PNG is about 1.5 MB of base64, like a real 1024² image.
    this.png = body === 'large' ? noisePng(1_100_000) : image;
    const created = Math.floor(Date.now() / 1000);
    this.prefix = Buffer.from(
      `{"created":${created},"background":"opaque","output_format":"png","quality":"medium","size":"1024x1024","data":[`,
    );
    this.suffix = Buffer.from(`],"usage":${usage}}`);
    const iend = this.png.length - pngTrailerLength;
    if (this.png.toString('latin1', iend + 4, iend + 8) !== 'IEND')
      throw new Error('zero-work image does not end with IEND');
    const split = Math.floor(iend / 3) * 3;
    this.head = Buffer.from(this.png.subarray(0, split).toString('base64'), 'latin1');
    this.tailBytes = this.png.subarray(split, iend);
    this.trailer = this.png.subarray(iend);
  }

  /** The body for `n` images: one Buffer, or pieces to write in order when every image differs. */
  next(n: number): Buffer | Buffer[] {
    if (!this.unique) {
      let body = this.bodies.get(n);
      if (!body) {
        const b64 = this.png.toString('base64');
        const data = Array.from({ length: n }, () => `{"b64_json":"${b64}"}`).join(',');
        body = Buffer.concat([this.prefix, Buffer.from(data), this.suffix]);
        this.bodies.set(n, body);
      }
      return body;
    }
    const pieces: Buffer[] = [this.prefix];
    for (let index = 0; index < n; index++) {
      this.counter += 1;
      const tail = Buffer.concat([
        this.tailBytes,
        textChunk('uig-fake', String(this.counter).padStart(12, '0')),
        this.trailer,
      ]).toString('base64');
      pieces.push(
        Buffer.from(index === 0 ? '{"b64_json":"' : ',{"b64_json":"'),
        this.head,
        Buffer.from(`${tail}"}`, 'latin1'),
      );
    }
    pieces.push(this.suffix);
    return pieces;
  }
}
