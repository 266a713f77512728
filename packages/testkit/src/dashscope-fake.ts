import { randomUUID } from 'node:crypto';
import { sniffImage } from '@uig/core';
import {
  FakeUpstream,
  type Fault,
  type FakeResponse,
  type FaultRule,
  type RecordedRequest,
  type RouteContext,
} from './fake-upstream.js';
import { tinyPng } from './test-images.js';

/**
 * A fake of DashScope WanX image synthesis (docs/providers/wanx.md §4, docs/providers/wanx.md (testing notes)) on loopback: create a
 * task, poll it through PENDING → RUNNING → a final state, cancel it. Adapters point
 * their baseURL at `fake.apiBaseURL` (`<url>/api/v1`). Every point the spec marks
 * (unverified) is an option, so a test can pin either behaviour.
 */

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

export type DashScopeRegion = 'beijing' | 'singapore' | 'virginia';

/** docs/providers/wanx.md §4.7 codes with their HTTP status and the vendor's text (observed where captured). */
export const dashScopeErrorCatalog: Record<string, { status: number; message: string }> = {
  InvalidParameter: { status: 400, message: 'The request parameter is invalid.' },
  DataInspectionFailed: { status: 400, message: 'Input data may contain inappropriate content.' },
  IPInfringementSuspect: {
    status: 400,
    message: 'Input data is suspected of being involved in IP infringement.',
  },
  Arrearage: { status: 400, message: 'Access denied, please make sure your account is in good standing.' },
  InvalidApiKey: { status: 401, message: 'Invalid API-key provided.' },
  AccessDenied: { status: 403, message: 'Access denied.' },
  'AccessDenied.Unpurchased': {
    status: 403,
    message: 'Access to model denied. Please make sure you are eligible for using the model.',
  },
  'Model.AccessDenied': { status: 403, message: 'Model access denied.' },
  ModelNotFound: { status: 404, message: 'Model not exist.' },
  Throttling: { status: 429, message: 'Requests throttling triggered.' },
  'Throttling.RateQuota': { status: 429, message: 'Requests rate limit exceeded, please try again later.' },
  'Throttling.AllocationQuota': {
    status: 429,
    message: 'Allocated quota exceeded, please increase your quota limit.',
  },
  'AllocationQuota.FreeTierOnly': { status: 429, message: 'The free tier of the model has been exhausted.' },
  InternalError: {
    status: 500,
    message: 'An internal error has occured, please try again later or contact service support.',
  },
  'InternalError.Timeout': {
    status: 500,
    message:
      'An internal timeout error has occured during execution, please try again later or contact service support.',
  },
  'InternalError.Algo': { status: 500, message: 'An internal error occurred during algorithm execution.' },
  // Cancel of a task that is not PENDING (doc mirror of the task API, not in docs/providers/wanx.md §4).
  UnsupportedOperation: {
    status: 400,
    message: 'Failed to cancel the task, please confirm if the task is in PENDING status.',
  },
};

/** docs/providers/wanx.md §4.1: the text of the error for a create without `X-DashScope-Async: enable`. */
export const dashScopeSynchronousCallMessage = 'current user api does not support synchronous calls';

/** What the fake appends to a prompt to make `actual_prompt` when `prompt_extend` is on (docs/providers/wanx.md §4.3). */
export const dashScopePromptExtension = ', rendered in fine detail with soft natural light';

/**
 * Put one of these in a prompt to get the matching behaviour. The bracketed ones take
 * any docs/providers/wanx.md §4.7 code, so every error body is one word away.
 */
