import { errorResponseSchema } from './api-schemas.js';

/**
 * The error answers a route declares (all in the error envelope, error-envelope.ts), with
 * what each status means on this gateway; a route passes the statuses its code can reach
 * and may say more about one of them.
 */
const meanings = {
  400: 'Invalid request: code names the problem, param the field (unknown_parameter, missing_parameter, invalid_parameter, invalid_json, ...).',
  401: 'Missing or wrong client key (invalid_api_key, missing_api_key).',
  403: 'The key may not use this model (model_not_allowed).',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The body or an uploaded image is larger than this gateway accepts (payload_too_large).',
  415: 'A Content-Type this route does not take (unsupported_media_type).',
  416: 'The range is outside the resource (range_not_satisfiable).',
  429: "rate_limit_exceeded (this gateway's per-key limits, or the vendor's after retries; see Retry-After), or insufficient_quota (the vendor balance is gone; never retried).",
  500: 'A bug: internal_error; the request_id finds it in the logs.',
  502: 'The vendor failed or answered something unusable (upstream_unavailable, invalid_upstream_response, upstream_authentication).',
  503: 'No provider can serve the request (no_provider_available), the image store cannot write (storage_unavailable), or the shared limiter is unreachable (limiter_unavailable).',
  504: 'The vendor did not answer in time (upstream_timeout).',
} as const;

type ErrorStatus = keyof typeof meanings;

const envelope = { 'application/json': { schema: errorResponseSchema } };

export function errorResponses(statuses: ErrorStatus[], details: Partial<Record<ErrorStatus, string>> = {}) {
  return Object.fromEntries(
    [...statuses, 500 as const].map((status) => [
      status,
      { description: details[status] ?? meanings[status], content: envelope },
    ]),
  ) as Record<ErrorStatus, { description: string; content: typeof envelope }>;
}

/** Every image route: before any work (body, key, model, limits), then the vendor's failures. */
export const imageRouteErrors = errorResponses([400, 401, 403, 404, 413, 415, 429, 502, 503, 504], {
  400: `${meanings[400]} Also content_policy_violation: the vendor refused the prompt or image (vendor_code holds its own code).`,
  404: 'Unknown model (model_not_found), or a stored image id given as input that does not exist (image_not_found).',
});
