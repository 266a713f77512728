import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAnswer } from './check-answer.js';
import type { BodySize } from './comparison.js';
import {
  startMinimalForwarder,
  startOpenAIFake,
  startPortkey,
  startUigGateway,
} from './gateway-processes.js';
import type { LoadRequest } from './load-generator.js';
import { SampleSeries } from './sample-series.js';
import type { ServiceProcess } from './service-process.js';

/**
 * Many slow requests at once (issue 21): the fake answers after 3 s, and a closed loop of
 * `connections` clients (500 large, 2,000 tiny) keeps that many requests waiting on every
 * target for `seconds`. What counts: answers completed (2xx) in that time, errors, and the
 * gateway's peak RSS (VmHWM, reset before each target). Every target gets the same fake,
 * one after the other, each starting from a fresh peak.
 */
type ConcurrencyTargetId = 'direct' | 'forwarder' | 'uig' | 'portkey';

export interface ConcurrencyCase {
  body: BodySize;
  connections: number;
  vendorLatencyMs: number;
  seconds: number;
}

export interface ConcurrencyTargetResult {
  id: ConcurrencyTargetId;
  label: string;
  completed: number;
  errors: number;
  /** Undefined for direct (no gateway process). */
  peakRssBytes: number | undefined;
  cpuMsPerRequest: number | undefined;
  foreignCores: number;
}

export interface ConcurrencyResult extends ConcurrencyCase {
  targets: ConcurrencyTargetResult[];
}

const prompt = 'a lighthouse on a cliff at dusk, benchmark';
const json = { 'content-type': 'application/json' };
const openaiBody = JSON.stringify({ model: 'gpt-image-1', prompt, response_format: 'b64_json' });
const uigBody = JSON.stringify({ model: 'openai/gpt-image-1', prompt, response_format: 'b64_json' });

export async function runConcurrency(
  spec: ConcurrencyCase,
  log: (line: string) => void,
): Promise<ConcurrencyResult> {
  const dataDirectory = await mkdtemp(join(tmpdir(), `uig-bench-concurrency-${spec.body}-`));
  const started: ServiceProcess[] = [];
  try {
    const fake = await startOpenAIFake(spec.body, spec.vendorLatencyMs);
    started.push(fake.service);
    const forwarder = await startMinimalForwarder(fake.origin);
    started.push(forwarder.service);
    const uig = await startUigGateway({ name: 'uig', upstreamBaseURL: fake.baseURL, dataDir: dataDirectory });
    started.push(uig.service);
    const portkey = await startPortkey();
    started.push(portkey.service);
    const upstreamHeaders = { ...json, authorization: 'Bearer bench-upstream-key' };
    const targets: Array<{
      id: ConcurrencyTargetId;
      label: string;
      service?: ServiceProcess;
      request: LoadRequest;
    }> = [
      {
        id: 'direct',
        label: 'direct to the fake',
        request: { url: `${fake.baseURL}/images/generations`, body: openaiBody, headers: upstreamHeaders },
      },
      {
        id: 'forwarder',
        label: 'minimal forwarder (undici)',
        service: forwarder.service,
        request: {
          url: `${forwarder.origin}/v1/images/generations`,
          body: openaiBody,
          headers: upstreamHeaders,
        },
      },
      {
        id: 'uig',
        label: 'uig, b64_json',
        service: uig.service,
        request: { url: `${uig.origin}/v1/images/generations`, body: uigBody, headers: json },
      },
      {
        id: 'portkey',
        label: 'Portkey gateway',
        service: portkey.service,
        request: {
          url: `${portkey.origin}/v1/images/generations`,
          body: openaiBody,
          headers: {
            ...upstreamHeaders,
            'x-portkey-provider': 'openai',
            'x-portkey-custom-host': fake.baseURL,
          },
        },
      },
    ];
    await Promise.all(targets.map((target) => checkAnswer(target.label, target.request, 'b64_json')));
    const results: ConcurrencyTargetResult[] = [];
    for (const target of targets) {
      log(
        `  ${spec.connections} concurrent ${spec.body}, vendor ${spec.vendorLatencyMs / 1000} s: ${target.id}, ${spec.seconds} s`,
      );
      target.service?.meter.resetPeak();
      const series = new SampleSeries(target.request, target.service);
      await series.sample(spec.connections, spec.seconds);
      const summary = series.summary();
      results.push({
        id: target.id,
        label: target.label,
        completed: summary.ok,
        errors: summary.failed,
        peakRssBytes: target.service?.meter.read().peakRssBytes,
        cpuMsPerRequest: summary.cpuMsPerRequest,
        foreignCores: summary.foreignCores,
      });
      // Requests the load generator left behind when it stopped finish before the next target.
      await new Promise((resolve) => setTimeout(resolve, spec.vendorLatencyMs + 1000));
    }
    return { ...spec, targets: results };
  } finally {
    for (const service of started.reverse()) await service.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  }
}
