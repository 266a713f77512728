import { randomBytes } from 'node:crypto';
import type { Fault } from '../fake-upstream.js';

/**
 * What the Seedream fake knows of Ark (docs/providers/seedream.md §11): models in both id
 * styles, error codes with their status (most unverified), and the trigger words.
 */

/** §11.2: BytePlus ids; Volcengine Ark (CN) prefixes `doubao-`. The fake takes both. */
export const seedreamFakeModels = [
  'seedream-4-0-250828',
  'seedream-4-5-251128',
  'seedream-5-0-260128',
  'seedream-5-0-lite-260128',
] as const;

/** §11.6 codes with their HTTP status (only the 400s are observed). */
export const seedreamErrorCatalog: Record<string, { status: number; message: string }> = {
  InputTextSensitiveContentDetected: {
    status: 400,
    message: 'The request failed because the input text may contain sensitive information.',
  },
  InputImageSensitiveContentDetected: {
    status: 400,
    message: 'The request failed because the input image may contain sensitive information.',
  },
  OutputImageSensitiveContentDetected: {
    status: 400,
    message: 'The request failed because the output image may contain sensitive information.',
  },
  InvalidParameter: { status: 400, message: 'The parameter is invalid.' },
  AuthenticationError: { status: 401, message: 'The API key in the request is missing or invalid.' },
  AccountOverdueError: { status: 403, message: 'Your account has an overdue balance.' },
  AccessDenied: { status: 403, message: 'You do not have access to the requested resource.' },
  ModelNotOpen: { status: 404, message: 'Your account has not activated the model service.' },
  'InvalidEndpointOrModel.NotFound': { status: 404, message: 'The model or endpoint does not exist.' },
  'RateLimitExceeded.EndpointRPMExceeded': {
    status: 429,
    message: 'The request rate limit has been exceeded.',
  },
  QuotaExceeded: { status: 429, message: 'Your quota has been exceeded.' },
  ServerOverloaded: { status: 429, message: 'The service is overloaded; please try again later.' },
  InternalServiceError: { status: 500, message: 'The service encountered an unexpected internal error.' },
};

/** The §11.6 envelope; the message ends with the request id, as observed. */
export function seedreamErrorBody(code: string, message?: string): Record<string, unknown> {
  const requestId = randomBytes(12).toString('hex');
  const text = message ?? seedreamErrorCatalog[code]?.message ?? 'Error.';
  return { error: { code, message: `${text} Request id: ${requestId}`, param: '', type: 'BadRequest' } };
}

export function seedreamErrorFault(code: string, headers: Record<string, string> = {}): Fault {
  return {
    kind: 'status',
    status: seedreamErrorCatalog[code]?.status ?? 400,
    body: seedreamErrorBody(code),
    headers,
  };
}

/** Put one of these in a prompt to get the matching behaviour. */
export const seedreamTriggers = {
  /** The call fails with the §11.6 error for `code`, at its status. */
  error: (code: string) => `FAKE_SEEDREAM_ERROR[${code}]`,
  /** §11.6 relays: the error envelope with HTTP 200. */
  errorWithStatus200: (code: string) => `FAKE_SEEDREAM_200[${code}]`,
  /** An image set whose last image is blocked (OutputImageSensitiveContentDetected). */
  lastImageBlocked: 'FAKE_SEEDREAM_LAST_BLOCKED',
  /** Every image of the answer is blocked. */
  allImagesBlocked: 'FAKE_SEEDREAM_ALL_BLOCKED',
} as const;

export const seedreamTrigger = (kind: 'ERROR' | '200', prompt: string): string | undefined =>
  new RegExp(`FAKE_SEEDREAM_${kind}\\[([\\w.]+)\\]`).exec(prompt)?.[1];
