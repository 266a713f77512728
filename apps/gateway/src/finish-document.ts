/**
 * The last step of the generated OpenAPI document (api-docs.ts), for what no single
 * route declares:
 * - components: fastify-type-provider-zod emits every registered schema twice (`X` as
 *   answered, `XInput` as sent); only those some operation reaches are kept, and an
 *   `XInput` without an `X` beside it takes the plain name;
 * - response headers the app's hooks set on every answer: `x-request-id` everywhere, the
 *   rate-limit pair where a client key is used, `retry-after` on 429 and 503, and the
 *   job headers on 202.
 */
type Json = Record<string, unknown>;

const schemasPath = '#/components/schemas/';

function refsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(schemasPath))
        found.add(child.slice(schemasPath.length));
      else refsIn(child, found);
    }
  }
}

function renameRefs(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => renameRefs(item, names));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(schemasPath)) {
        const name = child.slice(schemasPath.length);
        return [key, `${schemasPath}${names.get(name) ?? name}`];
      }
      return [key, renameRefs(child, names)];
    }),
  );
}

function usedSchemas(document: Json, schemas: Record<string, unknown>): Map<string, string> {
  const reached = new Set<string>();
  refsIn(document.paths, reached);
  const pending = [...reached];
  while (pending.length) {
    const more = new Set<string>();
    refsIn(schemas[pending.pop()!], more);
    for (const name of more)
      if (!reached.has(name)) {
        reached.add(name);
        pending.push(name);
      }
  }
  const names = new Map<string, string>();
  for (const name of reached) {
    const plain = name.endsWith('Input') ? name.slice(0, -'Input'.length) : name;
    names.set(name, plain !== name && reached.has(plain) ? name : plain);
  }
  return names;
}

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

const headers = {
  RequestId: {
    description:
      'The request id (yours, if you sent a sane x-request-id; else generated). Also in every log line of the request.',
    schema: { type: 'string' },
  },
  RateLimitLimit: {
    description: "The key's requests-per-minute limit (only for keys that have one).",
    schema: { type: 'integer' },
  },
  RateLimitRemaining: {
    description: "Requests left in the key's bucket now (only for keys with an rpm limit).",
    schema: { type: 'integer' },
  },
  RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
  Location: { description: 'The job: /v1/jobs/{id}.', schema: { type: 'string' } },
  PreferenceApplied: { description: 'respond-async', schema: { type: 'string' } },
};

function responseHeaders(status: string, keyed: boolean): Record<string, unknown> {
  return {
    'x-request-id': header('RequestId'),
    ...(keyed
      ? {
          'x-ratelimit-limit-requests': header('RateLimitLimit'),
          'x-ratelimit-remaining-requests': header('RateLimitRemaining'),
        }
      : {}),
    ...(status === '429' || status === '503' ? { 'retry-after': header('RetryAfter') } : {}),
    ...(status === '202'
      ? { location: header('Location'), 'preference-applied': header('PreferenceApplied') }
      : {}),
  };
}

export function finishDocument<T extends object>(generated: T): T {
  const document = generated as Json;
  const components = (document.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Record<string, unknown>;
  const names = usedSchemas(document, schemas);
  const kept = Object.fromEntries([...names].map(([name, renamed]) => [renamed, schemas[name]]));
  const paths = renameRefs(document.paths, names) as Record<string, Record<string, Json>>;
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      const security = (operation.security ?? document.security ?? []) as Json[];
      const keyed = security.some((entry) => 'clientKey' in entry);
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>))
        response.headers = { ...responseHeaders(status, keyed), ...(response.headers as Json | undefined) };
    }
  }
  return {
    ...document,
    paths,
    components: { ...components, schemas: renameRefs(kept, names), headers },
  } as T;
}
