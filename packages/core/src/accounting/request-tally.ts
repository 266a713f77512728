import type { ImageRequest } from '../requests/image-request.js';
import type { RequestRecord } from './request-record.js';

/** What the door knows before the service runs: who asked, where, and what. */
interface TallyStart {
  requestId: string;
  client: string;
  route: string;
  /** Ms since the epoch when the request arrived (latency is measured from it). */
  started: number;
}

/** The fields of the body, once it has been read (given in one go or in parts). */
interface AskedFor {
  kind?: ImageRequest['kind'] | undefined;
  model?: string | undefined;
  n?: number | undefined;
  prompt?: string | undefined;
}

interface Rewrite {
  model: string;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  estimatedCostUsd?: number | undefined;
}

const add = (total: number | undefined, value: number | undefined) =>
  value === undefined ? total : (total ?? 0) + value;

const roundUsd = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * Collects one request's RequestRecord while it runs: the door (a REST route, an MCP
 * tool, a job) starts it and says what was asked, ImageService adds what it did (models
 * tried, vendor calls, cost, images), and `finish` turns it into the record with the
 * outcome. Everything the vendors were paid for is counted, also on a failure.
 */
export class RequestTally {
  private readonly start: TallyStart;
  private asked: AskedFor | undefined;
  private modelResolved: string | undefined;
  private provider = '';
  private model = '';
  private attempts = 0;
  private vendorCalls = 0;
  private costUsd = 0;
  private promptSent: string | undefined;
  private imageIds: string[] | undefined;
  private readonly vendorRequestIds: string[] = [];
  private inputTokens: number | undefined;
  private outputTokens: number | undefined;
  private rewrite: Rewrite | undefined;
  private rewriteInputTokens: number | undefined;
  private rewriteOutputTokens: number | undefined;
  private rewriteCostUsd: number | undefined;

  constructor(start: TallyStart) {
    this.start = start;
  }

  get requestId(): string {
    return this.start.requestId;
  }

  /** The body was read: what the client asked for. */
  askedFor(asked: AskedFor): void {
    this.asked = { ...this.asked, ...asked };
  }

  /** The model asked resolved to this `provider/model`. */
  resolved(name: string): void {
    this.modelResolved ??= name;
  }

  /** A model is being tried (the one asked, or a fallback). */
  attempt(provider: string, model: string): void {
    this.attempts++;
    this.provider = provider;
    this.model = model;
  }

  vendorCall(): void {
    this.vendorCalls++;
  }

  /** The prompt an attempt sends, when a rewrite changed it. */
  sent(prompt: string): void {
    this.promptSent = prompt === this.asked?.prompt ? undefined : prompt;
  }

  rewritten(rewrite: Rewrite): void {
    this.rewrite = rewrite;
    this.rewriteInputTokens = add(this.rewriteInputTokens, rewrite.inputTokens);
    this.rewriteOutputTokens = add(this.rewriteOutputTokens, rewrite.outputTokens);
    this.rewriteCostUsd = add(this.rewriteCostUsd, rewrite.estimatedCostUsd);
    if (rewrite.estimatedCostUsd !== undefined) this.costUsd += rewrite.estimatedCostUsd;
  }

  /** What a vendor returned and is paid for, whether or not it reaches the client. */
  paid(
    costUsd: number,
    usage: { inputTokens?: number | undefined; outputTokens?: number | undefined },
  ): void {
    this.costUsd += costUsd;
    this.inputTokens = add(this.inputTokens, usage.inputTokens);
    this.outputTokens = add(this.outputTokens, usage.outputTokens);
  }

  vendorRequestId(id: string): void {
    this.vendorRequestIds.push(id);
  }

  /** The images handed to the client, in answer order. */
  delivered(imageIds: string[]): void {
    this.imageIds = imageIds;
  }

  /** The record, with the outcome: the answer's status and, for a failure, its code. */
  finish(outcome: { status: number; errorCode?: string | undefined }, now: number): RequestRecord {
    const asked = this.asked;
    return {
      time: new Date(now).toISOString(),
      requestId: this.start.requestId,
      client: this.start.client,
      route: this.start.route,
      ...(asked?.kind !== undefined ? { kind: asked.kind } : {}),
      status: outcome.status,
      ...(outcome.errorCode !== undefined ? { errorCode: outcome.errorCode } : {}),
      attempts: this.attempts,
      vendorCalls: this.vendorCalls,
      ...(asked?.model !== undefined ? { modelAsked: asked.model } : {}),
      ...(this.modelResolved !== undefined ? { modelResolved: this.modelResolved } : {}),
      provider: this.provider,
      model: this.model,
      imagesAsked: asked?.n ?? 0,
      images: this.imageIds?.length ?? 0,
      estimatedCostUsd: roundUsd(this.costUsd),
      ...(asked?.prompt ? { prompt: asked.prompt } : {}),
      ...(this.promptSent !== undefined ? { promptSent: this.promptSent } : {}),
      ...(this.imageIds ? { imageIds: this.imageIds } : {}),
      ...(this.vendorRequestIds.length ? { vendorRequestIds: [...this.vendorRequestIds] } : {}),
      latencyMs: Math.max(0, now - this.start.started),
      ...(this.inputTokens !== undefined ? { inputTokens: this.inputTokens } : {}),
      ...(this.outputTokens !== undefined ? { outputTokens: this.outputTokens } : {}),
      ...(this.rewrite ? { rewriteModel: this.rewrite.model } : {}),
      ...(this.rewriteInputTokens !== undefined ? { rewriteInputTokens: this.rewriteInputTokens } : {}),
      ...(this.rewriteOutputTokens !== undefined ? { rewriteOutputTokens: this.rewriteOutputTokens } : {}),
      ...(this.rewriteCostUsd !== undefined ? { rewriteCostUsd: this.rewriteCostUsd } : {}),
    };
  }
}
