import { randomBytes } from 'node:crypto';
import type { Fault } from '../fake-upstream.js';

/**
 * What the Stability fake knows of the vendor (docs/providers/stability.md §8): error names
 * with their status and text, credits per call, and the trigger words.
 */

/** docs/providers/stability.md §8.7 (401 and 402 are not in the spec: unverified names and texts). */
export const stabilityErrorCatalog: Record<string, { status: number; message: string }> = {
  bad_request: { status: 400, message: 'some-field: is required' },
  unauthorized: { status: 401, message: 'authorization: invalid or missing api key' },
  payment_required: { status: 402, message: 'You lack sufficient credits to make this request.' },
  content_moderation: {
    status: 403,
    message:
      'Your request was flagged by our content moderation system, as a result your request was denied and you were not charged.',
  },
  generation_not_found: { status: 404, message: 'id: the generation either does not exist or has expired.' },
  payload_too_large: { status: 413, message: 'body: payloads cannot be larger than 10MiB in size' },
  invalid_language: { status: 422, message: 'English is the only supported language for this service.' },
  public_figure: {
    status: 422,
    message:
      'Our system detected the likeness of a public figure in your image. To comply with our guidelines, this request cannot be processed. Please upload a different image.',
  },
  rate_limit_exceeded: {
    status: 429,
    message:
      'You have exceeded the rate limit of 150 requests within a 10 second period, and have been timed out for 60 seconds.',
  },
  internal_error: {
    status: 500,
    message: 'An unexpected server error has occurred, please try again later.',
  },
};

/** The §8.7 envelope `{id, name, errors}` (`id` is 32 hex; for 429 the example uses the name). */
export function stabilityErrorBody(name: string, message?: string): Record<string, unknown> {
  return {
    id: name === 'rate_limit_exceeded' ? name : randomBytes(16).toString('hex'),
    name,
    errors: [message ?? stabilityErrorCatalog[name]?.message ?? 'Error.'],
  };
}

export function stabilityErrorFault(name: string, headers: Record<string, string> = {}): Fault {
  return {
    kind: 'status',
    status: stabilityErrorCatalog[name]?.status ?? 400,
    body: stabilityErrorBody(name),
    headers,
  };
}

/** docs/providers/stability.md §8.2–§8.5 credits per successful call. */
export function stabilityFakeCredits(endpoint: string, model?: string): number {
  if (endpoint === 'ultra') return 8;
  if (endpoint === 'core') return 3;
  if (endpoint === 'inpaint') return 5;
  return (
    { 'sd3.5-large': 6.5, 'sd3.5-large-turbo': 4, 'sd3.5-medium': 3.5, 'sd3.5-flash': 2.5 }[
      model ?? 'sd3.5-large'
    ] ?? 6.5
  );
}

/** Put one of these in a prompt to get the matching behaviour. */
export const stabilityTriggers = {
  /** The call fails with the §8.7 error of this `name`. */
  error: (name: string) => `FAKE_STABILITY_ERROR[${name}]`,
  /** §8.6: HTTP 200 with a blurred image and `finish-reason: CONTENT_FILTERED`. */
  contentFiltered: 'FAKE_STABILITY_CONTENT_FILTERED',
} as const;

export const stabilityErrorTrigger = (prompt: string): string | undefined =>
  /FAKE_STABILITY_ERROR\[(\w+)\]/.exec(prompt)?.[1];
