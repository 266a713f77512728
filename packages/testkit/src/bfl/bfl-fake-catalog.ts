import type { Fault } from '../fake-upstream.js';

/**
 * What the BFL fake knows of the vendor (docs/providers/bfl.md §7, §16): its endpoints,
 * prices, error bodies and the trigger words that make it answer with each of them.
 */

/** docs/providers/bfl.md §7.2: the endpoints the fake serves, by request schema. */
export const bflFakeModels = {
  'flux-2-pro': 'flux2',
  'flux-2-max': 'flux2',
  'flux-2-flex': 'flux2',
  'flux-2-klein-4b': 'klein',
  'flux-2-klein-9b': 'klein',
  'flux-kontext-pro': 'kontext',
  'flux-kontext-max': 'kontext',
  'flux-pro-1.1': 'pro-1.1',
  'flux-pro-1.1-ultra': 'ultra',
  'flux-pro-1.0-fill': 'fill',
} as const;

export type BflFakeSchema = (typeof bflFakeModels)[keyof typeof bflFakeModels];

/**
 * docs/providers/bfl.md §16 in credits (1 credit = $0.01): FLUX.2 is `[first MP, each further MP]`
 * (input megapixels cost the per-MP price too); the others are per image.
 */
const megapixelPrices: Record<string, [number, number]> = {
  'flux-2-pro': [3, 1.5],
  'flux-2-max': [7, 3],
  'flux-2-flex': [5, 5],
  'flux-2-klein-4b': [1.4, 0.1],
  'flux-2-klein-9b': [1.5, 0.2],
};
const imagePrices: Record<string, number> = {
  'flux-kontext-pro': 4,
  'flux-kontext-max': 8,
  'flux-pro-1.1': 4,
  'flux-pro-1.1-ultra': 6,
  'flux-pro-1.0-fill': 5,
};

const twoDecimals = (value: number) => Math.round(value * 100) / 100;

/** docs/providers/bfl.md §7.8: `cost = firstMP + (outputMP−1)·mpPrice + inputMP·mpPrice`. */
export function bflFakeCost(model: string, outputMp: number, inputMp: number): number {
  const perMp = megapixelPrices[model];
  if (!perMp) return imagePrices[model] ?? 0;
  const [first, each] = perMp;
  return twoDecimals(first + Math.max(0, outputMp - 1) * each + inputMp * each);
}

/** docs/providers/bfl.md §7.6: concurrent tasks per key (kontext-max has its own, lower limit). */
export const bflConcurrencyLimits = { default: 24, 'flux-kontext-max': 6 } as const;

/** docs/providers/bfl.md §7.6: HTTP errors and the FastAPI `{"detail": "..."}` texts (unverified texts). */
export const bflErrorTexts: Record<number, string> = {
  400: 'Bad request.',
  401: 'Not authenticated',
  402: 'Insufficient credits. Please add credits to your account.',
  403: 'Not authenticated',
  404: 'Not Found',
  429: 'You exceeded your concurrency limit',
  500: 'Internal server error.',
  503: 'Service is under high load, please try again later.',
};

/** A docs/providers/bfl.md §7.6 error body: a text, or the 422 list. */
export function bflErrorBody(status: number, text?: string): Record<string, unknown> {
  return { detail: text ?? bflErrorTexts[status] ?? 'Error.' };
}

/** The docs/providers/bfl.md §7.6 422 body for one field. */
export function bflValidationBody(
  loc: Array<string | number>,
  msg: string,
  type: string,
): Record<string, unknown> {
  return { detail: [{ loc, msg, type }] };
}

/** A fault for `fake.inject()` answering `status` with the vendor's body. */
export function bflErrorFault(status: number, headers: Record<string, string> = {}): Fault {
  return { kind: 'status', status, body: bflErrorBody(status), headers };
}

/** docs/providers/bfl.md §7.4 final statuses besides `Ready`. */
export type BflFakeFinalStatus = 'Request Moderated' | 'Content Moderated' | 'Error' | 'Failed';

/** Put one of these in a prompt to get the matching behaviour. */
export const bflTriggers = {
  /** The submit answers HTTP `status` with its docs/providers/bfl.md §7.6 body. */
  http: (status: number) => `FAKE_BFL_HTTP[${status}]`,
  /** The task ends with this docs/providers/bfl.md §7.4 status instead of `Ready`. */
  status: (status: BflFakeFinalStatus) => `FAKE_BFL_STATUS[${status}]`,
  requestModerated: 'FAKE_BFL_STATUS[Request Moderated]',
  contentModerated: 'FAKE_BFL_STATUS[Content Moderated]',
  /** The task never leaves `Pending`. */
  stuck: 'FAKE_BFL_STUCK',
  /** The task is forgotten after it was accepted: polls answer `Task not found`. */
  forgotten: 'FAKE_BFL_FORGOTTEN',
} as const;

export const bflTrigger = (kind: 'HTTP' | 'STATUS', prompt: string): string | undefined =>
  new RegExp(`FAKE_BFL_${kind}\\[([\\w ]+)\\]`).exec(prompt)?.[1];
