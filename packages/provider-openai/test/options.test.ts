import t from 'tap';
import { InvalidRequestError, isUigError } from '@uig/core';
import { call, inputImage, providerFor, startFake } from './helpers.js';

t.test('the options schema is strict and takes nulls as "not given"', async (t) => {
  const fake = await startFake(t);
  const schema = providerFor(fake).optionsSchema;
  t.ok(schema.safeParse({ style: 'vivid', background: null, partial_images: 3 }).success);
  const typo = schema.safeParse({ backgroud: 'transparent' });
  t.notOk(typo.success);
  t.equal(typo.error?.issues[0]?.code, 'unrecognized_keys');
  t.notOk(schema.safeParse({ output_compression: 101 }).success);
  t.notOk(schema.safeParse({ partial_images: 4 }).success);
  t.notOk(schema.safeParse({ moderation: 'strict' }).success);
});

type Case = [
  label: string,
  model: string,
  kind: 'generate' | 'edit',
  options: Record<string, unknown>,
  field: string,
];

const refusals: Case[] = [
  ['style on a GPT-image model', 'gpt-image-1', 'generate', { style: 'vivid' }, 'style'],
  ['style on dall-e-2', 'dall-e-2', 'generate', { style: 'natural' }, 'style'],
  ['background on dall-e-3', 'dall-e-3', 'generate', { background: 'opaque' }, 'background'],
  ['output_format on dall-e-2', 'dall-e-2', 'generate', { output_format: 'png' }, 'output_format'],
  [
    'output_compression on dall-e-3',
    'dall-e-3',
    'generate',
    { output_compression: 50 },
    'output_compression',
  ],
  ['moderation on dall-e-3', 'dall-e-3', 'generate', { moderation: 'low' }, 'moderation'],
  ['stream on dall-e-3', 'dall-e-3', 'generate', { stream: true }, 'stream'],
  ['partial_images on dall-e-2', 'dall-e-2', 'generate', { partial_images: 1 }, 'partial_images'],
  [
    'transparent with jpeg',
    'gpt-image-1',
    'generate',
    { background: 'transparent', output_format: 'jpeg' },
    'background',
  ],
  [
    'compression with png',
    'gpt-image-1',
    'generate',
    { output_compression: 50, output_format: 'png' },
    'output_compression',
  ],
  [
    'compression with the default format (png)',
    'gpt-image-1',
    'generate',
    { output_compression: 50 },
    'output_compression',
  ],
  ['moderation on an edit', 'gpt-image-1', 'edit', { moderation: 'low' }, 'moderation'],
  ['input_fidelity on a generation', 'gpt-image-1', 'generate', { input_fidelity: 'high' }, 'input_fidelity'],
  [
    'input_fidelity on gpt-image-1-mini',
    'gpt-image-1-mini',
    'edit',
    { input_fidelity: 'high' },
    'input_fidelity',
  ],
  ['input_fidelity on dall-e-2', 'dall-e-2', 'edit', { input_fidelity: 'low' }, 'input_fidelity'],
  [
    'partial_images with stream false',
    'gpt-image-1',
    'generate',
    { stream: false, partial_images: 2 },
    'partial_images',
  ],
];

t.test('model-specific option rules are refused before any call, naming the option', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  for (const [label, model, kind, options, field] of refusals) {
    const images = kind === 'edit' ? [inputImage(16, 16)] : [];
    const size = model === 'dall-e-2' ? { width: 512, height: 512 } : { width: 1024, height: 1024 };
    const providerCall = call({ model, images, size, providerOptions: options });
    const checked = (() => {
      try {
        provider.check!(providerCall, kind);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    t.ok(checked instanceof InvalidRequestError, `${label}: check refuses`);
    t.equal(isUigError(checked) && checked.param, `provider_options.openai.${field}`, `${label}: param`);
    t.equal(isUigError(checked) && checked.code, 'INVALID_PROVIDER_OPTION', `${label}: code`);
    // The adapter refuses on its own too, when called without core's check first.
    const invoke = kind === 'edit' ? provider.edit!(providerCall) : provider.generate(providerCall);
    await t.rejects(invoke, InvalidRequestError, `${label}: generate/edit refuses`);
  }
  t.equal(fake.requests.length, 0, 'no request reached the fake');
});

t.test('accepted option combinations reach the fake and are accepted there', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  const accepted: Array<[string, 'generate' | 'edit', Record<string, unknown>]> = [
    ['gpt-image-1', 'generate', { background: 'transparent', output_format: 'png' }],
    ['gpt-image-1', 'generate', { background: 'transparent', output_format: 'webp', output_compression: 0 }],
    ['gpt-image-1', 'generate', { output_format: 'jpeg', output_compression: 100, moderation: 'auto' }],
    ['gpt-image-1-mini', 'edit', { background: 'opaque', output_format: 'jpeg' }],
    ['gpt-image-1.5', 'edit', { input_fidelity: 'high', user: 'u-1' }],
    ['dall-e-3', 'generate', { style: 'vivid', user: 'u-1' }],
  ];
  for (const [model, kind, options] of accepted) {
    const providerCall = call({
      model,
      images: kind === 'edit' ? [inputImage(16, 16)] : [],
      providerOptions: options,
    });
    t.same(provider.check!(providerCall, kind), [], `${model} ${JSON.stringify(options)}: no warnings`);
    const result = await (kind === 'edit' ? provider.edit!(providerCall) : provider.generate(providerCall));
    t.equal(result.images.length, 1, `${model} ${JSON.stringify(options)}`);
  }
  t.equal(fake.requests.length, accepted.length);
});
