import { randomUUID } from 'node:crypto';
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
 * A fake of Zhipu BigModel / Z.ai image generation (docs/providers/cogview.md §1, docs/providers/cogview.md (testing notes)) on loopback.
 * Adapters point their baseURL at `fake.apiBaseURL` (`<url>/api/paas/v4`). Every
 * point the spec marks (unverified) is an option, so tests can pin either behaviour.
 */

export const cogviewApiPath = '/api/paas/v4';

/** docs/providers/cogview.md §1.3: the current enum, plus `cogview-3-plus` from the older doc. */
export const cogviewFakeModels = [
  'glm-image',
  'cogview-4-250304',
  'cogview-4',
  'cogview-3-flash',
  'cogview-3-plus',
] as const;

/**
 * Put one of these in a prompt to get the matching docs/providers/cogview.md §1.6 error. They are distinct
 * words, none a prefix of another.
 */
export const cogviewTriggers = {
  /** 400 `1301` with `contentFilter` role `user` (prompt blocked). */
  unsafePrompt: 'FAKE_COGVIEW_1301_PROMPT',
  /** 400 `1301` with role `assistant` (output blocked); an async task FAILs instead. */
  unsafeOutput: 'FAKE_COGVIEW_1301_OUTPUT',
  /** 429 `1302`: concurrency too high. */
  concurrency: 'FAKE_COGVIEW_1302',
  /** 429 `1303`: frequency too high. */
  frequency: 'FAKE_COGVIEW_1303',
  /** 429 `1304`: daily call limit reached. */
  dailyLimit: 'FAKE_COGVIEW_1304',
  /** 429 `1308`: usage limit, resets at a time named in the message. */
  usageLimit: 'FAKE_COGVIEW_1308',
  /** 429 `1113`: balance exhausted. */
  balance: 'FAKE_COGVIEW_1113',
  /** 500 `500`: internal error. */
  serverError: 'FAKE_COGVIEW_500',
  /** Async only: the task ends in `FAIL`. */
  taskFailure: 'FAKE_COGVIEW_TASK_FAIL',
} as const;

