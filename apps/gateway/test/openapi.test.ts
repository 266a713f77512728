import {
  nativeImageRequestSchema,
  openaiEditFieldsSchema,
  openaiGenerationRequestSchema,
  openaiVariationFieldsSchema,
  solidPng,
} from '@uig/core';
import Fastify, { type RouteOptions } from 'fastify';
import t, { type Test } from 'tap';
import { z } from 'zod';
import { registerOpenApi } from '../src/api-docs.js';
import { multipartBody, startGateway } from './helpers.js';

type Operation = {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
};
type Document = {
  openapi: string;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<
      string,
      { properties: Record<string, Record<string, unknown>> } & Record<string, unknown>
    >;
  };
};

/**
 * Routes a document leaves out on purpose: HEAD twins of GET routes, and routes that say
 * `hide: true` in their schema (static assets, the /v1/models/* wildcard OpenAPI cannot
 * write). Any other route must declare its answers and be in the document: a route added
 * without a schema fails here (@fastify/swagger would list it with a bare "Default
 * Response", which says nothing).
 */
function undocumented(routes: RouteOptions[], document: Pick<Document, 'paths'>): string[] {
  const missing: string[] = [];
  for (const route of routes) {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      if ((route.schema as { hide?: boolean } | undefined)?.hide === true) continue;
      const path = route.url.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1');
      const declared = (route.schema as { response?: object } | undefined)?.response !== undefined;
      if (!declared || !document.paths[path]?.[method.toLowerCase()]) missing.push(`${method} ${route.url}`);
    }
  }
  return missing;
}

async function documentOf(t: Test) {
  const gateway = await startGateway(t);
  const response = await gateway.app.inject({ method: 'GET', url: '/openapi.json' });
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /application\/json/);
  return { ...gateway, document: response.json() as Document };
}

t.test('every registered route is in the document, and every documented operation is a route', async (t) => {
  const { app, document } = await documentOf(t);
  t.equal(document.openapi, '3.1.0');
  t.same(undocumented(app.uig.routes, document), [], 'no route without a schema');
  for (const [path, item] of Object.entries(document.paths))
    for (const method of Object.keys(item))
      t.ok(
        app.hasRoute({ method: method.toUpperCase() as 'GET', url: path.replace(/\{(\w+)\}/g, ':$1') }) ||
          app.hasRoute({ method: method.toUpperCase() as 'GET', url: `${path}/` }),
        `${method.toUpperCase()} ${path} is a real route`,
      );
  for (const [method, path] of [
    ['post', '/v1/images/generations'],
    ['post', '/v1/images/edits'],
    ['post', '/v1/images/variations'],
    ['post', '/v1/images'],
    ['get', '/v1/images'],
    ['get', '/v1/images/{id}/content'],
    ['get', '/v1/models'],
    ['get', '/v1/models/{id}'],
    ['get', '/v1/jobs'],
    ['get', '/v1/jobs/{id}'],
    ['delete', '/v1/jobs/{id}'],
    ['get', '/v1/jobs/{id}/events'],
    ['get', '/healthz'],
    ['get', '/readyz'],
    ['get', '/metrics'],
    ['get', '/openapi.json'],
    ['get', '/docs'],
    ['get', '/'],
  ] as const)
    t.ok(document.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
});

t.test('a route added without a schema is caught', async (t) => {
  const app = Fastify();
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => void routes.push(route));
  await registerOpenApi(app);
  app.get('/v1/new-thing', async () => ({ ok: true }));
  app.get('/v1/hidden-asset', { schema: { hide: true } }, async () => 'x');
  await app.ready();
  t.teardown(() => app.close());
  t.same(undocumented(routes, app.swagger() as unknown as Document), ['GET /v1/new-thing']);
});

t.test('request bodies are the schemas the routes validate with', async (t) => {
  const { document } = await documentOf(t);
  const schemas = document.components.schemas;
  const bodyOf = (path: string, type = 'application/json') => {
    const reference = document.paths[path]!.post!.requestBody!.content[type]!.schema.$ref!;
    return schemas[reference.split('/').pop()!]!;
  };
  const pairs: Array<[string, string, z.ZodType]> = [
    ['/v1/images/generations', 'application/json', openaiGenerationRequestSchema],
    ['/v1/images', 'application/json', nativeImageRequestSchema],
    ['/v1/images/edits', 'multipart/form-data', openaiEditFieldsSchema],
    ['/v1/images/variations', 'multipart/form-data', openaiVariationFieldsSchema],
  ];
  for (const [path, type, schema] of pairs) {
    const expected = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
      properties: Record<string, { description?: string }>;
      required: string[];
    };
    const documented = bodyOf(path, type);
    t.equal(documented.additionalProperties, false, `${path}: unknown fields refused`);
    for (const [field, property] of Object.entries(expected.properties)) {
      const { description, ...rest } = documented.properties[field] ?? {};
      const { description: _none, ...expectedRest } = property;
      t.same(rest, expectedRest, `${path} ${field}: the same constraints`);
      t.type(description, 'string', `${path} ${field}: described`);
    }
    const files = path === '/v1/images/variations' ? ['image'] : [];
    t.same(
      documented.required,
      [...(expected.required ?? []), ...files],
      `${path}: the same required fields`,
    );
  }
  t.match(bodyOf('/v1/images/edits', 'multipart/form-data').properties, {
    image: { anyOf: [{ type: 'string', format: 'binary' }, { type: 'array' }] },
    'image[]': { type: 'array', items: { format: 'binary' } },
    mask: { type: 'string', format: 'binary' },
  });
  t.match(bodyOf('/v1/images/variations', 'multipart/form-data').properties, {
    image: { type: 'string', format: 'binary' },
  });
  t.match(schemas.NativeImageRequest!.properties.stream, { description: /server-sent events/ });
});