export const dashScopeTriggers = {
  /** The create call fails with `code`'s status and the flat docs/providers/wanx.md §4.7 body. */
  error: (code: string) => `FAKE_DASHSCOPE_ERROR[${code}]`,
  /** docs/providers/wanx.md §4.7 "HTTP 200 with a top-level code": the create call answers 200 and the error body. */
  errorWithStatus200: (code: string) => `FAKE_DASHSCOPE_200[${code}]`,
  /** The task is created, then polls end in FAILED with `output.code` = `code` (docs/providers/wanx.md §4.6). */
  taskFailed: (code: string) => `FAKE_DASHSCOPE_TASK_FAILED[${code}]`,
  dataInspection: 'FAKE_DASHSCOPE_ERROR[DataInspectionFailed]',
  rateQuota: 'FAKE_DASHSCOPE_ERROR[Throttling.RateQuota]',
  /** SUCCEEDED, but the last result item is `{code: "InternalError.Timeout", message}` (docs/providers/wanx.md §4.6). */
  partialFailure: 'FAKE_DASHSCOPE_PARTIAL_FAILURE',
  /** SUCCEEDED with every result item failed. */
  allItemsFailed: 'FAKE_DASHSCOPE_ALL_ITEMS_FAILED',
  /** The task never leaves PENDING (deadline and cancel tests). */
  stuckPending: 'FAKE_DASHSCOPE_STUCK_PENDING',
  /** The task never leaves RUNNING. */
  stuckRunning: 'FAKE_DASHSCOPE_STUCK_RUNNING',
  /** Polls answer UNKNOWN, as for a task the vendor lost or purged (docs/providers/wanx.md §4.6). */
  taskLost: 'FAKE_DASHSCOPE_TASK_LOST',
  /** The first poll answers HTTP 503, the second 504 (a gateway's HTML), then normally (docs/providers/wanx.md §4.7). */
  pollGatewayErrors: 'FAKE_DASHSCOPE_POLL_503_504',
} as const;

const bracketedTrigger = (kind: string, prompt: string): string | undefined =>
  new RegExp(`FAKE_DASHSCOPE_${kind}\\[([\\w.]+)\\]`).exec(prompt)?.[1];

/** The flat docs/providers/wanx.md §4.7 body. */
export function dashScopeErrorBody(
  code: string,
  options: { message?: string; requestId?: string } = {},
): Record<string, unknown> {
  return {
    code,
    message: options.message ?? dashScopeErrorCatalog[code]?.message ?? 'Error.',
    request_id: options.requestId ?? randomUUID(),
  };
}

/** A fault for `fake.inject()` that answers with the vendor's error for `code` (status overridable, e.g. 200). */
export function dashScopeErrorFault(
  code: string,
  options: { status?: number; headers?: Record<string, string> } = {},
): Fault {
  return {
    kind: 'status',
    status: options.status ?? dashScopeErrorCatalog[code]?.status ?? 400,
    body: dashScopeErrorBody(code),
    headers: options.headers ?? {},
  };
}

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
}

type TaskOutcome =
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

