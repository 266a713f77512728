import type { RecordedRequest } from '../fake-upstream.js';

/** Settings of the Replicate fake (docs/providers/replicate.md, testing notes): every (unverified) point of §10 is one. */

/** Official models it serves by default (the built-in list of docs/providers/replicate.md). */
export const replicateFakeModels = [
  'black-forest-labs/flux-schnell',
  'black-forest-labs/flux-dev',
  'black-forest-labs/flux-1.1-pro',
  'black-forest-labs/flux-kontext-pro',
  'ideogram-ai/ideogram-v3-turbo',
  'recraft-ai/recraft-v3',
  'bytedance/seedream-4',
] as const;

export interface ReplicateFakeOptions {
  latencyMs?: number;
  /** Only these tokens authenticate. Default: any non-empty token. */
  tokens?: readonly string[];
  /** Official models served (others: 404). */
  models?: readonly string[];
  /** Community model versions served through `POST /v1/predictions`. */
  versions?: readonly string[];
  /**
   * Polls answering `starting`/`processing` before the end. 0 (default): with `Prefer: wait`
   * the create answer is already final, as when the model finishes within the wait.
   */
  pollsUntilDone?: number;
  /** docs/providers/replicate.md §10.2: `output` as a list (default) or one string. */
  outputShape?: 'list' | 'string';
  /** docs/providers/replicate.md §10.3: outputs vanish this long after completion (default 3600 s). */
  outputTtlMs?: number;
  /** (unverified) The create status. Default 201. */
  createStatus?: number;
  image?: Buffer;
}

export interface ReplicateFakePrediction {
  id: string;
  model: string;
  version?: string;
  input: Record<string, unknown>;
  prefer?: string;
  cancelAfter?: string;
  polls: number;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  completedAt?: number;
  output?: string | string[];
  error?: string;
}

/** Request matchers for `inject({match})`. */
export const replicateRequests = {
  create: (request: RecordedRequest) => request.method === 'POST' && request.path.endsWith('/predictions'),
  get: (request: RecordedRequest) =>
    request.method === 'GET' && /\/v1\/predictions\/[^/]+$/.test(request.path),
  cancel: (request: RecordedRequest) => request.method === 'POST' && request.path.endsWith('/cancel'),
};
