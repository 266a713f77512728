import t from 'tap';
import { InvalidRequestError, UnsupportedCapabilityError, type ProviderCall } from '@uig/core';
import { dashScopeTriggers } from '@uig/testkit';
import { createWanxProvider, wanxEditFunctions, wanxOptionsSchema } from '../src/index.js';
import { callFor, caught, creates, editCallFor, pngInput, setup } from './helpers.js';

/** Each docs/providers/wanx.md §4.4 function with the options a caller would give it, and the parameters we expect sent. */
const functionCases: Array<{
  fn: (typeof wanxEditFunctions)[number];
  options: Record<string, unknown>;
  parameters: Record<string, unknown>;
  mask?: boolean;
}> = [
  { fn: 'description_edit', options: { strength: 0.3 }, parameters: { strength: 0.3 } },
  { fn: 'description_edit_with_mask', options: {}, parameters: {}, mask: true },
  { fn: 'stylization_all', options: { strength: 0.8 }, parameters: { strength: 0.8 } },
  { fn: 'stylization_local', options: {}, parameters: {} },
  { fn: 'remove_watermark', options: {}, parameters: {} },
  {
    fn: 'expand',
    options: { top_scale: 1.5, bottom_scale: 1.2, left_scale: 2, right_scale: 1 },
    parameters: { top_scale: 1.5, bottom_scale: 1.2, left_scale: 2, right_scale: 1 },
  },
  { fn: 'super_resolution', options: { upscale_factor: 2 }, parameters: { upscale_factor: 2 } },
  { fn: 'colorization', options: {}, parameters: {} },
  { fn: 'doodle', options: { is_sketch: true }, parameters: { is_sketch: true } },
  { fn: 'control_cartoon_feature', options: {}, parameters: {} },
];

