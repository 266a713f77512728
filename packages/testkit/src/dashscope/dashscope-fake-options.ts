import type { RecordedRequest } from '../fake-upstream.js';

export const dashScopeApiPath = '/api/v1';

/** docs/providers/wanx.md §4.2: text-to-image models (2.5/2.6 are out of scope) and the edit model. */
export const dashScopeTextToImageModels = [
  'wanx2.1-t2i-turbo',
  'wanx2.1-t2i-plus',
  'wanx2.0-t2i-turbo',
  'wan2.2-t2i-flash',
  'wan2.2-t2i-plus',
] as const;
export const dashScopeImageEditModels = ['wanx2.1-imageedit'] as const;

/** docs/providers/wanx.md §4.4 `input.function`. */
export const dashScopeEditFunctions = [
  'stylization_all',
  'stylization_local',
  'description_edit',
  'description_edit_with_mask',
  'remove_watermark',
  'expand',
  'super_resolution',
  'colorization',
  'doodle',
  'control_cartoon_feature',
] as const;

/** docs/providers/wanx.md §13.2: the models of the synchronous multimodal-generation protocol. */
export const dashScopeSyncModels = [
  'qwen-image',
  'qwen-image-plus',
  'qwen-image-max',
  'qwen-image-2.0',
  'qwen-image-2.0-pro',
  'qwen-image-edit',
  'qwen-image-edit-plus',
  'wan2.6-t2i',
  'wan2.6-image',
] as const;

/** Where the fake's stand-in for the OSS upload host listens (docs/providers/wanx.md §13.1 `upload_host`). */
export const dashScopeUploadHostPath = '/oss-upload';

export type DashScopeRegion = 'beijing' | 'singapore' | 'virginia';
/** What the fake appends to a prompt to make `actual_prompt` when `prompt_extend` is on (docs/providers/wanx.md §4.3). */
export const dashScopePromptExtension = ', rendered in fine detail with soft natural light';
/** Request matchers for `inject({match})`. */
export const dashScopeRequests = {
  create: (request: RecordedRequest) =>
    request.method === 'POST' && request.path.endsWith('/image-synthesis'),
  poll: (request: RecordedRequest) =>
    request.method === 'GET' && /\/api\/v1\/tasks\/[^/]+$/.test(request.path),
  cancel: (request: RecordedRequest) => request.method === 'POST' && request.path.endsWith('/cancel'),
};

export interface DashScopeFakeOptions {
  /** Added before every answer. Default 0 so tests stay fast. */
  latencyMs?: number;
  /** Labels the fake; `wanx2.1-imageedit` exists in Beijing only (docs/providers/wanx.md §4.2). Default `beijing`. */
  region?: DashScopeRegion;
  /** docs/providers/wanx.md §4.1: keys are per region. Only these keys authenticate (401 InvalidApiKey otherwise). Default: any non-empty key. */
  apiKeys?: readonly string[];
  /** Models accepted; default docs/providers/wanx.md §4.2's for the region. */
  models?: readonly string[];
  /** docs/providers/wanx.md §4.1 (unverified): the answer to a create without the async header. Default 403 `AccessDenied`. */
  synchronousCallError?: { status: number; code: string };
  /** Status per code where the spec is unsure (Arrearage "also seen as 403"; FreeTierOnly seen as 403). */
  statusOverrides?: Record<string, number>;
  /** Polls answering PENDING, then RUNNING, before the final state (docs/providers/wanx.md §4.6). Defaults 1 and 1. */
  pendingPolls?: number;
  runningPolls?: number;
  /**
   * Fetch input image URLs and check they are images of 512–4096 px per side, ≤ 10 MB (docs/providers/wanx.md §4.4).
   * `loopback` (default) fetches only 127.0.0.1 / localhost URLs: the fake never leaves the machine.
   */
  fetchInputs?: 'loopback' | 'never';
  /** (unverified) Where a bad input image shows: a FAILED task (default) or a 400 at create. */
  inputErrorAt?: 'task' | 'create';
  /** The image served for every result (default `tinyPng()`). */
  image?: Buffer;
  /** Models of the synchronous protocol (docs/providers/wanx.md §13.2). Default `dashScopeSyncModels`. */
  syncModels?: readonly string[];
  /** docs/providers/wanx.md §13.1 (unverified): the key holding getPolicy's fields, `data` (default) or `output`. */
  uploadPolicyContainer?: 'data' | 'output';
  /** docs/providers/wanx.md §13.1 (unverified): the answer to an `oss://` input without the resolve header. Default 400 InvalidParameter. */
  missingResolveHeader?: { status: number; code: string };
}

export type TaskOutcome =
  | { kind: 'succeed'; failedItems: 'none' | 'last' | 'all' }
  | { kind: 'fail'; code: string; message?: string }
  | { kind: 'lost' }
  | { kind: 'stuck'; status: 'PENDING' | 'RUNNING' };

export interface DashScopeFakeTask {
  id: string;
  model: string;
  endpoint: 'text2image' | 'image2image';
  /** The create body as received. */
  body: Record<string, unknown>;
  polls: number;
  /** The status the last poll reported (PENDING before any). */
  status: string;
  canceled: boolean;
  outcome: TaskOutcome;
  prompt: string;
  n: number;
  promptExtend: boolean;
  submitTime: string;
  gatewayErrors: number;
  urls?: string[];
}
