import { randomUUID } from 'node:crypto';
import {
  bflConcurrencyLimits,
  bflErrorBody,
  bflFakeCost,
  bflFakeModels,
  bflTrigger,
  bflTriggers,
  bflValidationBody,
  type BflFakeFinalStatus,
} from './bfl-fake-catalog.js';
import { validateBflBody } from './bfl-fake-validation.js';
import {
  FakeUpstream,
  type FakeResponse,
  type RecordedRequest,
  type RouteContext,
} from '../fake-upstream.js';
import { tinyPng } from '../test-images.js';

/**
 * A fake of the BFL FLUX API (docs/providers/bfl.md §7) on loopback, as three servers:
 * the API host (submit), a sibling "cluster" host that the `polling_url` names (to catch
 * adapters that rebuild the URL instead of polling it as given) and a delivery host whose
 * signed URLs expire. Every point the vendor leaves (unverified) is an option.
 */

export interface BflFakeOptions {
  latencyMs?: number;
  /** Only these keys authenticate (default: any non-empty `x-key`). */
  apiKeys?: readonly string[];
  /** (unverified) The status of a missing or wrong key: 401 or 403 (FastAPI's APIKeyHeader). Default 403. */
  authErrorStatus?: 401 | 403;
  /** Polls answering `Pending` before the final status. Default 1. */
  pendingPolls?: number;
  /** docs/providers/bfl.md §7.4 observed non-terminal statuses shown after `Pending` (e.g. `Reasoning`, `Generating`). */
  interimStatuses?: readonly string[];
  /** docs/providers/bfl.md §7.6: tasks in flight per key before 429. Default 24 (6 for kontext-max). */
  concurrencyLimit?: number;
  /** Credits on the account; a submit costing more answers 402. Default: unlimited. */
  credits?: number;
  /** `cluster` (default): the polling URL names the sibling host; `same`: the API host. */
  pollingHost?: 'cluster' | 'same';
  /** (unverified) HTTP status of a `Task not found` poll. Default 200. */
  taskNotFoundHttpStatus?: number;
  /** docs/providers/bfl.md §7.5: delivery URLs expire after this long. Default 600 s. */
  deliveryTtlMs?: number;
  /** (unverified) What an expired delivery URL answers. Default 403. */
  expiredDeliveryStatus?: 403 | 404;
  /** (unverified) The delivery host refuses requests carrying `x-key` (403). Default false. */
  rejectKeyOnDelivery?: boolean;
  /** The clock of delivery expiry. Default Date.now. */
  now?: () => number;
  /** The image every task delivers. Default `tinyPng()`. */
  image?: Buffer;
}

export interface BflFakeTask {
  id: string;
  model: string;
  body: Record<string, unknown>;
  polls: number;
  status: string;
  final: BflFakeFinalStatus | 'Ready' | 'stuck';
  forgotten: boolean;
  cost: number;
  seed: number;
  sample?: string;
}

export class BflFake extends FakeUpstream {
  /** The host polling URLs name (docs/providers/bfl.md §7.1: another cluster). */
  readonly cluster = new FakeUpstream();
  /** The host of result URLs (docs/providers/bfl.md §7.5). */
  readonly delivery = new FakeUpstream();
  readonly tasks = new Map<string, BflFakeTask>();
  /** Delivery requests that carried `x-key` (the adapter must never send it there). */
  deliveryRequestsWithKey = 0;
  credits: number;
  private readonly deliveryFiles = new Map<string, { data: Buffer; expiresAt: number }>();
  private readonly settings: Required<
    Omit<BflFakeOptions, 'latencyMs' | 'apiKeys' | 'credits' | 'concurrencyLimit'>
  > &
    Pick<BflFakeOptions, 'apiKeys' | 'concurrencyLimit'>;

