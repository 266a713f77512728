import type { ServiceObserver } from '@uig/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * GET /metrics through prom-client: the default process and Node runtime metrics (CPU,
 * memory, event-loop lag, GC, handles) plus the gateway's own. Each runtime has its own
 * registry, so two runtimes in one process (tests) never share counters.
 *
 * Label values are bounded: route templates, status codes, resolved provider/model names
 * (the catalogs), configured client names (the config file, `UIG_API_KEYS` and managed
 * keys: an operator-sized set, never a raw key), credential ids (`cogview#2`) and error
 * codes (a fixed list).
 */
export interface RequestSample {
  route: string;
  method: string;
  status: number;
  provider: string;
  model: string;
  seconds: number;
}

/** One image request's outcome, for the per-client and per-model counters. */
export interface ImageRequestSample {
  client: string;
  provider: string;
  model: string;
  images: number;
  costUsd: number;
  /** The error code when the request failed (lower snake case), else undefined. */
  errorCode?: string;
}

/** What is read at scrape time rather than counted. */
export interface MetricGauges {
  /** Calls waiting in upstream credential queues, per provider. */
  queueDepth: Array<[provider: string, depth: number]>;
  /** Credentials in rotation, per provider. */
  credentialsAvailable: Array<[provider: string, available: number, configured: number]>;
  inFlight: number;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  private gauges: () => MetricGauges = () => ({ queueDepth: [], credentialsAvailable: [], inFlight: 0 });

  private readonly requests = new Counter({
    name: 'uig_http_requests_total',
    help: 'HTTP requests answered, by route template, method, status, provider and model.',
    labelNames: ['route', 'method', 'status', 'provider', 'model'],
    registers: [this.registry],
  });
  private readonly requestSeconds = new Histogram({
    name: 'uig_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template.',
    labelNames: ['route'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  private readonly upstreamSeconds = new Histogram({
    name: 'uig_upstream_request_duration_seconds',
    help: 'Latency of each upstream vendor call, by provider, model and outcome (ok or the error code).',
    labelNames: ['provider', 'model', 'outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'uig_upstream_retries_total',
    help: 'Upstream calls retried, by provider, model and the error code that caused the retry.',
    labelNames: ['provider', 'model', 'code'],
    registers: [this.registry],
  });
  private readonly fallbacks = new Counter({
    name: 'uig_fallbacks_total',
    help: 'Requests that fell back to another model, by from, to and error code.',
    labelNames: ['from', 'to', 'code'],
    registers: [this.registry],
  });
  private readonly imagesStored = new Counter({
    name: 'uig_images_stored_total',
    help: 'Images written to the image store.',
    registers: [this.registry],
  });
  private readonly storageFailures = new Counter({
    name: 'uig_storage_failures_total',
    help: 'Images the store could not keep but that were still delivered in a b64_json answer, by OS code.',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly credentialsDisabled = new Counter({
    name: 'uig_credentials_disabled_total',
    help: 'Upstream credentials taken out of rotation, by provider, credential id and reason.',
    labelNames: ['provider', 'credential', 'reason'],
    registers: [this.registry],
  });
  private readonly images = new Counter({
    name: 'uig_images_delivered_total',
    help: 'Images delivered to clients, by client, provider and model.',
    labelNames: ['client', 'provider', 'model'],
    registers: [this.registry],
  });
  private readonly imageErrors = new Counter({
    name: 'uig_image_request_errors_total',
    help: 'Image requests that failed, by client, provider, model and error code.',
    labelNames: ['client', 'provider', 'model', 'code'],
    registers: [this.registry],
  });
  private readonly cost = new Counter({
    name: 'uig_estimated_cost_usd_total',
    help: 'Estimated vendor cost of delivered images in USD, by client, provider and model.',
    labelNames: ['client', 'provider', 'model'],
    registers: [this.registry],
  });

  /** Hooks for ImageService (createRuntime composes them with any given observer). */
  readonly observer: Required<ServiceObserver> = {
    upstreamCall: (provider, model, latencyMs, outcome) =>
      this.upstreamSeconds.observe({ provider, model, outcome: outcome.toLowerCase() }, latencyMs / 1000),
    retry: (provider, model, code) => this.retries.inc({ provider, model, code: code.toLowerCase() }),
    imagesStored: (count) => this.imagesStored.inc(count),
    fallback: (from, to, code) => this.fallbacks.inc({ from, to, code: code.toLowerCase() }),
    storageFailed: (error) => this.storageFailures.inc({ code: error.osCode }),
  };

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    // prom-client also exports three gauges named `*_total`, a suffix Prometheus reserves
    // for counters (`promtool check metrics` fails on them); their per-type twins
    // (`nodejs_active_handles`, `nodejs_active_requests`, `nodejs_active_resources`) stay.
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ])
      this.registry.removeSingleMetric(name);
    const read = () => this.gauges();
    new Gauge({
      name: 'uig_limiter_queue_depth',
      help: 'Upstream calls waiting in credential limiter queues, by provider.',
      labelNames: ['provider'],
      registers,
      collect() {
        this.reset();
        for (const [provider, depth] of read().queueDepth) this.set({ provider }, depth);
      },
    });
    new Gauge({
      name: 'uig_credentials_available',
      help: 'Upstream credentials in rotation, by provider.',
      labelNames: ['provider'],
      registers,
      collect() {
        this.reset();
        for (const [provider, available] of read().credentialsAvailable) this.set({ provider }, available);
      },
    });
    new Gauge({
      name: 'uig_credentials_configured',
      help: 'Upstream credentials configured, by provider.',
      labelNames: ['provider'],
      registers,
      collect() {
        this.reset();
        for (const [provider, , configured] of read().credentialsAvailable)
          this.set({ provider }, configured);
      },
    });
    new Gauge({
      name: 'uig_http_requests_in_flight',
      help: 'HTTP requests being answered.',
      registers,
      collect() {
        this.set(read().inFlight);
      },
    });
  }

  /** Where the scrape-time gauges are read from (the app that owns the pools and in-flight count). */
  readGaugesFrom(read: () => MetricGauges): void {
    this.gauges = read;
  }

  request(sample: RequestSample): void {
    this.requests.inc({
      route: sample.route,
      method: sample.method,
      status: String(sample.status),
      provider: sample.provider,
      model: sample.model,
    });
    this.requestSeconds.observe({ route: sample.route }, sample.seconds);
  }

  imageRequest(sample: ImageRequestSample): void {
    const labels = { client: sample.client, provider: sample.provider, model: sample.model };
    if (sample.images > 0) this.images.inc(labels, sample.images);
    if (sample.costUsd > 0) this.cost.inc(labels, sample.costUsd);
    if (sample.errorCode) this.imageErrors.inc({ ...labels, code: sample.errorCode });
  }

  credentialDisabled(credentialId: string, reason: string): void {
    this.credentialsDisabled.inc({
      provider: credentialId.split('#')[0]!,
      credential: credentialId,
      reason: reason.toLowerCase(),
    });
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
