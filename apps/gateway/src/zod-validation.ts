import { InvalidRequestError, issuePath } from '@uig/core';
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';

/**
 * Fastify's validator for the zod schemas every route declares (the same schemas the
 * OpenAPI document is generated from): the first problem becomes a 400 in the error
 * envelope naming the field, as OpenAI answers. A body must be a JSON object; headers
 * are checked but left as they are (a header schema lists only the headers the route
 * reads, and the request keeps all the others).
 */
/** A route's own words after `Unknown field "x": ` (the admin API lists what a client takes). */
const unknownFieldHints = new WeakMap<object, string>();

export function withUnknownFieldHint<T extends z.ZodType>(schema: T, hint: string): T {
  unknownFieldHints.set(schema, hint);
  return schema;
}

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    if (httpPart === 'body' && (data === null || typeof data !== 'object' || Array.isArray(data)))
      return { error: new InvalidRequestError('The body must be a JSON object.', { code: 'INVALID_BODY' }) };
    const parsed = schema.safeParse(data);
    if (!parsed.success)
      return { error: invalidRequest(parsed.error.issues[0]!, data, unknownFieldHints.get(schema)) };
    return httpPart === 'headers' ? {} : { value: parsed.data };
  };

function invalidRequest(
  issue: z.core.$ZodIssue,
  data: unknown,
  hint: string | undefined,
): InvalidRequestError {
  if (issue.code === 'unrecognized_keys') {
    const field = [...issue.path.map(String), issue.keys[0]!].join('.');
    return new InvalidRequestError(
      `Unknown field "${field}": ${hint ?? 'this API does not take it. Remove it (or use provider_options on POST /v1/images).'}`,
      { param: field, code: 'UNKNOWN_PARAMETER' },
    );
  }
  const field = issuePath(issue.path);
  // zod 4 does not keep the input on issues; look the value up to tell missing from wrong.
  const missing = valueAt(data, issue.path) === undefined;
  // A custom check (a file part) says how to give the field; zod's own "expected string,
  // received undefined" says nothing more than "required".
  const message = !missing
    ? `${field}: ${issue.message}.`
    : issue.code === 'custom'
      ? `${field} is required: ${issue.message}.`
      : `${field} is required.`;
  return new InvalidRequestError(message, {
    param: field || undefined,
    code: missing ? 'MISSING_PARAMETER' : 'INVALID_PARAMETER',
  });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
