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
  imageBytesProblem,
  inputImageProblem,
  isObject,
  parametersProblem,
  sizeProblem,
} from './dashscope-fake-checks.js';
import { multimodalAnswer } from './dashscope-multimodal.js';
import { DashScopeUploads } from './dashscope-uploads.js';
import {
  bracketedTrigger,
  dashScopeErrorBody,
  dashScopeErrorCatalog,
  dashScopeErrorFault,
  dashScopeSynchronousCallMessage,
  dashScopeTriggers,
} from './dashscope-fake-errors.js';
import {
  dashScopeApiPath,
  dashScopeEditFunctions,
  type DashScopeFakeOptions,
  type DashScopeFakeTask,
  dashScopeImageEditModels,
  type DashScopeRegion,
  dashScopeSyncModels,
  dashScopeUploadHostPath,
  dashScopeTextToImageModels,
  type TaskOutcome,
} from './dashscope-fake-options.js';
import { succeededTaskBody, vendorTime } from './dashscope-task-body.js';

/**
 * A fake of DashScope WanX image synthesis (docs/providers/wanx.md §4, docs/providers/wanx.md (testing notes)) on loopback: create a
 * task, poll it through PENDING → RUNNING → a final state, cancel it. Adapters point
 * their baseURL at `fake.apiBaseURL` (`<url>/api/v1`). Every point the spec marks
 * (unverified) is an option, so a test can pin either behaviour.
 */

export class DashScopeFake extends FakeUpstream {
  readonly tasks = new Map<string, DashScopeFakeTask>();
  readonly region: DashScopeRegion;
  /** Files stored by the temporary upload flow (docs/providers/wanx.md §13.1). */
  readonly uploads: DashScopeUploads;
  pendingPolls: number;
  runningPolls: number;
  private readonly settings: Required<
    Omit<
      DashScopeFakeOptions,
      | 'latencyMs'
      | 'pendingPolls'
      | 'runningPolls'
      | 'region'
      | 'apiKeys'
      | 'uploadPolicyContainer'
      | 'missingResolveHeader'
    >
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
      syncModels: options.syncModels ?? dashScopeSyncModels,
    };
    this.route('POST', `${dashScopeApiPath}/services/aigc/text2image/image-synthesis`, (context) =>
      this.create(context, 'text2image'),
    );
    this.route('POST', `${dashScopeApiPath}/services/aigc/image2image/image-synthesis`, (context) =>
      this.create(context, 'image2image'),
    );
    this.route('GET', `${dashScopeApiPath}/tasks/:id`, (context) => this.poll(context));
    this.uploads = new DashScopeUploads(
      {
        policyContainer: options.uploadPolicyContainer ?? 'data',
        missingResolveHeader: options.missingResolveHeader ?? { status: 400, code: 'InvalidParameter' },
      },
      () => `${this.url}${dashScopeUploadHostPath}`,
    );
    this.route('GET', `${dashScopeApiPath}/uploads`, ({ request }) => {
      const denied = this.authenticate(request);
      return denied ?? this.uploads.getPolicy(request, (code, message) => this.error(code, message));
    });
    this.route('POST', dashScopeUploadHostPath, ({ request }) => this.uploads.upload(request));
    this.route('POST', `${dashScopeApiPath}/services/aigc/multimodal-generation/generation`, (context) => {
      const denied = this.authenticate(context.request);
      return (
        denied ??
        multimodalAnswer(
          {
            error: (code, message) => this.error(code, message),
            inputCheck: (url, field, model, request, signal) =>
              this.inputCheck(url, field, model, request, signal),
            serveImage: () => this.serveFile(this.settings.image),
          },
          context,
          this.settings.syncModels,
        )
      );
    });
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

  /** A flat docs/providers/wanx.md §4.7 error with the configured status. */
  error(code: string, message?: string): FakeResponse {
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
    const parameterProblem = parametersProblem(parameters);
    if (parameterProblem) return this.error('InvalidParameter', parameterProblem);
    if (input.negative_prompt !== undefined && typeof input.negative_prompt !== 'string')
      return this.error('InvalidParameter', 'input.negative_prompt must be a string.');

    let inputProblem: string | undefined;
    if (endpoint === 'text2image') {
      const problem = sizeProblem(parameters.size);
      if (problem) return this.error('InvalidParameter', problem);
    } else {
      if (!(dashScopeEditFunctions as readonly string[]).includes(input.function as string))
        return this.error('InvalidParameter', 'input.function is invalid.');
      if (typeof input.base_image_url !== 'string' || input.base_image_url === '')
        return this.error('InvalidParameter', 'Field required: input.base_image_url');
      const withMask = input.function === 'description_edit_with_mask';
      if (withMask && (typeof input.mask_image_url !== 'string' || input.mask_image_url === ''))
        return this.error('InvalidParameter', 'Field required: input.mask_image_url');
      const base = await this.inputCheck(input.base_image_url, 'base_image_url', body.model, request, signal);
      if ('response' in base) return base.response;
      inputProblem = base.problem;
      if (!inputProblem && withMask) {
        const mask = await this.inputCheck(
          input.mask_image_url as string,
          'mask_image_url',
          body.model,
          request,
          signal,
        );
        if ('response' in mask) return mask.response;
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

  /**
   * An input image URL of a model call: an `oss://` temporary upload (docs/providers/wanx.md §13.1)
   * is read from this fake's store, an http(s) URL fetched when on loopback. A missing
   * resolve header is the call's error; other problems are reported as the vendor would.
   */
  async inputCheck(
    url: string,
    field: string,
    model: string,
    request: RecordedRequest,
    signal: AbortSignal,
  ): Promise<{ problem?: string; size?: string } | { response: FakeResponse }> {
    if (!url.startsWith('oss://')) return inputImageProblem(this.settings.fetchInputs, url, field, signal);
    const read = this.uploads.read(url, model, request.headers);
    if ('code' in read) {
      if (read.status !== 400 || read.code !== 'InvalidParameter')
        return {
          response: { status: read.status, json: dashScopeErrorBody(read.code, { message: read.message }) },
        };
      // Not the header: a missing or foreign file, reported like any bad input.
      return String(request.headers['x-dashscope-ossresourceresolve'] ?? '').toLowerCase() === 'enable'
        ? { problem: read.message }
        : {
            response: { status: read.status, json: dashScopeErrorBody(read.code, { message: read.message }) },
          };
    }
    return imageBytesProblem(read.bytes, field);
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
    return {
      status: 200,
      json: succeededTaskBody(task, requestId, () => this.serveFile(this.settings.image)),
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
