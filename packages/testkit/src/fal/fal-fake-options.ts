import type { FakeResponse, RecordedRequest } from '../fake-upstream.js';

/** Settings of the fal fake (docs/providers/fal.md, testing notes): every (unverified) point of §9 is one. */

/** The endpoints it serves by default (docs/providers/fal.md §9.3 and the curated list). */
export const falFakeEndpoints = [
  'fal-ai/flux/dev',
  'fal-ai/flux/schnell',
  'fal-ai/flux-2-pro',
  'fal-ai/flux-pro/kontext',
  'fal-ai/flux-2/edit',
] as const;

export interface FalFakeOptions {
  latencyMs?: number;
  /** Only these keys authenticate. Default: any non-empty key. */
  apiKeys?: readonly string[];
  /** (unverified) The answer to a missing or wrong key. Default 401 `{"detail":"Invalid Key"}`. */
  authError?: FakeResponse;
  /** Endpoints served (others: 404). Default falFakeEndpoints; configured endpoints are added by tests. */
  endpoints?: readonly string[];
  /** Status polls answering IN_QUEUE, then IN_PROGRESS, before COMPLETED. Defaults 1 and 1. */
  queuePolls?: number;
  progressPolls?: number;
  /** docs/providers/fal.md §9.3: some endpoints answer `image` (one object) rather than `images`. */
  outputShape?: 'images' | 'image';
  /** docs/providers/fal.md §9.3: the name of the safety flags. */
  nsfwField?: 'has_nsfw_concepts' | 'nsfw_content_detected';
  /** (unverified) The status of a result asked for before completion. Default 400. */
  inProgressResultStatus?: number;
  /** (unverified) Cancel statuses: queued/running (default 202), done (default 400), unknown (default 404). */
  cancelStatuses?: { accepted?: number; alreadyCompleted?: number; notFound?: number };
  /** The image served for every result (default `tinyPng()`). */
  image?: Buffer;
}

export interface FalFakeRequest {
  id: string;
  endpoint: string;
  input: Record<string, unknown>;
  headers: RecordedRequest['headers'];
  polls: number;
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  canceled: boolean;
  resultFetches: number;
}

/** Request matchers for `inject({match})`. */
export const falRequests = {
  submit: (request: RecordedRequest) => request.method === 'POST',
  status: (request: RecordedRequest) => request.method === 'GET' && request.path.endsWith('/status'),
  result: (request: RecordedRequest) => request.method === 'GET' && /\/requests\/[^/]+$/.test(request.path),
  cancel: (request: RecordedRequest) => request.method === 'PUT' && request.path.endsWith('/cancel'),
};
