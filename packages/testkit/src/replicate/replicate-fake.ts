import { randomBytes } from 'node:crypto';
import {
  FakeUpstream,
  type FakeResponse,
  type RecordedRequest,
  type RouteContext,
} from '../fake-upstream.js';
import { tinyPng } from '../test-images.js';
import {
  replicateInputError,
  replicateProblemTrigger,
  replicateProblems,
  replicateSensitiveError,
  replicateTriggers,
} from './replicate-fake-errors.js';
import {
  replicateFakeModels,
  type ReplicateFakeOptions,
  type ReplicateFakePrediction,
} from './replicate-fake-options.js';

/**
 * A fake of Replicate's predictions API (docs/providers/replicate.md §10, testing notes) on
 * loopback: create (official models by path, community ones by version) with `Prefer: wait`,
 * get, cancel; output as a list or a string; problem-details errors; outputs removed after a
 * TTL. Adapters point their baseURL at `fake.apiBaseURL` (`<url>/v1`).
 */

/** docs/providers/replicate.md (built-in models): the FLUX aspect ratios the fake checks. */
const fluxRatios = ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class ReplicateFake extends FakeUpstream {
  readonly predictions = new Map<string, ReplicateFakePrediction>();
  pollsUntilDone: number;
  outputShape: 'list' | 'string';
  private readonly options: ReplicateFakeOptions;
  private readonly models: Set<string>;

  constructor(options: ReplicateFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.options = options;
    this.models = new Set(options.models ?? replicateFakeModels);
    this.pollsUntilDone = options.pollsUntilDone ?? 0;
    this.outputShape = options.outputShape ?? 'list';
    this.route('POST', '/v1/models/:owner/:name/predictions', (context) =>
      this.create(context, `${context.params.owner}/${context.params.name}`),
    );
    this.route('POST', '/v1/predictions', (context) => this.create(context, undefined));
    this.route('GET', '/v1/predictions/:id', (context) => this.get(context));
    this.route('POST', '/v1/predictions/:id/cancel', (context) => this.cancel(context));
  }

  get apiBaseURL(): string {
    return `${this.url}/v1`;
  }

  private denied(request: RecordedRequest): FakeResponse | undefined {
    const header = String(request.headers.authorization ?? '');
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (token && (!this.options.tokens || this.options.tokens.includes(token))) return undefined;
    return replicateProblems.unauthenticated;
  }

  /** docs/providers/replicate.md §10.2 prediction object. */
  private body(prediction: ReplicateFakePrediction): Record<string, unknown> {
    const removed =
      prediction.completedAt !== undefined &&
      Date.now() - prediction.completedAt > (this.options.outputTtlMs ?? 3_600_000);
    const url = `${this.apiBaseURL}/predictions/${prediction.id}`;
    return {
      id: prediction.id,
      model: prediction.model,
      version: prediction.version ?? 'hidden',
      input: removed ? {} : prediction.input,
      logs: '',
      output: removed ? null : (prediction.output ?? null),
      data_removed: removed,
      error: prediction.error ?? null,
      status: prediction.status,
      source: 'api',
      created_at: new Date().toISOString(),
      ...(prediction.completedAt ? { metrics: { predict_time: 0.81, total_time: 1.2 } } : {}),
      urls: { get: url, cancel: `${url}/cancel`, web: `https://replicate.com/p/${prediction.id}` },
    };
  }

  private create({ request }: RouteContext, model: string | undefined): FakeResponse {
    const denied = this.denied(request);
    if (denied) return denied;
    const body = isObject(request.json) ? request.json : {};
    let version: string | undefined;
    if (model === undefined) {
      version = typeof body.version === 'string' ? body.version.split(':').pop() : undefined;
      if (!version || !(this.options.versions ?? []).includes(version))
        return replicateProblems.invalidVersion;
    } else if (!this.models.has(model)) return replicateProblems.notFound;
    const input = body.input;
    if (!isObject(input)) return replicateInputError('input', 'input is required', 'required');
    const prompt = input.prompt;
    if (typeof prompt !== 'string' || prompt === '')
      return replicateInputError('prompt', 'prompt is required', 'required');
    const problem = replicateProblemTrigger(prompt);
    if (problem) return replicateProblems[problem];
    if (
      model?.startsWith('black-forest-labs/') &&
      input.aspect_ratio !== undefined &&
      !fluxRatios.includes(String(input.aspect_ratio))
    )
      return replicateInputError(
        'aspect_ratio',
        `aspect_ratio must be one of the following: ${fluxRatios.join(', ')}`,
      );
    const outputs = input.num_outputs;
    if (outputs !== undefined && !(Number.isInteger(outputs) && Number(outputs) >= 1 && Number(outputs) <= 4))
      return replicateInputError(
        'num_outputs',
        'num_outputs must be less than or equal to 4',
        'less_than_equal',
      );

    const prediction: ReplicateFakePrediction = {
      id: randomBytes(13).toString('hex'),
      model: model ?? 'community/model',
      ...(version ? { version } : {}),
      input,
      ...(request.headers.prefer ? { prefer: String(request.headers.prefer) } : {}),
      ...(request.headers['cancel-after'] ? { cancelAfter: String(request.headers['cancel-after']) } : {}),
      polls: 0,
      status: 'starting',
    };
    this.predictions.set(prediction.id, prediction);
    // docs/providers/replicate.md §10.1: `Prefer: wait` returns the finished prediction when it is done in time.
    if (prediction.prefer?.startsWith('wait') && this.pollsUntilDone === 0) this.finish(prediction);
    return { status: this.options.createStatus ?? 201, json: this.body(prediction) };
  }

  private finish(prediction: ReplicateFakePrediction): void {
    const prompt = String(prediction.input.prompt);
    if (prompt.includes(replicateTriggers.stuck)) {
      prediction.status = 'processing';
      return;
    }
    prediction.completedAt = Date.now();
    if (prompt.includes(replicateTriggers.sensitive)) {
      prediction.status = 'failed';
      prediction.error = replicateSensitiveError;
      return;
    }
    if (prompt.includes(replicateTriggers.failed)) {
      prediction.status = 'failed';
      prediction.error = 'CUDA out of memory (E1001)';
      return;
    }
    const count = Number(prediction.input.num_outputs ?? 1);
    const urls = Array.from({ length: count }, () => this.serveFile(this.options.image ?? tinyPng()));
    prediction.status = 'succeeded';
    prediction.output = this.outputShape === 'list' ? urls : urls[0]!;
  }

  private get(context: RouteContext): FakeResponse {
    const denied = this.denied(context.request);
    if (denied) return denied;
    const prediction = this.predictions.get(context.params.id!);
    if (!prediction) return replicateProblems.notFound;
    if (prediction.status === 'starting' || prediction.status === 'processing') {
      prediction.polls += 1;
      if (prediction.polls >= this.pollsUntilDone) this.finish(prediction);
      else prediction.status = 'processing';
    }
    return { status: 200, json: this.body(prediction) };
  }

  private cancel(context: RouteContext): FakeResponse {
    const denied = this.denied(context.request);
    if (denied) return denied;
    const prediction = this.predictions.get(context.params.id!);
    if (!prediction) return replicateProblems.notFound;
    if (prediction.status === 'starting' || prediction.status === 'processing')
      prediction.status = 'canceled';
    return { status: 200, json: this.body(prediction) };
  }
}

export function createReplicateFake(options: ReplicateFakeOptions = {}): ReplicateFake {
  return new ReplicateFake(options);
}
