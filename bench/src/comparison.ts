import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAnswer } from './check-answer.js';
import {
  startMinimalForwarder,
  startOpenAIFake,
  startPortkey,
  startUigGateway,
} from './gateway-processes.js';
import type { LoadRequest } from './load-generator.js';
import { SampleSeries, warmUp, type SeriesSummary } from './sample-series.js';
import type { ServiceProcess } from './service-process.js';

/**
 * The side-by-side run for one body size (docs/benchmarks.md): a direct call to the fake, the
 * minimal forwarder, uig in b64_json pass-through and in url mode, and Portkey, all
 * on the same fake. After a warm-up, rounds alternate the order (ABCDE, EDCBA, ...)
 * so drift on the machine falls evenly on every target. Then a light-load series
 * (one connection: latency without queueing). Memory under many waiting requests is
 * concurrency.ts's.
 */
export type BodySize = 'tiny' | 'large';
type TargetId = 'direct' | 'forwarder' | 'uig-b64' | 'uig-url' | 'portkey';

export interface ComparisonSettings {
  connections: number;
  sampleSeconds: number;
  rounds: number;
  lightSeconds: number;
  lightRounds: number;
  warmupSeconds: number;
  log: (line: string) => void;
}

export interface TargetResult {
  id: TargetId;
  label: string;
  saturated: SeriesSummary;
  light: SeriesSummary;
  /** Peak RSS over warm-up, saturated and light series (undefined for direct). */
  peakRssBytes: number | undefined;
  answerBytes: number;
}

export interface ComparisonResult {
  body: BodySize;
  targets: TargetResult[];
}

interface Target {
  id: TargetId;
  label: string;
  service: ServiceProcess | undefined;
  request: LoadRequest;
  expected: 'b64_json' | 'url';
}

const prompt = 'a lighthouse on a cliff at dusk, benchmark';
const json = { 'content-type': 'application/json' };
// What an OpenAI client sends; uig names the provider in the model, the others go to OpenAI's own.
const openaiBody = JSON.stringify({ model: 'gpt-image-1', prompt, response_format: 'b64_json' });
const uigBody = (format: 'b64_json' | 'url') =>
  JSON.stringify({ model: 'openai/gpt-image-1', prompt, response_format: format });

export async function runComparison(body: BodySize, settings: ComparisonSettings): Promise<ComparisonResult> {
  const { log } = settings;
  const dataDirectory = await mkdtemp(join(tmpdir(), `uig-bench-${body}-`));
  const started: ServiceProcess[] = [];
  try {
    const fake = await startOpenAIFake(body);
    started.push(fake.service);
    const forwarder = await startMinimalForwarder(fake.origin);
    started.push(forwarder.service);
    const uigB64 = await startUigGateway({
      name: 'uig-b64',
      upstreamBaseURL: fake.baseURL,
      dataDir: join(dataDirectory, 'b64'),
    });
    started.push(uigB64.service);
    const uigUrl = await startUigGateway({
      name: 'uig-url',
      upstreamBaseURL: fake.baseURL,
      dataDir: join(dataDirectory, 'url'),
    });
    started.push(uigUrl.service);
    const portkey = await startPortkey();
    started.push(portkey.service);

    const upstreamHeaders = { ...json, authorization: 'Bearer bench-upstream-key' };
    const targets: Target[] = [
      {
        id: 'direct',
        label: 'direct to the fake',
        service: undefined,
        expected: 'b64_json',
        request: { url: `${fake.baseURL}/images/generations`, body: openaiBody, headers: upstreamHeaders },
      },
      {
        id: 'forwarder',
        label: 'minimal forwarder (undici)',
        service: forwarder.service,
        expected: 'b64_json',
        request: {
          url: `${forwarder.origin}/v1/images/generations`,
          body: openaiBody,
          headers: upstreamHeaders,
        },
      },
      {
        id: 'uig-b64',
        label: 'uig, b64_json',
        service: uigB64.service,
        expected: 'b64_json',
        request: { url: `${uigB64.origin}/v1/images/generations`, body: uigBody('b64_json'), headers: json },
      },
      {
        id: 'uig-url',
        label: 'uig, url (stored)',
        service: uigUrl.service,
        expected: 'url',
        request: { url: `${uigUrl.origin}/v1/images/generations`, body: uigBody('url'), headers: json },
      },
      {
        id: 'portkey',
        label: 'Portkey gateway',
        service: portkey.service,
        expected: 'b64_json',
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

    const answerBytes = new Map<TargetId, number>();
    for (const target of targets)
      answerBytes.set(target.id, await checkAnswer(target.label, target.request, target.expected));
    for (const target of targets) target.service?.meter.resetPeak();

    log(`  ${body}: warm-up ${settings.warmupSeconds} s each`);
    for (const target of targets) await warmUp(target.label, target.request, target.service, settings);

    const saturated = new Map(
      targets.map((target) => [target.id, new SampleSeries(target.request, target.service)]),
    );
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      log(
        `  ${body}: round ${round + 1}/${settings.rounds}, ${settings.connections} connections: ${order.map((target) => target.id).join(' ')}`,
      );
      for (const target of order)
        await saturated.get(target.id)!.sample(settings.connections, settings.sampleSeconds);
    }
    const light = new Map(
      targets.map((target) => [target.id, new SampleSeries(target.request, target.service)]),
    );
    for (let round = 0; round < settings.lightRounds; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      log(`  ${body}: light round ${round + 1}/${settings.lightRounds}, 1 connection`);
      for (const target of order) await light.get(target.id)!.sample(1, settings.lightSeconds);
    }

    const results: TargetResult[] = targets.map((target) => ({
      id: target.id,
      label: target.label,
      saturated: saturated.get(target.id)!.summary(),
      light: light.get(target.id)!.summary(),
      peakRssBytes: target.service?.meter.read().peakRssBytes,
      answerBytes: answerBytes.get(target.id)!,
    }));

    return { body, targets: results };
  } finally {
    for (const service of started.reverse()) await service.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  }
}
