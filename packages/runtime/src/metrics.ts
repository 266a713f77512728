import type { ServiceObserver } from '@uig/core';

/**
 * GET /metrics in the Prometheus text format (0.0.4), written by hand: a few counters,
 * two histograms and gauges read at scrape time do not need a client library. Label
 * values are only ever route templates, status codes, resolved provider/model names,
 * credential ids (`cogview#2`, never the key) and error codes, so cardinality stays bounded.
 */
type Labels = Record<string, string>;

const needsEscape = /[\\"\n]/;
// Label values almost never need escaping: test once instead of three replaces.
const escapeLabel = (value: string) =>
  needsEscape.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length
    ? `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`
    : '';
}

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels, by = 1): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [labels, value] of this.values) lines.push(`${this.name}${labels} ${value}`);
    return lines.join('\n');
  }
}

class Histogram {
  private readonly series = new Map<
    string,
    { labels: Labels; buckets: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    for (let index = 0; index < this.bounds.length; index++)
      if (value <= this.bounds[index]!) entry.buckets[index]!++;
    entry.sum += value;
    entry.count++;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, buckets, sum, count } of this.series.values()) {
      this.bounds.forEach((bound, index) => {
        lines.push(`${this.name}_bucket${labelText({ ...labels, le: String(bound) })} ${buckets[index]}`);
      });
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${labelText(labels)} ${sum}`);
      lines.push(`${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines.join('\n');
  }
}

function gauge(name: string, help: string, samples: Array<[Labels, number]>): string {
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...samples.map(([labels, value]) => `${name}${labelText(labels)} ${value}`),
  ].join('\n');
}

export interface RequestSample {
  route: string;
  method: string;
  status: number;
  provider: string;
  model: string;
  seconds: number;
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
  private readonly requests = new Counter(
    'uig_http_requests_total',
    'HTTP requests answered, by route template, method, status, provider and model.',
  );
  private readonly requestSeconds = new Histogram(
    'uig_http_request_duration_seconds',
    'Time to answer an HTTP request, by route template.',
    [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  );
  private readonly upstreamSeconds = new Histogram(
    'uig_upstream_request_duration_seconds',
    'Latency of each upstream vendor call, by provider, model and outcome (ok or the error code).',
    [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
  );
  private readonly retries = new Counter(
    'uig_upstream_retries_total',
    'Upstream calls retried, by provider, model and the error code that caused the retry.',
  );
  private readonly fallbacks = new Counter(
    'uig_fallbacks_total',
    'Requests that fell back to another model, by from, to and error code.',
  );
  private readonly imagesStored = new Counter(
    'uig_images_stored_total',
    'Images written to the image store.',
  );
  private readonly credentialsDisabled = new Counter(
    'uig_credentials_disabled_total',
    'Upstream credentials taken out of rotation, by provider, credential id and reason.',
  );

  /** Hooks for ImageService (createRuntime composes them with any given observer). */
  readonly observer: Required<ServiceObserver> = {
    upstreamCall: (provider, model, latencyMs, outcome) =>
      this.upstreamSeconds.observe({ provider, model, outcome: outcome.toLowerCase() }, latencyMs / 1000),
    retry: (provider, model, code) => this.retries.inc({ provider, model, code: code.toLowerCase() }),
    imagesStored: (count) => this.imagesStored.inc({}, count),
    fallback: (from, to, code) => this.fallbacks.inc({ from, to, code: code.toLowerCase() }),
  };

  constructor() {
    // Present from the first scrape, so rate() works from zero.
    this.imagesStored.inc({}, 0);
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

  credentialDisabled(credentialId: string, reason: string): void {
    this.credentialsDisabled.inc({
      provider: credentialId.split('#')[0]!,
      credential: credentialId,
      reason: reason.toLowerCase(),
    });
  }

  render(gauges: MetricGauges): string {
    return `${[
      this.requests.render(),
      this.requestSeconds.render(),
      this.upstreamSeconds.render(),
      this.retries.render(),
      this.fallbacks.render(),
      this.imagesStored.render(),
      this.credentialsDisabled.render(),
      gauge(
        'uig_limiter_queue_depth',
        'Upstream calls waiting in credential limiter queues, by provider.',
        gauges.queueDepth.map(([provider, depth]) => [{ provider }, depth]),
      ),
      gauge(
        'uig_credentials_available',
        'Upstream credentials in rotation, by provider.',
        gauges.credentialsAvailable.map(([provider, available]) => [{ provider }, available]),
      ),
      gauge(
        'uig_credentials_configured',
        'Upstream credentials configured, by provider.',
        gauges.credentialsAvailable.map(([provider, , configured]) => [{ provider }, configured]),
      ),
      gauge('uig_http_requests_in_flight', 'HTTP requests being answered.', [[{}, gauges.inFlight]]),
    ].join('\n')}\n`;
  }
}
