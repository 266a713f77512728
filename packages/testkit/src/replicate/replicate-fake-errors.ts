import type { FakeResponse } from '../fake-upstream.js';

/**
 * The Replicate error answers (docs/providers/replicate.md §10.4, RFC 7807 problem details) the
 * fake gives, and the prompt words that ask for them.
 */

/** docs/providers/replicate.md §10.4 bodies (observed), by a short name. */
export const replicateProblems = {
  unauthenticated: {
    status: 401,
    json: { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 },
  },
  insufficientCredit: {
    status: 402,
    json: {
      title: 'Insufficient credit',
      detail:
        'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before trying again.',
      status: 402,
    },
  },
  invalidVersion: {
    status: 422,
    json: {
      title: 'Invalid version or not permitted',
      detail: "The specified version does not exist (or perhaps you don't have permission to use it?)",
      status: 422,
    },
  },
  throttled: {
    status: 429,
    headers: { 'retry-after': '1' },
    json: { detail: 'Request was throttled. Expected available in 1 second.' },
  },
  // docs/providers/replicate.md §10.4: the 404 text is (unverified).
  notFound: {
    status: 404,
    json: { title: 'Not found', detail: 'The requested resource could not be found.', status: 404 },
  },
  serverError: {
    status: 500,
    json: { title: 'Internal server error', detail: 'Something went wrong.', status: 500 },
  },
} satisfies Record<string, FakeResponse>;

/** docs/providers/replicate.md §10.4: 422 "Input validation failed" naming the field. */
export function replicateInputError(field: string, description: string, type = 'enum'): FakeResponse {
  return {
    status: 422,
    json: {
      detail: `- input.${field}: ${description}\n`,
      status: 422,
      title: 'Input validation failed',
      invalid_fields: [{ type, field: `input.${field}`, description }],
    },
  };
}

/** docs/providers/replicate.md §10.2: the E005 text of a flagged prediction (observed). */
export const replicateSensitiveError =
  'The input or output was flagged as sensitive. Please try again with different inputs. (E005)';

/** Put one of these in a prompt to get the matching behaviour. */
export const replicateTriggers = {
  /** The create answers the named problem of `replicateProblems`. */
  problem: (name: keyof typeof replicateProblems) => `FAKE_REPLICATE_PROBLEM[${name}]`,
  /** The prediction ends `failed` with the E005 error. */
  sensitive: 'FAKE_REPLICATE_E005',
  /** The prediction ends `failed` with E1001 (out of memory). */
  failed: 'FAKE_REPLICATE_E1001',
  /** The prediction never finishes (deadline and cancel tests). */
  stuck: 'FAKE_REPLICATE_STUCK',
} as const;

export const replicateProblemTrigger = (prompt: string): keyof typeof replicateProblems | undefined =>
  /FAKE_REPLICATE_PROBLEM\[(\w+)\]/.exec(prompt)?.[1] as keyof typeof replicateProblems | undefined;
