import t from 'tap';
import { existsSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { ConfigError, sniffImage, solidPng } from '@uig/core';
import { createCogviewFake, FakeUpstream } from '@uig/testkit';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadMcpSettings } from '../src/mcp-settings.js';
import { silentLogger } from '../src/logger.js';
import { startHttpServer } from '../src/http-server.js';
import {
  connectHttp,
  imageBlocks,
  pngSignature,
  startHttp,
  textOf,
  waitFor,
  watchAbandonedRequests,
} from './helpers.js';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const post = (endpoint: URL, headers: Record<string, string> = {}, body: unknown = initialize) =>
  fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });

const call = async (
  client: Awaited<ReturnType<typeof connectHttp>>,
  name: string,
  args: Record<string, unknown>,
) => (await client.callTool({ name, arguments: args })) as CallToolResult;

t.test(
  'tools/list: each tool has a title, input and output schemas, annotations and a model list',
  async (t) => {
    const { endpoint, runtime } = await startHttp(t);
    const client = await connectHttp(t, endpoint);
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    t.same([...byName.keys()].sort(), [
      'edit_image',
      'generate_image',
      'generate_image_from_text',
      'get_image_job',
      'list_models',
      'transform_image_from_encoded',
      'transform_image_from_file',
      'transform_image_from_url',
    ]);
    for (const tool of tools) {
      t.ok(tool.title, `${tool.name} has a title`);
      t.ok(tool.outputSchema, `${tool.name} has an output schema`);
      t.same(
        tool.annotations,
        tool.name === 'get_image_job'
          ? { readOnlyHint: false, openWorldHint: false, idempotentHint: true, destructiveHint: false }
          : { readOnlyHint: false, openWorldHint: true, idempotentHint: false, destructiveHint: false },
        `${tool.name} annotations`,
      );
    }
    const generate = byName.get('generate_image')!;
    t.same(Object.keys(generate.inputSchema.properties ?? {}).sort(), [
      'aspect_ratio',
      'full_size',
      'model',
      'n',
      'negative_prompt',
      'prompt',
      'prompt_optimization',
      'provider_options',
      'quality',
      'seed',
      'size',
    ]);
    t.same(generate.inputSchema.required, ['prompt']);
    t.equal(
      (generate.inputSchema as { additionalProperties?: unknown }).additionalProperties,
      false,
      'unknown arguments are refused, not dropped',
    );
    t.match(
      generate.description,
      runtime.registry.defaultName(),
      'the description lists the configured models',
    );
    t.match(generate.description, /\/image|free|cost/);
    t.ok(byName.get('edit_image')!.inputSchema.required?.includes('image'));
    t.same(Object.keys(byName.get('transform_image_from_url')!.inputSchema.properties ?? {}).sort(), [
      'function',
      'image_url',
      'mask_image_url',
      'prompt',
    ]);
    t.same(Object.keys(byName.get('generate_image_from_text')!.inputSchema.properties ?? {}).sort(), [
      'model_type',
      'prompt',
    ]);
  },
);