t.test('answers: JSON, server-sent events, jobs, every error status, headers and security', async (t) => {
  const { document } = await documentOf(t);
  const { paths } = document;
  t.same(document.security, [{ clientKey: [] }], 'a client key by default');
  for (const path of ['/v1/images/generations', '/v1/images/edits', '/v1/images/variations', '/v1/images']) {
    const { responses } = paths[path]!.post!;
    t.match(Object.keys(responses).sort(), [
      '200',
      '202',
      '400',
      '401',
      '403',
      '404',
      '413',
      '415',
      '429',
      '500',
      '502',
      '503',
      '504',
    ]);
    t.ok(responses['200']!.content!['application/json'], `${path}: JSON`);
    t.equal(
      responses['200']!.content!['text/event-stream'] !== undefined,
      path !== '/v1/images/variations',
      `${path}: server-sent events with stream: true (variations take no stream)`,
    );
    t.match(responses['202']!, {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } },
      headers: { location: {} },
    });
    t.match(responses['429']!.headers, { 'retry-after': {}, 'x-request-id': {} });
    t.match(responses['400']!.content, {
      'application/json': { schema: { $ref: '#/components/schemas/Error' } },
    });
    t.equal(paths[path]!.post!.security, undefined, `${path}: the default client key`);
  }
  t.ok(paths['/v1/jobs/{id}/events']!.get!.responses['200']!.content!['text/event-stream']);
  t.match(paths['/v1/jobs/{id}']!.get!.responses, { '404': {}, '401': {} });
  t.match(paths['/v1/images']!.get!.responses['200']!.content, {
    'application/json': { schema: { $ref: '#/components/schemas/ImageList' } },
  });
  for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', '/'])
    t.same(paths[path]!.get!.security, [], `${path} is public`);
  t.same(paths['/v1/images/{id}/content']!.get!.security, [{ signedUrl: [] }, { clientKey: [] }]);
  t.match(paths['/v1/images/{id}/content']!.get!.responses, { '200': {}, '206': {}, '304': {}, '416': {} });
  t.match(paths['/readyz']!.get!.responses, { '503': {} });
});

t.test('validation errors come from the declared schemas, in the envelope naming the field', async (t) => {
  const { app } = await startGateway(t);
  const cases: Array<[string, string, object | undefined, string, string]> = [
    ['POST', '/v1/images', { prompt: 'x', bogus: 1 }, 'unknown_parameter', 'bogus'],
    ['POST', '/v1/images/generations', { n: 2 }, 'missing_parameter', 'prompt'],
    ['POST', '/v1/images', { prompt: 'x', n: 11 }, 'invalid_parameter', 'n'],
    ['GET', '/v1/jobs?limit=abc', undefined, 'invalid_parameter', 'limit'],
    ['GET', '/v1/images?before=nope', undefined, 'invalid_parameter', 'before'],
  ];
  for (const [method, url, payload, code, param] of cases) {
    const response = await app.inject({ method: method as 'GET', url, ...(payload ? { payload } : {}) });
    t.equal(response.statusCode, 400, `${method} ${url}`);
    t.match(response.json(), { error: { type: 'invalid_request_error', code, param }, request_id: String });
  }
  const body = await app.inject({ method: 'POST', url: '/v1/images', payload: [1] });
  t.match(body.json(), { error: { code: 'invalid_body' } }, 'a body that is not an object');
  const form = multipartBody([
    { name: 'prompt', value: 'x' },
    { name: 'colour', value: 'red' },
    { name: 'image', filename: 'a.png', data: solidPng(8, 8) },
  ]);
  const edit = await app.inject({ method: 'POST', url: '/v1/images/edits', ...form });
  t.equal(edit.statusCode, 400);
  t.match(
    edit.json(),
    { error: { code: 'unknown_parameter', param: 'colour' } },
    'an unknown multipart field',
  );
  const variation = await app.inject({
    method: 'POST',
    url: '/v1/images/variations',
    ...multipartBody([{ name: 'n', value: '2' }]),
  });
  t.equal(variation.statusCode, 400);
  t.match(
    variation.json(),
    { error: { code: 'missing_parameter', param: 'image', message: /upload the image as a file/ } },
    'a variation without its file',
  );
});