t.test(
  'every edit function: the docs/providers/wanx.md §4.4 request shape the vendor receives, and a result',
  async (t) => {
    t.same(functionCases.map((entry) => entry.fn).sort(), [...wanxEditFunctions].sort());
    const { fake, provider } = await setup(t, { fake: { pendingPolls: 0, runningPolls: 0 } });
    for (const { fn, options, parameters, mask } of functionCases) {
      const call = editCallFor(fake, {
        n: 2,
        seed: 7,
        providerOptions: { function: fn, watermark: false, ...options },
        ...(mask ? { mask: pngInput() } : {}),
      });
      const result = await provider.edit!(call);
      t.equal(result.images.length, 2, fn);
      const body = creates(fake).at(-1)!;
      t.equal(body.path, '/api/v1/services/aigc/image2image/image-synthesis', fn);
      t.equal(body.headers['x-dashscope-async'], 'enable', fn);
      const json = body.json as any;
      t.match(json.input.base_image_url, /^http:\/\/127\.0\.0\.1:\d+\/files\//, fn);
      t.same(
        json,
        {
          model: 'wanx2.1-imageedit',
          input: {
            function: fn,
            prompt: 'make it ceramic',
            base_image_url: json.input.base_image_url,
            ...(mask ? { mask_image_url: json.input.mask_image_url } : {}),
          },
          parameters: { n: 2, seed: 7, watermark: false, ...parameters },
        },
        fn,
      );
      if (mask) t.not(json.input.mask_image_url, json.input.base_image_url, fn);
      // The fake fetched the inputs from the loopback URLs and found real images.
      t.equal(fake.lastTask!.outcome.kind, 'succeed', fn);
    }
  },
);

t.test('the default function: description_edit, or description_edit_with_mask with a mask', async (t) => {
  const { fake, provider } = await setup(t);
  await provider.edit!(editCallFor(fake));
  t.equal((creates(fake).at(-1)!.json as any).input.function, 'description_edit');
  await provider.edit!(editCallFor(fake, { mask: pngInput() }));
  t.equal((creates(fake).at(-1)!.json as any).input.function, 'description_edit_with_mask');
});

t.test(
  "no public URL: the inputs go through DashScope's temporary upload (getPolicy, form POST, oss:// with the resolve header)",
  async (t) => {
    const { fake, provider } = await setup(t);
    const { publicUrlFor: _unused, ...call } = editCallFor(fake, { mask: pngInput() });
    const result = await provider.edit!(call as ProviderCall);
    t.equal(result.images.length, 1);
    const policies = fake.requests.filter((request) => request.path.endsWith('/uploads'));
    t.equal(policies.length, 2, 'one policy per input (image and mask)');
    t.equal(policies[0]!.query.get('action'), 'getPolicy');
    t.equal(
      policies[0]!.query.get('model'),
      'wanx2.1-imageedit',
      'the policy names the model that reads the file',
    );
    t.equal(fake.uploads.files.size, 2, 'both files reached the upload host');
    const create = creates(fake).at(-1)!;
    const input = (create.json as any).input;
    t.match(input.base_image_url, /^oss:\/\/dashscope-instant\//);
    t.match(input.mask_image_url, /^oss:\/\//);
    t.equal(create.headers['x-dashscope-ossresourceresolve'], 'enable');
    t.equal(fake.lastTask!.outcome.kind, 'succeed', 'the fake read the uploaded files back');
  },
);

t.test('a public https URL the caller gave is passed through as it is, with no upload', async (t) => {
  const { fake, provider } = await setup(t, { fake: { fetchInputs: 'never' } });
  const image = { ...pngInput(), sourceUrl: 'https://images.example/cat.png' };
  const { publicUrlFor: _unused, ...call } = editCallFor(fake, { images: [image] });
  await provider.edit!(call as ProviderCall);
  t.equal((creates(fake).at(-1)!.json as any).input.base_image_url, 'https://images.example/cat.png');
  t.equal(fake.uploads.files.size, 0);
  t.notOk(creates(fake).at(-1)!.headers['x-dashscope-ossresourceresolve']);
});

t.test('without the resolve header the fake refuses oss:// inputs, as the vendor does', async (t) => {
  const { fake } = await setup(t);
  const response = await fetch(`${fake.apiBaseURL}/services/aigc/image2image/image-synthesis`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer sk-test',
      'content-type': 'application/json',
      'x-dashscope-async': 'enable',
    },
    body: JSON.stringify({
      model: 'wanx2.1-imageedit',
      input: { function: 'description_edit', prompt: 'x', base_image_url: 'oss://dashscope-instant/a/b.png' },
    }),
  });
  t.equal(response.status, 400);
  t.equal(((await response.json()) as { code: string }).code, 'InvalidParameter');
});

t.test(
  'publicUrlFor refusing (core without UIG_PUBLIC_URL) passes its 400 through, with no upstream call',
  async (t) => {
    const { fake, provider } = await setup(t);
    const refusal = new InvalidRequestError('no public URL', { code: 'PUBLIC_URL_REQUIRED', param: 'image' });
    const error = await caught(
      t,
      provider.edit!(editCallFor(fake, { publicUrlFor: async () => Promise.reject(refusal) })),
    );
    t.equal(error, refusal);
    t.equal(fake.requests.length, 0);
  },
);

t.test(
  'a loopback public URL is not handed to a vendor on the internet: the upload runs instead',
  async (t) => {
    const fetched: string[] = [];
    const provider = createWanxProvider({
      id: 'wanx',
      // Any non-loopback vendor host will do; fetch is a stub, so nothing is dialled.
      baseURL: 'https://vendor.example/api/v1',
      fetch: async (url) => {
        fetched.push(String(url));
        throw new Error('no network in tests');
      },
      options: {},
    });
    for (const url of ['http://127.0.0.1:8080/v1/images/x/content?sig=1', 'http://192.168.1.10/x']) {
      const call = callFor({
        model: 'wanx2.1-imageedit',
        size: undefined,
        images: [pngInput()],
        publicUrlFor: async () => url,
      });
      await caught(t, provider.edit!(call));
    }
    t.same(
      fetched,
      [
        'https://vendor.example/api/v1/uploads?action=getPolicy&model=wanx2.1-imageedit',
        'https://vendor.example/api/v1/uploads?action=getPolicy&model=wanx2.1-imageedit',
      ],
      'the first call asks for an upload policy; the loopback URL never reaches the vendor',
    );
  },
);

t.test('input and mask checks before any call (docs/providers/wanx.md §4.4)', async (t) => {
  const { fake, provider } = await setup(t);
  const cases: Array<[string, Partial<ProviderCall>, string, string]> = [
    [
      'a mask with a function that takes none',
      { mask: pngInput(), providerOptions: { function: 'colorization' } },
      'MASK_NOT_SUPPORTED',
      'mask',
    ],
    [
      'description_edit_with_mask without a mask',
      { providerOptions: { function: 'description_edit_with_mask' } },
      'MASK_REQUIRED',
      'mask',
    ],
    ['a mask of another size', { mask: pngInput(640, 512) }, 'MASK_SIZE_MISMATCH', 'mask'],
    ['a GIF', { images: [{ ...pngInput(), mimeType: 'image/gif' }] }, 'UNSUPPORTED_IMAGE_FORMAT', 'image'],
    ['an image under 512 px', { images: [pngInput(511, 600)] }, 'INVALID_IMAGE_SIZE', 'image'],
    ['an image over 4096 px', { images: [{ ...pngInput(), width: 4097 }] }, 'INVALID_IMAGE_SIZE', 'image'],
    [
      'an image over 10 MB',
      { images: [{ ...pngInput(), data: new Uint8Array(10 * 1024 * 1024 + 1) }] },
      'IMAGE_TOO_LARGE',
      'image',
    ],
    ['no image', { images: [] }, 'IMAGE_REQUIRED', 'image'],
    ['two images', { images: [pngInput(), pngInput()] }, 'TOO_MANY_IMAGES', 'image'],
    [
      'a parameter of another function',
      { providerOptions: { function: 'expand', strength: 0.5 } },
      'INVALID_PROVIDER_OPTION',
      'provider_options.wanx.strength',
    ],
    [
      'strength with the default function is fine, upscale_factor is not',
      { providerOptions: { upscale_factor: 2 } },
      'INVALID_PROVIDER_OPTION',
      'provider_options.wanx.upscale_factor',
    ],
    [
      'prompt_extend on an edit',
      { providerOptions: { prompt_extend: true } },
      'INVALID_PROVIDER_OPTION',
      'provider_options.wanx.prompt_extend',
    ],
    ['a prompt over 800 characters', { prompt: 'x'.repeat(801) }, 'PROMPT_TOO_LONG', 'prompt'],
  ];
  for (const [name, overrides, code, param] of cases) {
    const call = editCallFor(fake, overrides);
    const error = await caught(t, provider.edit!(call));
    t.type(error, InvalidRequestError, name);
    t.equal(error.code, code, name);
    t.equal(error.param, param, name);
    t.throws(() => provider.check!(call, 'edit'), { code }, name);
  }
  t.equal(fake.requests.filter((request) => !request.path.startsWith('/files/')).length, 0);
  t.same(provider.check!(editCallFor(fake, { providerOptions: { strength: 0.5 } }), 'edit'), []);
});

t.test('a size on an edit is a warning, not a silent drop', async (t) => {
  const { fake, provider } = await setup(t);
  const warnings = provider.check!(editCallFor(fake, { size: { width: 1024, height: 1024 } }), 'edit');
  t.equal(warnings.length, 1);
  t.equal(warnings[0]!.type, 'unsupported');
  t.equal(warnings[0]!.feature, 'size');
  const result = await provider.edit!(editCallFor(fake, { size: { width: 1024, height: 1024 } }));
  t.equal(result.warnings[0]?.feature, 'size');
  t.notOk('size' in (creates(fake).at(-1)!.json as any).parameters);
});

t.test('models and kinds: text-to-image models do not edit, the edit model does not generate', async (t) => {
  const { fake, provider } = await setup(t);
  const editWithT2i = await caught(t, provider.edit!(editCallFor(fake, { model: 'wanx2.1-t2i-turbo' })));
  t.type(editWithT2i, UnsupportedCapabilityError);
  t.equal(editWithT2i.code, 'EDIT_NOT_SUPPORTED');
  const generateWithEdit = await caught(t, provider.generate(editCallFor(fake, { images: [] })));
  t.type(generateWithEdit, UnsupportedCapabilityError);
  t.equal(generateWithEdit.code, 'IMAGE_REQUIRED');
  const edit = provider.models.find((model) => model.id === 'wanx2.1-imageedit')!;
  t.match(edit.capabilities, {
    generate: false,
    edit: true,
    mask: true,
    maxImagesPerCall: 4,
    maxInputImages: 1,
    delivery: 'url',
    longRunning: true,
  });
});

t.test('edit options are strict and ranged (docs/providers/wanx.md §4.4)', async (t) => {
  const bad: Array<Record<string, unknown>> = [
    { function: 'sharpen' },
    { strength: 1.5 },
    { strength: -0.1 },
    { top_scale: 0.9 },
    { right_scale: 2.1 },
    { upscale_factor: 5 },
    { upscale_factor: 1.5 },
    { is_sketch: 'yes' },
    { mask_strength: 1 },
  ];
  for (const options of bad) t.notOk(wanxOptionsSchema.safeParse(options).success, JSON.stringify(options));
  t.ok(wanxOptionsSchema.safeParse({ function: null, strength: null }).success);
  t.ok(wanxOptionsSchema.safeParse({ function: 'expand', top_scale: 1, bottom_scale: 2 }).success);
});

t.test('an edit task that fails upstream on its input maps the vendor code', async (t) => {
  const { fake, provider } = await setup(t);
  // The fake fetches the served bytes; a too-small image slips past only if check() is bypassed.
  const call = editCallFor(fake, {
    publicUrlFor: async () => fake.serveFile(Buffer.from(pngInput(8, 8).data)),
  });
  const error = await caught(t, provider.edit!(call));
  t.type(error, InvalidRequestError);
  t.equal(error.vendorCode, 'InvalidParameter');
  const refused = await caught(
    t,
    provider.edit!(editCallFor(fake, { prompt: dashScopeTriggers.taskFailed('DataInspectionFailed') })),
  );
  t.equal(refused.code, 'CONTENT_POLICY_VIOLATION');
});