  constructor(options: BflFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.credits = options.credits ?? Number.POSITIVE_INFINITY;
    this.settings = {
      ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}),
      ...(options.concurrencyLimit !== undefined ? { concurrencyLimit: options.concurrencyLimit } : {}),
      authErrorStatus: options.authErrorStatus ?? 403,
      pendingPolls: options.pendingPolls ?? 1,
      interimStatuses: options.interimStatuses ?? [],
      pollingHost: options.pollingHost ?? 'cluster',
      taskNotFoundHttpStatus: options.taskNotFoundHttpStatus ?? 200,
      deliveryTtlMs: options.deliveryTtlMs ?? 600_000,
      expiredDeliveryStatus: options.expiredDeliveryStatus ?? 403,
      rejectKeyOnDelivery: options.rejectKeyOnDelivery ?? false,
      now: options.now ?? Date.now,
      image: options.image ?? tinyPng(),
    };
    this.route('POST', '/v1/:model', (context) => this.submit(context));
    for (const host of [this, this.cluster] as FakeUpstream[])
      host.route('GET', '/v1/get_result', (context) => this.poll(context));
    this.delivery.route('GET', '/results/:id/sample.png', (context) => this.deliver(context));
  }

  /** The base URL an adapter is configured with (`<url>/v1`). */
  get apiBaseURL(): string {
    return `${this.url}/v1`;
  }

  override async start(port = 0): Promise<this> {
    await super.start(port);
    await this.cluster.start();
    await this.delivery.start();
    return this;
  }

  override async close(): Promise<void> {
    await Promise.all([super.close(), this.cluster.close(), this.delivery.close()]);
  }

  /** Polls, wherever they went. */
  get polls(): RecordedRequest[] {
    return [...this.requests, ...this.cluster.requests].filter(
      (request) => request.path === '/v1/get_result',
    );
  }

  get submits(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'POST');
  }

  get lastTask(): BflFakeTask | undefined {
    return [...this.tasks.values()].at(-1);
  }

  /** Tasks still running (docs/providers/bfl.md §7.6: what the concurrency limit counts). */
  get activeTasks(): number {
    return [...this.tasks.values()].filter(
      (task) => task.status === 'Pending' || this.settings.interimStatuses.includes(task.status),
    ).length;
  }

  private authenticate(request: RecordedRequest): FakeResponse | undefined {
    const key = request.headers['x-key'];
    const known =
      typeof key === 'string' &&
      key !== '' &&
      (!this.settings.apiKeys || this.settings.apiKeys.includes(key));
    if (known) return undefined;
    const status = this.settings.authErrorStatus;
    return { status, json: bflErrorBody(status) };
  }

  private submit({ request, params }: RouteContext): FakeResponse {
    const denied = this.authenticate(request);
    if (denied) return denied;
    const model = params.model!;
    const schema = bflFakeModels[model as keyof typeof bflFakeModels];
    if (!schema) return { status: 404, json: bflErrorBody(404) };
    const body = request.json;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return {
        status: 422,
        json: bflValidationBody(['body'], 'Input should be a valid dictionary', 'dict_type'),
      };
    const fields = body as Record<string, unknown>;
    const prompt = typeof fields.prompt === 'string' ? fields.prompt : '';
    const forcedStatus = bflTrigger('HTTP', prompt);
    if (forcedStatus) return { status: Number(forcedStatus), json: bflErrorBody(Number(forcedStatus)) };
    const checked = validateBflBody(fields, schema);
    if ('problem' in checked) return { status: 422, json: checked.problem };
    const limit =
      this.settings.concurrencyLimit ??
      (model === 'flux-kontext-max'
        ? bflConcurrencyLimits['flux-kontext-max']
        : bflConcurrencyLimits.default);
    if (this.activeTasks >= limit) return { status: 429, json: bflErrorBody(429) };
    const cost = bflFakeCost(model, checked.outputMp, checked.inputMp);
    if (cost > this.credits) return { status: 402, json: bflErrorBody(402) };
    this.credits -= cost;
    const forcedFinal = bflTrigger('STATUS', prompt) as BflFakeFinalStatus | undefined;
    const task: BflFakeTask = {
      id: randomUUID(),
      model,
      body: fields,
      polls: 0,
      status: 'Pending',
      final: forcedFinal ?? (prompt.includes(bflTriggers.stuck) ? 'stuck' : 'Ready'),
      forgotten: prompt.includes(bflTriggers.forgotten),
      cost,
      seed: typeof fields.seed === 'number' ? fields.seed : Math.floor(Math.random() * 2 ** 31),
    };
    this.tasks.set(task.id, task);
    const host = this.settings.pollingHost === 'cluster' ? this.cluster.url : this.url;
    // docs/providers/bfl.md §7.3.
    return {
      status: 200,
      json: {
        id: task.id,
        polling_url: `${host}/v1/get_result?id=${task.id}`,
        cost,
        input_mp: checked.inputMp,
        output_mp: checked.outputMp,
      },
    };
  }

  private poll({ request }: RouteContext): FakeResponse {
    const denied = this.authenticate(request);
    if (denied) return denied;
    const id = request.query.get('id');
    if (!id) return { status: 422, json: bflValidationBody(['query', 'id'], 'Field required', 'missing') };
    const task = this.tasks.get(id);
    if (!task || task.forgotten)
      return {
        status: this.settings.taskNotFoundHttpStatus,
        json: { id, status: 'Task not found', result: null, progress: null, details: null, preview: null },
      };
    task.polls += 1;
    const interim = this.settings.interimStatuses;
    const { pendingPolls } = this.settings;
    if (task.final === 'stuck' || task.polls <= pendingPolls) task.status = 'Pending';
    else if (task.polls <= pendingPolls + interim.length)
      task.status = interim[task.polls - pendingPolls - 1]!;
    else task.status = task.final;
    const common = { id, status: task.status, progress: null, preview: null };
    if (task.status !== 'Ready') {
      // docs/providers/bfl.md §7.4: moderation is not charged.
      const moderated = task.status === 'Request Moderated' || task.status === 'Content Moderated';
      if (moderated && task.cost > 0) {
        this.credits += task.cost;
        task.cost = 0;
      }
      const details =
        task.status === 'Pending' || interim.includes(task.status) ? null : { reason: task.status };
      return { status: 200, json: { ...common, result: null, details } };
    }
    if (!task.sample) {
      const name = randomUUID();
      this.deliveryFiles.set(name, {
        data: this.settings.image,
        expiresAt: this.settings.now() + this.settings.deliveryTtlMs,
      });
      task.sample = `${this.delivery.url}/results/${name}/sample.png?se=${Date.now() + this.settings.deliveryTtlMs}&sig=fake`;
    }
    const prompt = typeof task.body.prompt === 'string' ? task.body.prompt : '';
    const start = Date.now() / 1000;
    return {
      status: 200,
      json: {
        ...common,
        details: null,
        // docs/providers/bfl.md §7.4 `Ready` example.
        result: {
          sample: task.sample,
          prompt,
          seed: task.seed,
          start_time: start - 4.8,
          end_time: start,
          duration: 4.8,
        },
      },
    };
  }

  private deliver({ request, params }: RouteContext): FakeResponse {
    if (request.headers['x-key'] !== undefined) {
      this.deliveryRequestsWithKey += 1;
      if (this.settings.rejectKeyOnDelivery) return { status: 403, body: 'AuthenticationFailed' };
    }
    const file = this.deliveryFiles.get(params.id!);
    if (!file) return { status: 404, body: 'BlobNotFound' };
    if (this.settings.now() > file.expiresAt)
      return {
        status: this.settings.expiredDeliveryStatus,
        body: 'AuthenticationFailed: Signed expiry time has passed',
      };
    return { status: 200, headers: { 'content-type': 'image/png' }, body: file.data };
  }
}

/** `const fake = await createBflFake().start()`; close it in `t.teardown`. */
export function createBflFake(options: BflFakeOptions = {}): BflFake {
  return new BflFake(options);
}
