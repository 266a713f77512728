import t from 'tap';
import { InvalidRequestError, isUigError, solidPng, type InputImage, type ProviderCall } from '@uig/core';
import { parseMultipart, type OpenAIFake } from '@uig/testkit';
import { call, inputImage, providerFor, startFake } from './helpers.js';

function partsOf(fake: OpenAIFake, index = 0) {
  const request = fake.requests[index]!;
  return parseMultipart(request.body, String(request.headers['content-type']))!;
}

const field = (parts: ReturnType<typeof partsOf>, name: string) =>
  parts.find((part) => part.name === name)?.data.toString('utf8');

t.test(
  'an edit with one image sends multipart `image` and the docs/providers/openai.md §2.4 fields as strings',
  async (t) => {
    const fake = await startFake(t);
    const image = inputImage(16, 16);
    const result = await providerFor(fake).edit!(
      call({
        images: [image],
        n: 2,
        size: { width: 1024, height: 1536 },
        quality: 'low',
        providerOptions: { input_fidelity: 'high', output_format: 'jpeg', output_compression: 60 },
      }),
    );
    t.equal(fake.requests[0]!.path, '/v1/images/edits');
    t.match(String(fake.requests[0]!.headers['content-type']), /^multipart\/form-data; boundary=/);
    const parts = partsOf(fake);
    const images = parts.filter((part) => part.name === 'image');
    t.equal(images.length, 1);
    t.same(images[0]!.data, Buffer.from(image.data));
    t.equal(images[0]!.contentType, 'image/png');
    t.same(
      Object.fromEntries(
        parts
          .filter((part) => part.filename === undefined)
          .map((part) => [part.name, part.data.toString('utf8')]),
      ),
      {
        model: 'gpt-image-1',
        prompt: 'a red fox in the snow',
        n: '2',
        size: '1024x1536',
        quality: 'low',
        output_format: 'jpeg',
        output_compression: '60',
        input_fidelity: 'high',
      },
    );
    t.notOk(field(parts, 'response_format'), 'never response_format for GPT image');
    t.equal(result.images.length, 2);
    t.equal(result.images[0]!.mimeType, 'image/jpeg');
    t.equal(result.usage?.inputTokens, Math.ceil('a red fox in the snow'.length / 4) + 323);
    t.equal(
      result.usage?.inputTokensDetails?.imageTokens,
      323,
      "the input image's tokens, as the vendor split them",
    );
  },
);

t.test('several images go as repeated image[] parts, in order, with the mask', async (t) => {
  const fake = await startFake(t);
  const images: InputImage[] = [
    inputImage(32, 32),
    { data: solidPng(24, 16), mimeType: 'image/png', width: 24, height: 16 },
    inputImage(8, 8),
  ];
  const mask = { ...inputImage(32, 32), data: solidPng(32, 32, [0, 0, 0, 0]) };
  const result = await providerFor(fake).edit!(call({ model: 'gpt-image-1.5', images, mask }));
  const parts = partsOf(fake);
  const sent = parts.filter((part) => part.name === 'image[]');
  t.equal(sent.length, 3);
  sent.forEach((part, index) => t.same(part.data, Buffer.from(images[index]!.data), `image ${index}`));
  t.notOk(parts.some((part) => part.name === 'image'));
  const maskPart = parts.find((part) => part.name === 'mask')!;
  t.same(maskPart.data, Buffer.from(mask.data));
  t.equal(maskPart.contentType, 'image/png');
  t.equal(result.usage?.inputTokens, Math.ceil('a red fox in the snow'.length / 4) + 3 * 323);
});

t.test('a dall-e-2 edit asks for b64_json and takes a square PNG with a mask', async (t) => {
  const fake = await startFake(t);
  const result = await providerFor(fake).edit!(
    call({
      model: 'dall-e-2',
      size: { width: 512, height: 512 },
      images: [inputImage(16, 16)],
      mask: inputImage(16, 16),
    }),
  );
  const parts = partsOf(fake);
  t.equal(field(parts, 'response_format'), 'b64_json');
  t.equal(field(parts, 'model'), 'dall-e-2');
  t.equal(result.images[0]!.kind, 'base64');
});

t.test(
  'mask and input-image rules are refused before any call (docs/providers/openai.md §2.4)',
  async (t) => {
    const fake = await startFake(t);
    const provider = providerFor(fake);
    const big = (image: InputImage, bytes: number): InputImage => ({ ...image, data: new Uint8Array(bytes) });
    const cases: Array<[string, Partial<ProviderCall>, string, string]> = [
      [
        'a JPEG mask',
        { images: [inputImage(16, 16)], mask: inputImage(16, 16, 'image/jpeg') },
        'mask',
        'INVALID_MASK',
      ],
      [
        'a mask of another size',
        { images: [inputImage(16, 16)], mask: inputImage(16, 8) },
        'mask',
        'INVALID_MASK',
      ],
      [
        'a mask sized like the second image, not the first',
        { images: [inputImage(16, 16), inputImage(8, 8)], mask: inputImage(8, 8) },
        'mask',
        'INVALID_MASK',
      ],
      [
        'a mask of 4 MB',
        { images: [inputImage(16, 16)], mask: big(inputImage(16, 16), 4 * 1024 * 1024) },
        'mask',
        'INVALID_MASK',
      ],
      ['a GIF input for GPT image', { images: [inputImage(16, 16, 'image/gif')] }, 'image', 'INVALID_IMAGE'],
      [
        'the second input is a GIF',
        { images: [inputImage(16, 16), inputImage(16, 16, 'image/gif')] },
        'image.1',
        'INVALID_IMAGE',
      ],
      [
        'an input of 50 MB',
        { images: [big(inputImage(16, 16), 50 * 1024 * 1024)] },
        'image',
        'INVALID_IMAGE',
      ],
      [
        'dall-e-2 with a non-square image',
        { model: 'dall-e-2', size: { width: 512, height: 512 }, images: [inputImage(32, 16)] },
        'image',
        'INVALID_IMAGE',
      ],
      [
        'dall-e-2 with a JPEG',
        { model: 'dall-e-2', size: { width: 512, height: 512 }, images: [inputImage(16, 16, 'image/jpeg')] },
        'image',
        'INVALID_IMAGE',
      ],
      [
        'dall-e-2 with 4 MB',
        {
          model: 'dall-e-2',
          size: { width: 512, height: 512 },
          images: [big(inputImage(16, 16), 4 * 1024 * 1024)],
        },
        'image',
        'INVALID_IMAGE',
      ],
    ];
    for (const [label, overrides, param, code] of cases) {
      const providerCall = call(overrides);
      t.throws(() => provider.check!(providerCall, 'edit'), InvalidRequestError, `${label}: check refuses`);
      const error = await provider.edit!(providerCall).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      t.equal(isUigError(error) && error.param, param, `${label}: param`);
      t.equal(isUigError(error) && error.code, code, `${label}: code`);
    }
    t.equal(fake.requests.length, 0, 'no request reached the fake');
  },
);