t.test(
  'generate through local: a valid PNG image block, a resource link, structured content, a saved file, a working URL',
  async (t) => {
    const { endpoint, settings } = await startHttp(t);
    const client = await connectHttp(t, endpoint);
    const result = await call(client, 'generate_image', { prompt: 'a lighthouse at dusk', size: '256x192' });
    t.notOk(result.isError, textOf(result));
    const [block] = imageBlocks(result);
    const bytes = Buffer.from(block!.data, 'base64');
    t.same(bytes.subarray(0, 8), pngSignature);
    t.match(sniffImage(bytes), { mimeType: 'image/png', width: 256, height: 192 });
    t.ok(block!.data.length < 1024 * 1024);

    const structured = result.structuredContent as {
      images: Array<Record<string, unknown>>;
      model: string;
      provider: string;
      usage: { images: number };
    };
    t.equal(structured.provider, 'local');
    t.equal(structured.usage.images, 1);
    const image = structured.images[0]!;
    t.match(image, {
      mime_type: 'image/png',
      width: 256,
      height: 192,
      resource_uri: `uig://images/${image.id}`,
    });
    t.match(
      String(image.path),
      new RegExp(`^${settings.outputRoot}/\\d{8}T\\d{6}Z-${image.id}\\.png$`),
      'a generated name under the output root',
    );
    t.ok(existsSync(String(image.path)));
    t.match(textOf(result), String(image.path));
    t.match(textOf(result), String(image.url));
    const link = result.content.find((entry) => entry.type === 'resource_link');
    t.match(link, { uri: image.resource_uri, mimeType: 'image/png' });

    const served = await fetch(String(image.url));
    t.equal(served.status, 200, 'the signed URL is served by this server');
    t.same(Buffer.from(await served.arrayBuffer()), bytes);
    const forged = new URL(String(image.url));
    forged.searchParams.set('signature', 'x');
    t.equal((await fetch(forged)).status, 403);

    const { resources } = await client.listResources();
    t.equal(resources[0]?.uri, image.resource_uri, 'resources/list shows the recent image');
    const read = await client.readResource({ uri: String(image.resource_uri) });
    const content = read.contents[0] as { blob: string; mimeType: string };
    t.equal(content.mimeType, 'image/png');
    t.same(Buffer.from(content.blob, 'base64'), bytes);
    await t.rejects(
      client.readResource({ uri: `uig://images/${'0'.repeat(32)}` }),
      'an unknown image is a resource error',
    );

    const large = await call(client, 'generate_image', { prompt: 'a wide panorama', size: '2048x1536' });
    const preview = Buffer.from(imageBlocks(large)[0]!.data, 'base64');
    t.ok(imageBlocks(large)[0]!.data.length < 1024 * 1024, 'the inline block stays under 1 MiB');
    t.match(
      sniffImage(preview),
      { mimeType: 'image/png', width: 1024, height: 768 },
      'a large image comes as a downscaled preview',
    );
    t.match(
      (large.structuredContent as { images: Array<{ width: number }> }).images[0],
      { width: 2048, height: 1536 },
      'the saved image is full size',
    );
    t.match(textOf(large), /preview/);
  },
);

