import t from 'tap';
import {
  type GeneratedImage,
  type ImageResult,
  type InlineImageBytes,
  parseVendorJson,
  vendorBase64Of,
} from '@uig/core';
import { randomBytes } from 'node:crypto';
import { isPlainBase64, JsonWithBase64, type Base64Slots } from '../src/json-with-base64.js';
import { nativeResponse } from '../src/response-shapes.js';
import { openaiResponse as openaiShape } from '../src/openai-response.js';
import { UrlSigner } from '@uig/runtime';

const openaiResponse = (
  value: ImageResult,
  format: 'url' | 'b64_json',
  signer: Parameters<typeof openaiShape>[2],
  slots?: Base64Slots,
) => openaiShape(value, format, signer, 'image_generation', slots);

const signer = new UrlSigner('a-signing-secret-of-enough-length-0123456789', 'http://127.0.0.1:1', 3600);

function image(bytes: Buffer, extra: Partial<GeneratedImage> = {}): GeneratedImage {
  return {
    id: `img_${bytes.length}`,
    mimeType: 'image/png',
    extension: 'png',
    width: 8,
    height: 8,
    byteLength: bytes.length,
    data: bytes,
    ...extra,
  } as GeneratedImage;
}

function result(images: GeneratedImage[], extra: Partial<ImageResult> = {}): ImageResult {
  return {
    requestId: 'req_1',
    created: 1_700_000_000,
    model: 'openai/gpt-image-1',
    provider: 'openai',
    images,
    warnings: [
      {
        type: 'adjusted',
        feature: 'quality',
        message: 'quality "hd" is not supported; used "high" — ünïcode "quoted" \\ \u2028',
      },
    ],
    usage: { images: images.length, estimatedCostUsd: 0.04, inputTokens: 12, outputTokens: 4160 },
    vendorRequestIds: [],
    metadata: [],
    ...extra,
  };
}

const large = randomBytes(300_001);
// Bytes decoded from a vendor's answer: the answer copies the vendor's text instead of encoding them.
const fromVendor = (
  parseVendorJson(
    Buffer.from(JSON.stringify({ data: [{ b64_json: randomBytes(200_000).toString('base64') }] })),
    ['b64_json'],
  ) as { data: Array<{ b64_json: InlineImageBytes }> }
).data[0]!.b64_json.data;
const cases: Record<string, ImageResult> = {
  'vendor base64, revised_prompt, warnings, usage': result([
    image(large, { base64: large.toString('base64'), revisedPrompt: 'a "cat" \n on a ☂ mat \u0001' }),
    image(randomBytes(10), { revisedPrompt: '' }),
  ]),
  'our own encoding (no vendor string)': result([
    image(randomBytes(20_000)),
    image(randomBytes(20_001)),
    // Several 48 KiB encoding steps and a remainder that needs padding.
    image(randomBytes(3 * 48 * 1024 + 2)),
    image(randomBytes(20_002)),
  ]),
  'no usage tokens, no warnings': result([image(large, { base64: large.toString('base64') })], {
    warnings: [],
    usage: { images: 1, estimatedCostUsd: 0 },
  }),
  // A vendor string that is not plain base64 goes through JSON.stringify, escapes and all.
  'vendor string with characters JSON escapes': result([
    image(large, { base64: `${large.toString('base64')}"\\\n` }),
  ]),
  'a revised prompt that mimics a placeholder': result([
    image(large, { base64: large.toString('base64'), revisedPrompt: '\u0001uig-b64-0\u0001' }),
  ]),
  "bytes decoded from a vendor's answer (its text copied)": result([
    image(fromVendor),
    image(randomBytes(20_000)),
  ]),
  'small images (left to JSON.stringify)': result([
    image(Buffer.from('abc'), { base64: 'YWJj' }),
    image(randomBytes(100)),
  ]),
};

/** The answer's bytes as the socket receives them, chunks joined. */
const joined = (answer: ReturnType<JsonWithBase64['serialize']>) =>
  Array.isArray(answer) ? Buffer.concat(answer) : answer;

t.test('the spliced answer is byte for byte JSON.stringify of the same object', async (t) => {
  t.ok(vendorBase64Of(fromVendor), "the vendor's text is there to copy");
  for (const [name, value] of Object.entries(cases)) {
    for (const format of ['b64_json', 'url'] as const) {
      for (const [shape, build] of [
        ['openai', openaiResponse],
        ['native', nativeResponse],
      ] as const) {
        const slots = new JsonWithBase64();
        const spliced = joined(slots.serialize(build(value, format, signer, slots)));
        const expected = JSON.stringify(build(value, format, signer));
        t.equal(spliced.toString(), expected, `${name}, ${shape}, ${format}: same bytes`);
        t.same(
          JSON.parse(spliced.toString()),
          JSON.parse(expected),
          `${name}, ${shape}, ${format}: same parsed answer`,
        );
      }
    }
  }
  const slots = new JsonWithBase64();
  t.ok(
    Buffer.isBuffer(
      slots.serialize(
        openaiResponse(cases['vendor base64, revised_prompt, warnings, usage']!, 'b64_json', signer, slots),
      ),
    ),
    'large base64 is spliced (the path under test)',
  );
  const parsed = JSON.parse(joined(new JsonWithBase64().serialize({})).toString()) as unknown;
  t.same(parsed, {});
});

t.test("an answer with the vendor's text is chunks, that text a slice of the vendor's body", async (t) => {
  const value = cases["bytes decoded from a vendor's answer (its text copied)"]!;
  const slots = new JsonWithBase64();
  const chunks = slots.serialize(openaiResponse(value, 'b64_json', signer, slots));
  t.ok(Array.isArray(chunks), 'chunks');
  const text = vendorBase64Of(fromVendor)!;
  const shared = (chunks as Buffer[]).filter((chunk) => chunk.buffer === text.buffer);
  t.equal(shared.length, 1, "one chunk is the vendor body's own memory, not a copy");
  t.equal(
    Buffer.concat(chunks as Buffer[]).toString(),
    JSON.stringify(openaiResponse(value, 'b64_json', signer)),
  );
  const own = new JsonWithBase64();
  t.ok(
    Buffer.isBuffer(
      own.serialize(openaiResponse(cases['our own encoding (no vendor string)']!, 'b64_json', signer, own)),
    ),
    'without vendor text: one buffer',
  );
});

t.test('isPlainBase64 accepts only strings that decode without skipping a character', async (t) => {
  for (const length of [0, 1, 2, 3, 4, 5, 300]) {
    const bytes = randomBytes(length);
    t.ok(isPlainBase64(bytes.toString('base64'), bytes.length), `base64 of ${length} bytes`);
    t.ok(
      isPlainBase64(
        bytes.toString('base64url').padEnd(Math.ceil((length * 4) / 3 / 4) * 4, '='),
        bytes.length,
      ),
      `base64url of ${length} bytes`,
    );
  }
  for (const bad of ['YWJj"', 'YW\nJj', 'YWJ\\', 'YWJj\u00e9==', 'YW"j', 'Y W=', 'YWJ']) {
    t.notOk(isPlainBase64(bad, Buffer.from(bad, 'base64').length), JSON.stringify(bad));
  }
});