/** docs/providers/wanx.md §4.6: `"YYYY-MM-DD HH:MM:SS.mmm"`, China time. */
function vendorTime(date = new Date()): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 23);
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** docs/providers/wanx.md §4.4 per-function parameter ranges (unverified on the vendor's side). */
const numberRanges: Record<string, [number, number]> = {
  strength: [0, 1],
  top_scale: [1, 2],
  bottom_scale: [1, 2],
  left_scale: [1, 2],
  right_scale: [1, 2],
  upscale_factor: [1, 4],
};

export class DashScopeFake extends FakeUpstream {
  readonly tasks = new Map<string, DashScopeFakeTask>();
  readonly region: DashScopeRegion;
  pendingPolls: number;
  runningPolls: number;
  private readonly settings: Required<
    Omit<DashScopeFakeOptions, 'latencyMs' | 'pendingPolls' | 'runningPolls' | 'region' | 'apiKeys'>
  > & { apiKeys?: readonly string[] };

  constructor(options: DashScopeFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.region = options.region ?? 'beijing';
    this.pendingPolls = options.pendingPolls ?? 1;
    this.runningPolls = options.runningPolls ?? 1;
    this.settings = {
      ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}),
      models: options.models ?? [
        ...dashScopeTextToImageModels,
        ...(this.region === 'beijing' ? dashScopeImageEditModels : []),
      ],
      synchronousCallError: options.synchronousCallError ?? { status: 403, code: 'AccessDenied' },
      statusOverrides: options.statusOverrides ?? {},
      fetchInputs: options.fetchInputs ?? 'loopback',
      inputErrorAt: options.inputErrorAt ?? 'task',
      image: options.image ?? tinyPng(),
    };
    this.route('POST', `${dashScopeApiPath}/services/aigc/text2image/image-synthesis`, (context) =>
      this.create(context, 'text2image'),
    );
    this.route('POST', `${dashScopeApiPath}/services/aigc/image2image/image-synthesis`, (context) =>
      this.create(context, 'image2image'),
    );
    this.route('GET', `${dashScopeApiPath}/tasks/:id`, (context) => this.poll(context));
    this.route('POST', `${dashScopeApiPath}/tasks/:id/cancel`, (context) => this.cancel(context));
  }

  /** The base URL an adapter is configured with. */
  get apiBaseURL(): string {
    return `${this.url}${dashScopeApiPath}`;
  }

  /** Answer the next `times` matching requests with the vendor's error for `code`. */
  failWith(
    code: string,
    rule: Omit<FaultRule, 'fault'> & { status?: number; headers?: Record<string, string> } = {},
  ): this {
    const { status, headers, ...rest } = rule;
    return this.inject({
      ...rest,
      fault: dashScopeErrorFault(code, {
        ...(status !== undefined ? { status } : {}),
        ...(headers ? { headers } : {}),
      }),
    });
  }

  /** The task created by the last create call that succeeded. */
  get lastTask(): DashScopeFakeTask | undefined {
    return [...this.tasks.values()].at(-1);
  }

  private error(code: string, message?: string): FakeResponse {
    const status = this.settings.statusOverrides[code] ?? dashScopeErrorCatalog[code]?.status ?? 400;
    return { status, json: dashScopeErrorBody(code, message ? { message } : {}) };
  }

  /** docs/providers/wanx.md §4.1: `Authorization: Bearer <key>`; a key of another region is just an unknown key here. */
  private authenticate(request: RecordedRequest): FakeResponse | undefined {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return this.error('InvalidApiKey', 'No API-key provided.');
    if (this.settings.apiKeys && !this.settings.apiKeys.includes(match[1]!))
      return this.error('InvalidApiKey');
    return undefined;
  }

  private sizeProblem(size: unknown): string | undefined {
    if (size === undefined) return undefined;
    // docs/providers/wanx.md §4.3: `W*H` with an asterisk; `x` is refused (real text unverified).
    const match = typeof size === 'string' ? /^(\d+)\*(\d+)$/.exec(size) : null;
    if (!match) return `size must be of the form width*height, got ${JSON.stringify(size)}.`;
    const width = Number(match[1]);
    const height = Number(match[2]);
    if ([width, height].some((side) => side < 512 || side > 1440))
      return 'The size is not match the allowed range [512, 1440].';
    if (width * height > 2_097_152) return 'The size exceeds 2 megapixels.';
    return undefined;
  }

  private parametersProblem(parameters: Record<string, unknown>): string | undefined {
    const { n, seed } = parameters;
    if (n !== undefined && !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 4))
      return 'n must be an integer in [1, 4].';
    if (
      seed !== undefined &&
      !(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= 2_147_483_647)
    )
      return 'seed must be in [0, 2147483647].';
    for (const flag of ['prompt_extend', 'watermark', 'is_sketch']) {
      if (parameters[flag] !== undefined && typeof parameters[flag] !== 'boolean')
        return `${flag} must be a boolean.`;
    }
    for (const [name, [low, high]] of Object.entries(numberRanges)) {
      const value = parameters[name];
      if (value !== undefined && !(typeof value === 'number' && value >= low && value <= high))
        return `${name} must be in [${low}, ${high}].`;
    }
    return undefined;
  }

  /** docs/providers/wanx.md §4.4: fetch a loopback input URL and check it is an image the vendor would take. */
  private async inputProblem(
    url: string,
    field: string,
    signal: AbortSignal,
  ): Promise<{ problem?: string; size?: string }> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { problem: `${field} is not a valid URL.` };
    }
    if (!/^https?:$/.test(parsed.protocol)) return { problem: `${field} must be an http(s) URL.` };
    if (this.settings.fetchInputs === 'never' || !isLoopback(parsed)) return {};
    try {
      const response = await fetch(url, { signal });
      if (!response.ok) return { problem: `Download ${field} failed: HTTP ${response.status}.` };
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > 10 * 1024 * 1024) return { problem: `${field} is larger than 10 MB.` };
      const info = sniffImage(bytes);
      if (!info) return { problem: `${field} is not a supported image.` };
      if ([info.width, info.height].some((side) => side < 512 || side > 4096))
        return { problem: `${field} sides must be within [512, 4096].` };
      return { size: `${info.width}x${info.height}` };
    } catch {
      return { problem: `Download ${field} failed.` };
    }
  }

  private async create(
    { request, signal }: RouteContext,
    endpoint: DashScopeFakeTask['endpoint'],
  ): Promise<FakeResponse> {
    const denied = this.authenticate(request);
    if (denied) return denied;
    if (String(request.headers['x-dashscope-async'] ?? '').toLowerCase() !== 'enable') {
      const { status, code } = this.settings.synchronousCallError;
      return { status, json: dashScopeErrorBody(code, { message: dashScopeSynchronousCallMessage }) };
    }
    const body = request.json;
    if (!isObject(body)) return this.error('InvalidParameter', 'The request body is not valid JSON.');
    if (typeof body.model !== 'string' || body.model === '')
      return this.error('InvalidParameter', 'Model not specified.');
    if (!this.settings.models.includes(body.model)) return this.error('ModelNotFound');
    const isEditModel = (dashScopeImageEditModels as readonly string[]).includes(body.model);
    if (isEditModel !== (endpoint === 'image2image'))
      return this.error('InvalidParameter', `Model ${body.model} does not support this API.`);
    const input = body.input;
    if (!isObject(input)) return this.error('InvalidParameter', 'input is required.');
    const parameters = body.parameters === undefined ? {} : body.parameters;
    if (!isObject(parameters)) return this.error('InvalidParameter', 'parameters must be an object.');
    if (typeof input.prompt !== 'string' || input.prompt.trim() === '')
      return this.error('InvalidParameter', 'Field required: input.prompt');
    const parameterProblem = this.parametersProblem(parameters);
    if (parameterProblem) return this.error('InvalidParameter', parameterProblem);
    if (input.negative_prompt !== undefined && typeof input.negative_prompt !== 'string')
      return this.error('InvalidParameter', 'input.negative_prompt must be a string.');

    let inputProblem: string | undefined;
    if (endpoint === 'text2image') {
      const sizeProblem = this.sizeProblem(parameters.size);
      if (sizeProblem) return this.error('InvalidParameter', sizeProblem);
    } else {
      if (!(dashScopeEditFunctions as readonly string[]).includes(input.function as string))
        return this.error('InvalidParameter', 'input.function is invalid.');
      if (typeof input.base_image_url !== 'string' || input.base_image_url === '')
        return this.error('InvalidParameter', 'Field required: input.base_image_url');
      const withMask = input.function === 'description_edit_with_mask';
      if (withMask && (typeof input.mask_image_url !== 'string' || input.mask_image_url === ''))
        return this.error('InvalidParameter', 'Field required: input.mask_image_url');
      const base = await this.inputProblem(input.base_image_url, 'base_image_url', signal);
      inputProblem = base.problem;
      if (!inputProblem && withMask) {
        const mask = await this.inputProblem(input.mask_image_url as string, 'mask_image_url', signal);
        inputProblem =
          mask.problem ??
          (base.size && mask.size && base.size !== mask.size
            ? 'The mask image must be the same size as the base image.'
            : undefined);
      }
      if (inputProblem && this.settings.inputErrorAt === 'create')
        return this.error('InvalidParameter', inputProblem);
    }

    const prompt = input.prompt;
    const errorCode = bracketedTrigger('ERROR', prompt);
    if (errorCode) return this.error(errorCode);
    const okCode = bracketedTrigger('200', prompt);
    if (okCode) return { status: 200, json: dashScopeErrorBody(okCode) };

    const failedCode = bracketedTrigger('TASK_FAILED', prompt);
    const outcome: TaskOutcome = inputProblem
      ? { kind: 'fail', code: 'InvalidParameter', message: inputProblem }
      : failedCode
        ? { kind: 'fail', code: failedCode }
        : prompt.includes(dashScopeTriggers.taskLost)
          ? { kind: 'lost' }
          : prompt.includes(dashScopeTriggers.stuckPending)
            ? { kind: 'stuck', status: 'PENDING' }
            : prompt.includes(dashScopeTriggers.stuckRunning)
              ? { kind: 'stuck', status: 'RUNNING' }
              : {
                  kind: 'succeed',
                  failedItems: prompt.includes(dashScopeTriggers.allItemsFailed)
                    ? 'all'
                    : prompt.includes(dashScopeTriggers.partialFailure)
                      ? 'last'
                      : 'none',
                };
    const task: DashScopeFakeTask = {
      id: randomUUID(),
      model: body.model,
      endpoint,
      body,
      polls: 0,
      status: 'PENDING',
      canceled: false,
      outcome,
      // docs/providers/wanx.md §4.3: longer prompts are silently truncated to 800 characters.
      prompt: prompt.slice(0, 800),
      // docs/providers/wanx.md §4.3 / docs/providers/wanx.md §4.4: n defaults to 4 for text-to-image, 1 for edits.
      n: (parameters.n as number | undefined) ?? (endpoint === 'text2image' ? 4 : 1),
      // docs/providers/wanx.md §4.3: prompt_extend defaults to true; edits have no prompt rewriting.
      promptExtend: endpoint === 'text2image' && parameters.prompt_extend !== false,
      submitTime: vendorTime(),
      gatewayErrors: prompt.includes(dashScopeTriggers.pollGatewayErrors) ? 2 : 0,
    };
    this.tasks.set(task.id, task);
    // docs/providers/wanx.md §4.5.
    return {
      status: 200,
      json: { output: { task_status: 'PENDING', task_id: task.id }, request_id: randomUUID() },
    };
  }

  /** The status the k-th poll reports. */
  private statusAt(task: DashScopeFakeTask): string {
    if (task.canceled) return 'CANCELED';
    if (task.outcome.kind === 'lost') return 'UNKNOWN';
    if (task.polls <= this.pendingPolls) return 'PENDING';
    if (task.outcome.kind === 'stuck') return task.outcome.status;
    if (task.polls <= this.pendingPolls + this.runningPolls) return 'RUNNING';
    return task.outcome.kind === 'fail' ? 'FAILED' : 'SUCCEEDED';
  }

  private poll({ request, params }: RouteContext): FakeResponse {
    const denied = this.authenticate(request);
    if (denied) return denied;
    const requestId = randomUUID();
    const task = this.tasks.get(params.id!);
    // docs/providers/wanx.md §4.6: an unknown or expired id is UNKNOWN, with HTTP 200.
    if (!task)
      return {
        status: 200,
        json: { request_id: requestId, output: { task_id: params.id, task_status: 'UNKNOWN' } },
      };
    if (task.gatewayErrors > 0) {
      // docs/providers/wanx.md §4.7: 503/504 come from a gateway in front of the API, as HTML.
      const status = task.gatewayErrors === 2 ? 503 : 504;
      task.gatewayErrors -= 1;
      return {
        status,
        headers: { 'content-type': 'text/html' },
        body: `<html><body><h1>${status} Gateway Error</h1></body></html>`,
      };
    }
    task.polls += 1;
    task.status = this.statusAt(task);
    const times = { submit_time: task.submitTime, scheduled_time: task.submitTime };
    const common = { task_id: task.id, task_status: task.status };
    if (task.status === 'UNKNOWN') return { status: 200, json: { request_id: requestId, output: common } };
    if (task.status === 'PENDING')
      return {
        status: 200,
        json: { request_id: requestId, output: { ...common, submit_time: task.submitTime } },
      };
    if (task.status === 'RUNNING')
      return { status: 200, json: { request_id: requestId, output: { ...common, ...times } } };
    if (task.status === 'CANCELED')
      return {
        status: 200,
        json: {
          request_id: requestId,
          output: { ...common, submit_time: task.submitTime, end_time: vendorTime() },
        },
      };
    if (task.outcome.kind === 'fail') {
      const { code, message } = task.outcome;
      const text = message ?? dashScopeErrorCatalog[code]?.message ?? 'Task failed.';
      return {
        status: 200,
        json: {
          request_id: requestId,
          output: { ...common, ...times, end_time: vendorTime(), code, message: text },
        },
      };
    }
    return { status: 200, json: this.succeeded(task, requestId) };
  }

  /** docs/providers/wanx.md §4.6 SUCCEEDED body, with failed items per the task's trigger. */
  private succeeded(task: DashScopeFakeTask, requestId: string): Record<string, unknown> {
    task.urls ??= Array.from({ length: task.n }, () => this.serveFile(this.settings.image));
    const failedItems = task.outcome.kind === 'succeed' ? task.outcome.failedItems : 'none';
    const failure = {
      code: 'InternalError.Timeout',
      message: dashScopeErrorCatalog['InternalError.Timeout']!.message,
    };
    const results = task.urls.map((url, index) => {
      if (failedItems === 'all' || (failedItems === 'last' && index === task.n - 1)) return failure;
      // docs/providers/wanx.md §4.6: edit results carry only `url`; actual_prompt only with prompt_extend.
      if (task.endpoint === 'image2image') return { url };
      return {
        orig_prompt: task.prompt,
        ...(task.promptExtend ? { actual_prompt: `${task.prompt}${dashScopePromptExtension}` } : {}),
        url,
      };
    });
    const succeeded = results.filter((item) => 'url' in item).length;
    return {
      request_id: requestId,
      output: {
        task_id: task.id,
        task_status: 'SUCCEEDED',
        submit_time: task.submitTime,
        scheduled_time: task.submitTime,
        end_time: vendorTime(),
        results,
        task_metrics: { TOTAL: task.n, SUCCEEDED: succeeded, FAILED: task.n - succeeded },
      },
      // docs/providers/wanx.md §4.6: image_count counts successes only.
      usage: { image_count: succeeded },
    };
  }

  /** Task-API doc mirror: only a PENDING task can be cancelled; the answer is `{request_id}`. */
  private cancel({ request, params }: RouteContext): FakeResponse {
    const denied = this.authenticate(request);
    if (denied) return denied;
    const task = this.tasks.get(params.id!);
    if (task?.status !== 'PENDING' || task.outcome.kind === 'lost') return this.error('UnsupportedOperation');
    task.canceled = true;
    task.status = 'CANCELED';
    return { status: 200, json: { request_id: randomUUID() } };
  }
}

/** `const fake = await createDashScopeFake().start()`; close it in `t.teardown`. */
export function createDashScopeFake(options: DashScopeFakeOptions = {}): DashScopeFake {
  return new DashScopeFake(options);
}