t.test('edit_image takes a data URI, a stored id and an output file; other files are refused', async (t) => {
  const { endpoint, dataDir } = await startHttp(t);
  const client = await connectHttp(t, endpoint);
  const source = solidPng(64, 64, [10, 200, 10, 255]);
  const fromDataUri = await call(client, 'edit_image', {
    prompt: 'make it red',
    image: `data:image/png;base64,${source.toString('base64')}`,
  });
  t.notOk(fromDataUri.isError, textOf(fromDataUri));
  const first = (fromDataUri.structuredContent as { images: Array<{ id: string; path: string }> }).images[0]!;
  t.same(imageBlocks(fromDataUri).length, 1);

  const fromId = await call(client, 'edit_image', { prompt: 'again', image: first.id });
  t.notOk(fromId.isError, textOf(fromId));
  const fromFile = await call(client, 'edit_image', { prompt: 'again', image: first.path });
  t.notOk(fromFile.isError, textOf(fromFile));

  // Over HTTP only the output root is readable by default: not the data dir, not the cwd.
  const outside = join(dataDir, 'outside.png');
  writeFileSync(outside, source);
  const refused = await call(client, 'edit_image', { prompt: 'x', image: outside });
  t.ok(refused.isError);
  t.match(textOf(refused), /PATH_NOT_ALLOWED/);
  const escape = await call(client, 'edit_image', { prompt: 'x', image: `${first.path}/../../outside.png` });
  t.match(textOf(escape), /PATH_NOT_ALLOWED|FILE_NOT_FOUND/);

  const seed = await call(client, 'transform_image_from_file', {
    image_file_path: first.path,
    prompt: 'sepia',
  });
  t.notOk(seed.isError, textOf(seed));
  t.match(textOf(seed), /^Image transformed and saved to: \//);
  const badEncoding = await call(client, 'transform_image_from_encoded', {
    encoded_image: 'aGVsbG8=',
    prompt: 'x',
  });
  t.ok(badEncoding.isError);
  t.match(textOf(badEncoding), /^Error transforming image: Invalid image format/);
});

t.test('list_models and a bad argument', async (t) => {
  const { endpoint, runtime } = await startHttp(t);
  const client = await connectHttp(t, endpoint);
  const listed = await call(client, 'list_models', {});
  const structured = listed.structuredContent as {
    default_model: string;
    models: Array<{ id: string; default: boolean; capabilities: { generate: boolean } }>;
  };
  t.equal(structured.default_model, runtime.registry.defaultName());
  t.same(
    structured.models.map((model) => model.id).sort(),
    runtime.registry
      .list()
      .map((model) => model.name)
      .sort(),
  );
  t.ok(structured.models.find((model) => model.default)?.capabilities.generate);

  const unknown = await call(client, 'generate_image', { prompt: 'x', colour: 'red' });
  t.ok(unknown.isError, 'an unknown argument is an error result the model can read');
  t.match(textOf(unknown), /colour/);
  const badModel = await call(client, 'generate_image', { prompt: 'x', model: 'nope/nothing' });
  t.ok(badModel.isError);
  t.match(textOf(badModel), /MODEL_NOT_FOUND.*list_models/);
});

t.test('client keys: 401 without or with a wrong key, the model allowlist as an error result', async (t) => {
  const { endpoint } = await startHttp(
    t,
    (dir) => ({ UIG_API_KEYS: 'full-key', UIG_CONFIG: join(dir, 'uig.yaml') }),
    {
      files: {
        'uig.yaml': 'clients:\n  - name: cogview-only\n    key: limited-key\n    models: ["cogview/*"]\n',
      },
    },
  );
  for (const headers of [{}, { authorization: 'Bearer wrong-key' }] as Record<string, string>[]) {
    const response = await post(endpoint, headers);
    t.equal(response.status, 401);
    t.match(response.headers.get('www-authenticate'), /^Bearer realm="uig"/);
  }
  await t.rejects(connectHttp(t, endpoint, 'wrong-key'), 'the SDK client cannot connect with a wrong key');

  const full = await connectHttp(t, endpoint, 'full-key');
  t.notOk((await call(full, 'generate_image', { prompt: 'ok', size: '64x64' })).isError);

  const limited = await connectHttp(t, endpoint, 'limited-key');
  const refused = await call(limited, 'generate_image', { prompt: 'not allowed' });
  t.ok(refused.isError);
  t.match(textOf(refused), /MODEL_NOT_ALLOWED/);
  const listed = await call(limited, 'list_models', {});
  t.same(
    (listed.structuredContent as { models: unknown[] }).models,
    [],
    'list_models shows only the key’s models',
  );
  const { resources } = await limited.listResources();
  t.same(resources, [], 'another key’s images are not listed');
});

t.test('Origin and Host are checked; only POST is served; a public bind needs keys', async (t) => {
  const { endpoint, runtime, env } = await startHttp(t);
  t.equal((await post(endpoint, { origin: 'https://evil.example' })).status, 403);
  t.equal((await post(endpoint, { origin: `http://localhost:${endpoint.port}` })).status, 200);
  t.equal((await fetch(endpoint, { method: 'GET', headers: { accept: 'text/event-stream' } })).status, 405);
  const hostStatus = await new Promise<number>((resolve, reject) => {
    const request = httpRequest(
      endpoint,
      {
        method: 'POST',
        headers: {
          host: `evil.example:${endpoint.port}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(initialize));
  });
  t.equal(hostStatus, 403, 'a DNS-rebinding Host is refused');
  const publicSettings = loadMcpSettings({ env, config: runtime.config, transport: 'http', host: '0.0.0.0' });
  await t.rejects(
    startHttpServer({
      runtime,
      settings: publicSettings,
      env,
      logger: silentLogger,
      host: '0.0.0.0',
      port: 0,
    }),
    ConfigError,
  );
});

t.test('cancelling a call over HTTP closes the vendor connection', async (t) => {
  const fake = await createCogviewFake().start();
  t.teardown(() => fake.close());
  const abandoned = watchAbandonedRequests(fake);
  const outcomes: string[] = [];
  const { endpoint } = await startHttp(
    t,
    { ZHIPU_API_KEY: 'k', ZHIPU_BASE_URL: fake.apiBaseURL },
    {
      runtime: {
        observer: { upstreamCall: (_provider, _model, _latency, outcome) => outcomes.push(outcome) },
      },
    },
  );
  const client = await connectHttp(t, endpoint);
  fake.inject({ fault: { kind: 'delay', ms: 30_000 } });
  const controller = new AbortController();
  const pending = client.callTool(
    { name: 'generate_image', arguments: { prompt: 'slow', model: 'cogview/cogview-4-250304' } },
    CallToolResultSchema,
    { signal: controller.signal },
  );
  t.ok(await waitFor(() => fake.callsTo('/images/generations').length === 1), 'the vendor call started');
  controller.abort();
  await t.rejects(pending);
  t.ok(
    await waitFor(() => abandoned.count() === 1, 3000),
    'the fake saw the connection close before answering',
  );
  t.ok(
    await waitFor(() => outcomes.includes('REQUEST_ABORTED'), 3000),
    'the service stopped the call as aborted',
  );
});

t.test('per-client limits: a key over its rpm gets an error result with the wait', async (t) => {
  const { endpoint } = await startHttp(t, (dir) => ({ UIG_CONFIG: join(dir, 'uig.yaml') }), {
    files: { 'uig.yaml': 'clients:\n  - name: slow\n    key: slow-key\n    limits: { rpm: 1 }\n' },
  });
  const client = await connectHttp(t, endpoint, 'slow-key');
  t.notOk((await call(client, 'generate_image', { prompt: 'one', size: '64x64' })).isError);
  const second = await call(client, 'generate_image', { prompt: 'two', size: '64x64' });
  t.ok(second.isError);
  t.match(textOf(second), /RATE_LIMIT_EXCEEDED.*Retry after \d+ s/);
});

t.test(
  'transform_image_from_url fetches through the SSRF guard; a non-WanX model warns about function',
  async (t) => {
    const upstream = await new FakeUpstream().start();
    t.teardown(() => upstream.close());
    const imageUrl = upstream.serveFile(solidPng(80, 80));
    const guarded = await startHttp(t);
    const refused = await call(await connectHttp(t, guarded.endpoint), 'transform_image_from_url', {
      image_url: imageUrl,
      prompt: 'x',
    });
    t.ok(refused.isError, 'a loopback URL is refused by default');
    t.match(textOf(refused), /IMAGE_URL_FORBIDDEN/);

    const open = await startHttp(t, (dir) => ({ UIG_CONFIG: join(dir, 'uig.yaml') }), {
      files: { 'uig.yaml': 'limits:\n  allowPrivateInputUrls: true\n' },
    });
    const client = await connectHttp(t, open.endpoint);
    const result = await call(client, 'transform_image_from_url', {
      image_url: imageUrl,
      prompt: 'x',
      function: 'colorization',
    });
    t.notOk(result.isError, textOf(result));
    t.match(textOf(result), /^Image transformed and saved to: /);
    t.match((result.structuredContent as { warnings: unknown[] }).warnings, [
      { type: 'unsupported', feature: 'function' },
    ]);
    const encoded = await call(client, 'transform_image_from_encoded', {
      encoded_image: `data:image/png;base64,${solidPng(64, 64).toString('base64')}`,
      prompt: 'x',
    });
    t.notOk(encoded.isError, textOf(encoded));
  },
);

t.test('progress over HTTP arrives on the call’s stream and resets the client timeout', async (t) => {
  const fake = await createCogviewFake({ latencyMs: 1500 }).start();
  t.teardown(() => fake.close());
  const { endpoint } = await startHttp(t, {
    ZHIPU_API_KEY: 'k',
    ZHIPU_BASE_URL: fake.apiBaseURL,
    UIG_MCP_PROGRESS_INTERVAL_MS: '300',
  });
  const client = await connectHttp(t, endpoint);
  const progress: number[] = [];
  const result = (await client.callTool(
    { name: 'generate_image', arguments: { prompt: 'slow', model: 'cogview/cogview-4-250304' } },
    CallToolResultSchema,
    {
      timeout: 1000,
      resetTimeoutOnProgress: true,
      onprogress: (notification) => progress.push(notification.progress),
    },
  )) as CallToolResult;
  t.notOk(result.isError, textOf(result));
  t.ok(progress.length >= 4, `${progress.length} notifications`);
  t.same(
    progress,
    [...progress].sort((a, b) => a - b),
    'progress only increases',
  );
});