/** docs/providers/cogview.md §1.6 business codes with their HTTP status and the vendor's text (CN where captured, else the intl text). */
export const cogviewErrorCatalog: Record<string, { status: number; message: string }> = {
  '500': { status: 500, message: 'Internal Error' },
  '1000': { status: 401, message: 'Authentication Failed' },
  '1001': { status: 401, message: 'Authentication parameter not received in Header, unable to authenticate' },
  '1002': { status: 401, message: 'Authorization Token非法，请确认Authorization Token正确传递。' },
  '1003': { status: 401, message: 'Authentication Token expired, please regenerate/obtain' },
  '1004': { status: 401, message: 'Authentication failed with the provided Authentication Token' },
  '1112': { status: 429, message: 'Your account has been locked, please contact customer service to unlock' },
  '1113': { status: 429, message: '余额不足或无可用资源包,请充值。' },
  '1200': { status: 400, message: 'API Call Error' },
  '1210': { status: 400, message: 'Incorrect API call parameters, please check the documentation' },
  '1211': { status: 400, message: '模型不存在，请检查模型代码。' },
  '1212': { status: 400, message: '当前模型不支持async调用方式。' },
  '1213': { status: 400, message: 'prompt参数未正常接收。' },
  '1214': { status: 400, message: 'size参数非法。请检查文档。' },
  '1215': {
    status: 400,
    message: 'The two fields cannot be set simultaneously, please check the documentation',
  },
  '1301': {
    status: 400,
    message:
      '系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合。',
  },
  '1302': { status: 429, message: '您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。' },
  '1303': { status: 429, message: '您当前使用该API的频率过高，请降低频率，或联系客服增加限额。' },
  '1304': { status: 429, message: '该API的今日调用次数已达到上限，如有更多需求，请联系客服购买。' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the vendor's own placeholder, filled in by cogviewErrorBody
  '1308': { status: 429, message: 'Usage limit reached for . Your limit will reset at ${next_flush_time}' },
};

/** A docs/providers/cogview.md §1.6 error body: `{"error":{"code","message"}}`, plus `contentFilter` for 1301. */
export function cogviewErrorBody(
  code: string,
  options: { message?: string; contentFilterRole?: 'user' | 'assistant'; requestId?: string } = {},
): Record<string, unknown> {
  const message = (options.message ?? cogviewErrorCatalog[code]?.message ?? 'Error').replace(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the vendor's placeholder
    '${next_flush_time}',
    nextFlushTime(),
  );
  return {
    // docs/providers/cogview.md §1.6: the refusal body carries a camelCase top-level contentFilter.
    ...(code === '1301' ? { contentFilter: [{ level: 1, role: options.contentFilterRole ?? 'user' }] } : {}),
    error: { code, message },
    ...(options.requestId ? { request_id: options.requestId } : {}),
  };
}

/** A fault for `fake.inject()` that answers with the vendor's error for `code`. */
export function cogviewErrorFault(code: string, headers: Record<string, string> = {}): Fault {
  return {
    kind: 'status',
    status: cogviewErrorCatalog[code]?.status ?? 400,
    body: cogviewErrorBody(code),
    headers,
  };
}

/** docs/providers/cogview.md §1.6 1308 names the reset as `${next_flush_time}`; its format is (unverified): Beijing time, one hour on. */
function nextFlushTime(): string {
  return new Date(Date.now() + 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

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

interface SizeRule {
  minSide: number;
  maxSide: number;
  multipleOf: number;
  maxPixels: number;
  defaultSize: string;
}

// docs/providers/cogview.md §1.3 custom-size rules.
const cogviewSizeRule: SizeRule = {
  minSide: 512,
  maxSide: 2048,
  multipleOf: 16,
  maxPixels: 2 ** 21,
  defaultSize: '1024x1024',
};
const glmImageSizeRule: SizeRule = {
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

type Outcome = { model: string; size: string; prompt: string } | FakeResponse;

export class CogviewFake extends FakeUpstream {
  readonly tasks = new Map<string, CogviewFakeTask>();
  processingPolls: number;
  private readonly settings: Required<Omit<CogviewFakeOptions, 'latencyMs' | 'processingPolls'>>;

  constructor(options: CogviewFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.processingPolls = options.processingPolls ?? 1;
    this.settings = {
      acceptKey: options.acceptKey ?? (() => true),
      models: options.models ?? cogviewFakeModels,
      caseInsensitiveModels: options.caseInsensitiveModels ?? true,
      asyncModels: options.asyncModels ?? ['glm-image'],
      requestIdInBodies: options.requestIdInBodies ?? false,
      glmImageStandardQuality: options.glmImageStandardQuality ?? 'reject',
      failedTaskBody: options.failedTaskBody ?? 'bare',
      unknownTask: options.unknownTask ?? { status: 400, code: '1214' },
      image: options.image ?? tinyPng(),
      contentFilter: options.contentFilter ?? [{ role: 'assistant', level: 3 }],
    };
    this.route('POST', `${cogviewApiPath}/images/generations`, (context) => this.generate(context));
    this.route('POST', `${cogviewApiPath}/async/images/generations`, (context) => this.createTask(context));
    this.route('GET', `${cogviewApiPath}/async-result/:id`, (context) => this.pollTask(context));
  }

  /** The base URL an adapter is configured with. */
  get apiBaseURL(): string {
    return `${this.url}${cogviewApiPath}`;
  }

  /** Answer the next `times` matching requests with the vendor's error for `code`. */
  failWith(code: string, rule: Omit<FaultRule, 'fault'> & { headers?: Record<string, string> } = {}): this {
    const { headers, ...rest } = rule;
    return this.inject({ ...rest, fault: cogviewErrorFault(code, headers) });
  }

  private error(code: string, message?: string, contentFilterRole?: 'user' | 'assistant'): FakeResponse {
    const status = cogviewErrorCatalog[code]?.status ?? 400;
    return {
      status,
      json: cogviewErrorBody(code, {
        ...(message ? { message } : {}),
        ...(contentFilterRole ? { contentFilterRole } : {}),
        ...(this.settings.requestIdInBodies ? { requestId: randomUUID() } : {}),
      }),
    };
  }

  /** docs/providers/cogview.md §1.2: the fake only checks `Bearer <something>`. */
  private authenticate(request: RecordedRequest): FakeResponse | undefined {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return this.error('1001');
    if (!this.settings.acceptKey(match[1]!)) return this.error('1002');
    return undefined;
  }

  private resolveModel(model: string): string | undefined {
    const wanted = this.settings.caseInsensitiveModels ? model.toLowerCase() : model;
    return this.settings.models.find(
      (known) => (this.settings.caseInsensitiveModels ? known.toLowerCase() : known) === wanted,
    );
  }

  private sizeProblem(size: string, model: string): string | undefined {
    const rule = model === 'glm-image' ? glmImageSizeRule : cogviewSizeRule;
    const match = /^(\d+)x(\d+)$/.exec(size);
    if (!match) return 'size参数格式非法，应为WxH。';
    const width = Number(match[1]);
    const height = Number(match[2]);
    const inRange = (side: number) =>
      side >= rule.minSide && side <= rule.maxSide && side % rule.multipleOf === 0;
    if (!inRange(width) || !inRange(height) || width * height > rule.maxPixels) {
      return `size参数非法：宽高需在${rule.minSide}-${rule.maxSide}之间且为${rule.multipleOf}的倍数，总像素不超过${rule.maxPixels}。`;
    }
    return undefined;
  }

  /** Checks a docs/providers/cogview.md §1.3 body the same way for both endpoints; returns the error to send, or what to generate. */
  private validate(request: RecordedRequest): Outcome {
    const denied = this.authenticate(request);
    if (denied) return denied;
    const body = request.json;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return this.error('1210');
    // docs/providers/cogview.md §1.3: unknown and legacy keys (n, response_format, ...) are ignored.
    const fields = body as Record<string, unknown>;
    if (typeof fields.model !== 'string' || fields.model === '')
      return this.error('1213', 'model参数未正常接收。');
    const model = this.resolveModel(fields.model);
    if (!model) return this.error('1211');
    if (typeof fields.prompt !== 'string' || fields.prompt.trim() === '') return this.error('1213');
    const size =
      fields.size === undefined
        ? (model === 'glm-image' ? glmImageSizeRule : cogviewSizeRule).defaultSize
        : fields.size;
    if (typeof size !== 'string') return this.error('1214');
    const sizeProblem = this.sizeProblem(size, model);
    if (sizeProblem) return this.error('1214', sizeProblem);
    if (fields.quality !== undefined && fields.quality !== 'hd' && fields.quality !== 'standard')
      return this.error('1214', 'quality参数非法。请检查文档。');
    if (
      model === 'glm-image' &&
      fields.quality === 'standard' &&
      this.settings.glmImageStandardQuality === 'reject'
    ) {
      return this.error('1214', 'quality参数非法。请检查文档。');
    }
    if (
      fields.user_id !== undefined &&
      (typeof fields.user_id !== 'string' || fields.user_id.length < 6 || fields.user_id.length > 128)
    ) {
      return this.error('1214', 'user_id参数非法。请检查文档。');
    }
    if (fields.watermark_enabled !== undefined && typeof fields.watermark_enabled !== 'boolean') {
      return this.error('1214', 'watermark_enabled参数非法。请检查文档。');
    }
    return { model, size, prompt: fields.prompt };
  }

  /** Prompt triggers that fail the call itself (not a task). */
  private triggered(prompt: string, synchronous: boolean): FakeResponse | undefined {
    if (prompt.includes(cogviewTriggers.unsafePrompt)) return this.error('1301', undefined, 'user');
    if (synchronous && prompt.includes(cogviewTriggers.unsafeOutput))
      return this.error('1301', undefined, 'assistant');
    const codes: Array<[string, string]> = [
      [cogviewTriggers.concurrency, '1302'],
      [cogviewTriggers.frequency, '1303'],
      [cogviewTriggers.dailyLimit, '1304'],
      [cogviewTriggers.usageLimit, '1308'],
      [cogviewTriggers.balance, '1113'],
      [cogviewTriggers.serverError, '500'],
    ];
    const hit = codes.find(([word]) => prompt.includes(word));
    return hit ? this.error(hit[1]) : undefined;
  }

  private generate({ request }: RouteContext): FakeResponse {
    const outcome = this.validate(request);
    if (!('prompt' in outcome)) return outcome;
    const refused = this.triggered(outcome.prompt, true);
    if (refused) return refused;
    // docs/providers/cogview.md §1.4: always exactly one image, whatever `n` asked for.
    return {
      status: 200,
      json: {
        created: Math.floor(Date.now() / 1000),
        data: [{ url: this.serveFile(this.settings.image) }],
        content_filter: this.settings.contentFilter,
        ...(this.settings.requestIdInBodies ? { request_id: randomUUID() } : {}),
      },
    };
  }

  private createTask({ request }: RouteContext): FakeResponse {
    const outcome = this.validate(request);
    if (!('prompt' in outcome)) return outcome;
    if (!this.settings.asyncModels.includes(outcome.model)) return this.error('1212');
    const refused = this.triggered(outcome.prompt, false);
    if (refused) return refused;
    const unsafeOutput = outcome.prompt.includes(cogviewTriggers.unsafeOutput);
    const task: CogviewFakeTask = {
      id: `${Date.now()}-${randomUUID()}`,
      requestId: randomUUID(),
      model: outcome.model,
      polls: 0,
      outcome: unsafeOutput || outcome.prompt.includes(cogviewTriggers.taskFailure) ? 'FAIL' : 'SUCCESS',
      failureCode: unsafeOutput ? '1301' : '500',
    };
    this.tasks.set(task.id, task);
    // docs/providers/cogview.md §1.5 step 1.
    return {
      status: 200,
      json: { model: task.model, id: task.id, request_id: task.requestId, task_status: 'PROCESSING' },
    };
  }

  private pollTask({ request, params }: RouteContext): FakeResponse {
    const denied = this.authenticate(request);
    if (denied) return denied;
    const task = this.tasks.get(params.id!);
    if (!task) {
      const { status, code } = this.settings.unknownTask;
      return { status, json: cogviewErrorBody(code, { message: `id参数非法：任务${params.id}不存在。` }) };
    }
    task.polls += 1;
    const common = { id: task.id, request_id: task.requestId, model: task.model };
    if (task.polls <= this.processingPolls)
      return { status: 200, json: { ...common, task_status: 'PROCESSING' } };
    if (task.outcome === 'FAIL') {
      const detail =
        this.settings.failedTaskBody === 'with-error'
          ? { error: cogviewErrorBody(task.failureCode).error }
          : {};
      return { status: 200, json: { ...common, task_status: 'FAIL', ...detail } };
    }
    // docs/providers/cogview.md §1.5 step 2: the image is at image_result[0].url.
    task.url ??= this.serveFile(this.settings.image);
    return {
      status: 200,
      json: {
        ...common,
        task_status: 'SUCCESS',
        image_result: [{ url: task.url }],
        content_filter: this.settings.contentFilter,
      },
    };
  }
}

/** `const fake = await createCogviewFake().start()`; close it in `t.teardown`. */
export function createCogviewFake(options: CogviewFakeOptions = {}): CogviewFake {
  return new CogviewFake(options);
}
