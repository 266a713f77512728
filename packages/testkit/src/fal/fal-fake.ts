import { randomUUID } from 'node:crypto';
import {
  FakeUpstream,
  type FakeResponse,
  type RecordedRequest,
  type RouteContext,
} from '../fake-upstream.js';
import { falFakeEndpoints, type FalFakeOptions, type FalFakeRequest } from './fal-fake-options.js';
import {
  falContentPolicyError,
  falExhaustedBalance,
  falInfrastructureError,
  falInfrastructureTrigger,
  falTriggers,
  falValidationError,
} from './fal-fake-errors.js';
import { tinyPng } from '../test-images.js';

/**
 * A fake of fal's queue API (docs/providers/fal.md §9.2, testing notes) on loopback: submit to
 * `/{owner}/{app}[/{path}]`, then status, result and cancel under `/{owner}/{app}/requests/{id}`
 * only (docs/providers/fal.md §9.1), `Authorization: Key`, 202 while queued or running and 200 when
 * done. Adapters point their baseURL at `fake.url`. What the spec marks (unverified) is an option.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class FalFake extends FakeUpstream {
  readonly queued = new Map<string, FalFakeRequest>();
  readonly endpoints: Set<string>;
  queuePolls: number;
  progressPolls: number;
  outputShape: 'images' | 'image';
  nsfwField: 'has_nsfw_concepts' | 'nsfw_content_detected';
  private readonly options: FalFakeOptions;

  constructor(options: FalFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.options = options;
    this.endpoints = new Set(options.endpoints ?? falFakeEndpoints);
    this.queuePolls = options.queuePolls ?? 1;
    this.progressPolls = options.progressPolls ?? 1;
    this.outputShape = options.outputShape ?? 'images';
    this.nsfwField = options.nsfwField ?? 'has_nsfw_concepts';
    this.route('GET', '/:owner/:app/requests/:id/status', (context) => this.status(context));
    this.route('PUT', '/:owner/:app/requests/:id/cancel', (context) => this.cancel(context));
    this.route('GET', '/:owner/:app/requests/:id', (context) => this.result(context));
    this.route('POST', '/:endpoint*', (context) => this.submit(context));
  }

  /** The queue URL of a request, as the vendor builds it (owner/app only). */
  requestUrl(request: FalFakeRequest): string {
    return `${this.url}/${request.endpoint.split('/').slice(0, 2).join('/')}/requests/${request.id}`;
  }

  private authError(request: RecordedRequest): FakeResponse | undefined {
    const header = String(request.headers.authorization ?? '');
    const key = header.startsWith('Key ') ? header.slice(4) : '';
    const allowed = this.options.apiKeys;
    if (key && (!allowed || allowed.includes(key))) return undefined;
    return this.options.authError ?? { status: 401, json: { detail: 'Invalid Key' } };
  }

  private find(context: RouteContext): FalFakeRequest | undefined {
    const request = this.queued.get(context.params.id!);
    const ownerApp = `${context.params.owner}/${context.params.app}`;
    // docs/providers/fal.md §9.1: the sub-path is not part of these URLs.
    return request && request.endpoint.split('/').slice(0, 2).join('/') === ownerApp ? request : undefined;
  }

  private submit({ request, params }: RouteContext): FakeResponse {
    const denied = this.authError(request);
    if (denied) return denied;
    const endpoint = params.endpoint!;
    if (!this.endpoints.has(endpoint))
      return { status: 404, json: { detail: `Application '${endpoint}' not found` } };
    const input = request.json;
    if (!isObject(input))
      return falValidationError('body', 'Input should be a valid dictionary', 'dict_type');
    const prompt = input.prompt;
    if (typeof prompt !== 'string' || prompt === '')
      return falValidationError('prompt', 'Field required', 'missing');
    if (prompt.includes(falTriggers.exhaustedBalance)) return falExhaustedBalance;
    if (prompt.includes(falTriggers.rateLimited))
      return { status: 429, headers: { 'retry-after': '1' }, json: { detail: 'Too many requests' } };
    if (prompt.includes(falTriggers.errorObject))
      return { status: 500, json: { error: { message: 'Internal error', code: 'internal_error' } } };
    const invalid = this.validate(input);
    if (invalid) return invalid;
    const id = randomUUID();
    const record: FalFakeRequest = {
      id,
      endpoint,
      input,
      headers: request.headers,
      polls: 0,
      status: 'IN_QUEUE',
      canceled: false,
      resultFetches: 0,
    };
    this.queued.set(id, record);
    const url = this.requestUrl(record);
    return {
      status: 200,
      json: {
        request_id: id,
        response_url: url,
        status_url: `${url}/status`,
        cancel_url: `${url}/cancel`,
        status: 'IN_QUEUE',
        queue_position: this.queuePolls,
      },
    };
  }

  /** docs/providers/fal.md §9.3 ranges, for the fields the adapter sends. */
  private validate(input: Record<string, unknown>): FakeResponse | undefined {
    const numImages = input.num_images;
    if (
      numImages !== undefined &&
      !(Number.isInteger(numImages) && Number(numImages) >= 1 && Number(numImages) <= 4)
    )
      return falValidationError('num_images', 'Input should be less than or equal to 4', 'less_than_equal');
    const size = input.image_size;
    if (
      size !== undefined &&
      !(
        typeof size === 'string' ||
        (isObject(size) && Number.isInteger(size.width) && Number.isInteger(size.height))
      )
    )
      return falValidationError('image_size', 'Input should be a valid image size');
    for (const field of ['image_url', 'mask_url'])
      if (input[field] !== undefined && !/^(https?:|data:image\/)/.test(String(input[field])))
        return falValidationError(field, 'Input should be a valid URL');
    return undefined;
  }

  private status(context: RouteContext): FakeResponse {
    const denied = this.authError(context.request);
    if (denied) return denied;
    const record = this.find(context);
    if (!record) return { status: 404, json: { detail: 'Request not found' } };
    record.polls += 1;
    const prompt = String(record.input.prompt);
    const urls = {
      request_id: record.id,
      response_url: this.requestUrl(record),
      status_url: `${this.requestUrl(record)}/status`,
      cancel_url: `${this.requestUrl(record)}/cancel`,
    };
    if (record.canceled) return { status: 200, json: { status: 'CANCELED', ...urls } };
    if (prompt.includes(falTriggers.stuck) || record.polls <= this.queuePolls) {
      return {
        status: 202,
        json: { status: 'IN_QUEUE', queue_position: Math.max(0, this.queuePolls - record.polls), ...urls },
      };
    }
    if (record.polls <= this.queuePolls + this.progressPolls) {
      record.status = 'IN_PROGRESS';
      const log = {
        message: 'Generating',
        level: 'INFO',
        source: 'USER',
        timestamp: new Date().toISOString(),
      };
      return { status: 202, json: { status: 'IN_PROGRESS', logs: [log], ...urls } };
    }
    if (prompt.includes(falTriggers.failed)) {
      record.status = 'FAILED';
      return { status: 200, json: { status: 'FAILED', ...urls } };
    }
    record.status = 'COMPLETED';
    return {
      status: 200,
      json: { status: 'COMPLETED', logs: [], metrics: { inference_time: 1.23 }, ...urls },
    };
  }

  private result(context: RouteContext): FakeResponse {
    const denied = this.authError(context.request);
    if (denied) return denied;
    const record = this.find(context);
    if (!record) return { status: 404, json: { detail: 'Request not found' } };
    record.resultFetches += 1;
    if (record.status === 'FAILED') return { status: 500, json: { detail: 'Model failed' } };
    if (record.status !== 'COMPLETED')
      return {
        status: this.options.inProgressResultStatus ?? 400,
        json: { detail: 'Request is still in progress' },
      };
    const prompt = String(record.input.prompt);
    if (prompt.includes(falTriggers.contentPolicy)) return falContentPolicyError(prompt);
    const infrastructure = falInfrastructureTrigger(prompt);
    if (infrastructure) return falInfrastructureError(infrastructure);
    if (prompt.includes(falTriggers.retryableModelError))
      return {
        status: 422,
        headers: { 'x-fal-retryable': 'true' },
        json: { detail: [{ loc: ['body'], msg: 'CUDA out of memory', type: 'runtime_error' }] },
      };
    return { status: 200, headers: { 'x-fal-request-id': record.id }, json: this.output(record, prompt) };
  }

  private output(record: FalFakeRequest, prompt: string): Record<string, unknown> {
    const count = Number(record.input.num_images ?? 1);
    const size = isObject(record.input.image_size) ? record.input.image_size : { width: 1024, height: 768 };
    const data = this.options.image ?? tinyPng();
    const images = Array.from({ length: count }, () => ({
      url:
        record.input.sync_mode === true
          ? `data:image/png;base64,${data.toString('base64')}`
          : this.serveFile(data),
      width: size.width,
      height: size.height,
      content_type: 'image/png',
    }));
    const flags = images.map(
      (_, index) =>
        prompt.includes(falTriggers.nsfwAll) || (index === 0 && prompt.includes(falTriggers.nsfwFirst)),
    );
    return {
      ...(this.outputShape === 'images' ? { images } : { image: images[0] }),
      timings: { inference: 1.58 },
      seed: typeof record.input.seed === 'number' ? record.input.seed : 123456,
      [this.nsfwField]: flags,
      prompt,
    };
  }

  private cancel(context: RouteContext): FakeResponse {
    const denied = this.authError(context.request);
    if (denied) return denied;
    const statuses = this.options.cancelStatuses ?? {};
    const record = this.find(context);
    if (!record) return { status: statuses.notFound ?? 404, json: { status: 'NOT_FOUND' } };
    if (record.status === 'COMPLETED' || record.status === 'FAILED')
      return { status: statuses.alreadyCompleted ?? 400, json: { status: 'ALREADY_COMPLETED' } };
    record.canceled = true;
    return { status: statuses.accepted ?? 202, json: { status: 'CANCELLATION_REQUESTED' } };
  }
}

export function createFalFake(options: FalFakeOptions = {}): FalFake {
  return new FalFake(options);
}
