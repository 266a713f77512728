import { randomUUID } from 'node:crypto';
import {
  FakeUpstream,
  type FakeResponse,
  type FaultRule,
  type RecordedRequest,
  type RouteContext,
} from '../fake-upstream.js';
import { tinyPng } from '../test-images.js';
import {
  cogviewErrorBody,
  cogviewErrorCatalog,
  cogviewErrorFault,
  cogviewTriggers,
} from './cogview-fake-errors.js';
import {
  cogviewApiPath,
  type CogviewFakeOptions,
  type CogviewFakeTask,
  cogviewFakeModels,
  type CogviewOutcome,
  cogviewSizeRule,
  glmImageSizeRule,
} from './cogview-fake-options.js';

/**
 * A fake of Zhipu BigModel / Z.ai image generation (docs/providers/cogview.md §1, docs/providers/cogview.md (testing notes)) on loopback.
 * Adapters point their baseURL at `fake.apiBaseURL` (`<url>/api/paas/v4`). Every
 * point the spec marks (unverified) is an option, so tests can pin either behaviour.
 */

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
  private validate(request: RecordedRequest): CogviewOutcome {
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
