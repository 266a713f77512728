import type { FakeResponse } from '../fake-upstream.js';

export const cogviewApiPath = '/api/paas/v4';

/** docs/providers/cogview.md §1.3: the current enum, plus `cogview-3-plus` from the older doc. */
export const cogviewFakeModels = [
  'glm-image',
  'cogview-4-250304',
  'cogview-4',
  'cogview-3-flash',
  'cogview-3-plus',
] as const;
export interface CogviewFakeOptions {
  /** Added before every answer. The spec suggests ~0.1 s (docs/providers/cogview.md §1.7); default 0 so tests stay fast. */
  latencyMs?: number;
  /** Which bearer tokens authenticate; others get 401 `1002`. Default: any non-empty token. */
  acceptKey?: (key: string) => boolean;
  /** Model ids accepted (default `cogviewFakeModels`). */
  models?: readonly string[];
  /** docs/providers/cogview.md §1.3 (unverified): the z.ai example sends `cogView-4-250304`. Default true. */
  caseInsensitiveModels?: boolean;
  /** docs/providers/cogview.md §1.1 (unverified): models the async endpoint takes. Default `['glm-image']`; others get 400 `1212`. */
  asyncModels?: readonly string[];
  /** Polls that answer PROCESSING before the task finishes. Default 1. */
  processingPolls?: number;
  /**
   * Add a top-level `request_id` to sync success and error bodies. docs/providers/cogview.md §1.4 shows none;
   * some observed error bodies have one (docs/providers/cogview.md §1.6). Async bodies always have it (docs/providers/cogview.md §1.5). Default false.
   */
  requestIdInBodies?: boolean;
  /** docs/providers/cogview.md §1.3: glm-image only supports `hd`; what `standard` does there is (unverified). Default `reject` (400 `1214`). */
  glmImageStandardQuality?: 'reject' | 'ignore';
  /** docs/providers/cogview.md §1.5: a FAIL poll body beyond `task_status` is (unverified). `with-error` adds `error:{code,message}`. Default `bare`. */
  failedTaskBody?: 'bare' | 'with-error';
  /** (unverified) What polling an unknown task id answers. Default 400 `1214`. */
  unknownTask?: { status: number; code: string };
  /** The image served for every result (default `tinyPng()`). */
  image?: Buffer;
  /** `content_filter` of a success (docs/providers/cogview.md §1.4). Default `[{role:'assistant', level:3}]`. */
  contentFilter?: unknown[];
}

export interface SizeRule {
  minSide: number;
  maxSide: number;
  multipleOf: number;
  maxPixels: number;
  defaultSize: string;
}

// docs/providers/cogview.md §1.3 custom-size rules.
export const cogviewSizeRule: SizeRule = {
  minSide: 512,
  maxSide: 2048,
  multipleOf: 16,
  maxPixels: 2 ** 21,
  defaultSize: '1024x1024',
};
export const glmImageSizeRule: SizeRule = {
  minSide: 1024,
  maxSide: 2048,
  multipleOf: 32,
  maxPixels: 2 ** 22,
  defaultSize: '1280x1280',
};

export interface CogviewFakeTask {
  id: string;
  requestId: string;
  model: string;
  polls: number;
  outcome: 'SUCCESS' | 'FAIL';
  failureCode: string;
  url?: string;
}

export type CogviewOutcome = { model: string; size: string; prompt: string } | FakeResponse;
