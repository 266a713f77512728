import { FakeUpstream, type FakeResponse, type FaultRule, type RecordedRequest } from '../fake-upstream.js';
import { tinyPng } from '../test-images.js';
import { dashScopeErrorBody, dashScopeErrorCatalog, dashScopeErrorFault } from './dashscope-fake-errors.js';
import {
  dashScopeApiPath,
  type DashScopeFakeOptions,
  type DashScopeFakeTask,
  dashScopeImageEditModels,
  type DashScopeRegion,
  dashScopeSyncModels,
  dashScopeUploadHostPath,
  dashScopeTextToImageModels,
} from './dashscope-fake-options.js';
import { checkDashScopeInput } from './dashscope-input-check.js';
import { multimodalAnswer } from './dashscope-multimodal.js';
import { createDashScopeTask } from './dashscope-task-create.js';
import type { DashScopeTaskHost } from './dashscope-task-host.js';
import { cancelDashScopeTask, pollDashScopeTask } from './dashscope-task-poll.js';
import { DashScopeUploads } from './dashscope-uploads.js';

/**
 * A fake of DashScope WanX image synthesis (docs/providers/wanx.md §4, docs/providers/wanx.md (testing notes)) on loopback: create a
 * task, poll it through PENDING → RUNNING → a final state, cancel it. Adapters point
 * their baseURL at `fake.apiBaseURL` (`<url>/api/v1`). Every point the spec marks
 * (unverified) is an option, so a test can pin either behaviour.
 *
 * This file holds the routes and the shared state; each concern has its own file: task
 * creation (`dashscope-task-create.ts`), polling and cancelling (`dashscope-task-poll.ts`),
 * input image URLs (`dashscope-input-check.ts`), the temporary upload (`dashscope-uploads.ts`),
 * the synchronous protocol (`dashscope-multimodal.ts`), errors, options and request checks.
 */

export class DashScopeFake extends FakeUpstream implements DashScopeTaskHost {
  readonly tasks = new Map<string, DashScopeFakeTask>();
  readonly region: DashScopeRegion;
  /** Files stored by the temporary upload flow (docs/providers/wanx.md §13.1). */
  readonly uploads: DashScopeUploads;
  pendingPolls: number;
  runningPolls: number;
  readonly settings: Required<
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
      createDashScopeTask(this, context, 'text2image'),
    );
    this.route('POST', `${dashScopeApiPath}/services/aigc/image2image/image-synthesis`, (context) =>
      createDashScopeTask(this, context, 'image2image'),
    );
    this.route('GET', `${dashScopeApiPath}/tasks/:id`, (context) => pollDashScopeTask(this, context));
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
            serveImage: () => this.serveImage(),
          },
          context,
          this.settings.syncModels,
        )
      );
    });
    this.route('POST', `${dashScopeApiPath}/tasks/:id/cancel`, (context) =>
      cancelDashScopeTask(this, context),
    );
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
  authenticate(request: RecordedRequest): FakeResponse | undefined {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return this.error('InvalidApiKey', 'No API-key provided.');
    if (this.settings.apiKeys && !this.settings.apiKeys.includes(match[1]!))
      return this.error('InvalidApiKey');
    return undefined;
  }

  /** An input image URL of a model call (dashscope-input-check.ts). */
  inputCheck(
    url: string,
    field: string,
    model: string,
    request: RecordedRequest,
    signal: AbortSignal,
  ): Promise<{ problem?: string; size?: string } | { response: FakeResponse }> {
    return checkDashScopeInput(this.uploads, this.settings.fetchInputs, url, field, model, request, signal);
  }

  /** A loopback URL serving the configured result image. */
  serveImage(): string {
    return this.serveFile(this.settings.image);
  }
}

/** `const fake = await createDashScopeFake().start()`; close it in `t.teardown`. */
export function createDashScopeFake(options: DashScopeFakeOptions = {}): DashScopeFake {
  return new DashScopeFake(options);
}
