import { crc32 } from 'node:zlib';
import type { FakeUpstream } from '@uig/testkit';

/**
 * The path the benchmark's upstream answers on: the fake's zero-work answer, but
 * with a different image every time.
 *
 * Why: uig's image store is content-addressed, so with the zero-work fake's one
 * fixed image it would hash, find the id already stored, and never write again —
 * a benchmark of "url mode with storage" that stores nothing. Real generations are
 * all different. Each answer here carries the zero-work PNG with one extra tEXt
 * chunk holding a counter: still a valid PNG (CRCs right), same size to a few bytes,
 * and every request's bytes are new. Every target (direct, forwarder, uig, Portkey)
 * is pointed at this path, so all see the same upstream.
 */
export const uniqueImagePrefix = '/bench';

const pngTrailerLength = 12; // the IEND chunk: length, type, CRC

/**
 * Builds answers from one zero-work body. Only the base64 of the PNG's last few
 * bytes changes per answer, and the counter has a fixed width, so each answer is
 * the same buffer with that tail overwritten: a ring of buffers, so an answer still
 * being written to its socket is never touched (the ring is larger than the most
 * requests the benchmark keeps in flight). Copying 1.5 MB per answer instead would
 * cost the fake as much again as its whole zero-work answer.
 */
class UniqueImageBodies {
  private readonly head: Buffer;
  private readonly tailBytes: Buffer;
  private readonly trailer: Buffer;
  private readonly rest: Buffer;
  private readonly ring: Buffer[] = [];
  private served = 0;

  constructor(
    template: Buffer,
    private readonly ringSize = 128,
  ) {
    const text = template.toString('latin1');
    const marker = '"b64_json":"';
    const start = text.indexOf(marker) + marker.length;
    const end = text.indexOf('"', start);
    if (start < marker.length || end < 0) throw new Error('zero-work body without b64_json');
    const png = Buffer.from(text.slice(start, end), 'base64');
    const iend = png.length - pngTrailerLength;
    if (png.toString('latin1', iend + 4, iend + 8) !== 'IEND')
      throw new Error('zero-work image does not end with IEND');
    // Split on a multiple of 3 bytes so the head's base64 is fixed and only the tail is encoded per answer.
    const split = Math.floor(iend / 3) * 3;
    this.head = Buffer.from(text.slice(0, start) + png.subarray(0, split).toString('base64'), 'latin1');
    this.tailBytes = png.subarray(split, iend);
    this.trailer = png.subarray(iend);
    this.rest = Buffer.from(text.slice(end), 'latin1');
  }

  next(): Buffer {
    this.served += 1;
    const tail = Buffer.from(
      Buffer.concat([
        this.tailBytes,
        textChunk('uig-bench', String(this.served).padStart(12, '0')),
        this.trailer,
      ]).toString('base64'),
      'latin1',
    );
    const slot = this.served % this.ringSize;
    let body = this.ring[slot];
    if (!body) {
      body = Buffer.concat([this.head, tail, this.rest]);
      this.ring[slot] = body;
    } else tail.copy(body, this.head.length);
    return body;
  }
}

function textChunk(keyword: string, value: string): Buffer {
  const data = Buffer.from(`${keyword}\0${value}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/**
 * Adds `POST /bench/v1/images/generations` to a zero-work OpenAI fake. The template
 * is the fake's own zero-work answer, fetched once, so the body is exactly the
 * testkit's apart from the image's extra chunk. Like zero-work, only a key is checked.
 */
export async function addUniqueImageRoute(fake: FakeUpstream & { apiBaseURL: string }): Promise<string> {
  const answer = await fetch(`${fake.apiBaseURL}/images/generations`, {
    method: 'POST',
    headers: { authorization: 'Bearer template', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-image-1', prompt: 'template' }),
  });
  if (answer.status !== 200) throw new Error(`zero-work fake answered ${answer.status}`);
  const bodies = new UniqueImageBodies(Buffer.from(await answer.arrayBuffer()));
  let served = 0;
  fake.route('POST', `${uniqueImagePrefix}/v1/images/generations`, ({ request }) => {
    if (!/^Bearer\s+\S+/i.test(String(request.headers.authorization ?? ''))) {
      return {
        status: 401,
        json: {
          error: { message: 'No API key provided.', type: 'invalid_request_error', param: null, code: null },
        },
      };
    }
    served += 1;
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': `req_bench_${served}` },
      body: bodies.next(),
    };
  });
  return `${fake.url}${uniqueImagePrefix}/v1`;
}
