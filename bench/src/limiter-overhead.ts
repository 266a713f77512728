import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAnswer } from './check-answer.js';
import { clientKey, writeClientKeysConfig } from './client-keys-config.js';
import { startOpenAIFake, startUigGateway } from './gateway-processes.js';
import type { LoadRequest } from './load-generator.js';
import { SampleSeries, warmUp, type SeriesSummary } from './sample-series.js';
import type { ServiceProcess } from './service-process.js';

/**
 * What client keys cost per request (issue 8): uig with no keys (open), with one
 * key, and with 10,000 keys — requests on one of them, and requests rotating over
 * all of them, so the limiter holds state for every key. Every key has limits, so
 * authentication and the limiter both run. Tiny body, b64_json: the cheapest path,
 * where a per-request cost shows most. Rounds alternate as in the comparison.
 */
type LimiterVariant = 'open' | 'one-key' | 'many-keys-one-used' | 'many-keys-rotating';

export interface LimiterSettings {
  keyCount: number;
  connections: number;
  sampleSeconds: number;
  rounds: number;
  warmupSeconds: number;
  log: (line: string) => void;
}

export interface LimiterResult {
  variant: LimiterVariant;
  label: string;
  series: SeriesSummary;
  peakRssBytes: number;
}

export async function measureLimiterOverhead(settings: LimiterSettings): Promise<LimiterResult[]> {
  const directory = await mkdtemp(join(tmpdir(), 'uig-bench-limiter-'));
  const started: ServiceProcess[] = [];
  try {
    const oneKeyConfig = join(directory, 'one-key.json');
    const manyKeysConfig = join(directory, 'many-keys.json');
    await writeClientKeysConfig(oneKeyConfig, 1);
    await writeClientKeysConfig(manyKeysConfig, settings.keyCount);
    const fake = await startOpenAIFake('tiny');
    started.push(fake.service);
    const open = await startUigGateway({
      name: 'uig-open',
      upstreamBaseURL: fake.baseURL,
      dataDir: join(directory, 'open'),
    });
    started.push(open.service);
    const oneKey = await startUigGateway({
      name: 'uig-one-key',
      upstreamBaseURL: fake.baseURL,
      dataDir: join(directory, 'one'),
      configPath: oneKeyConfig,
    });
    started.push(oneKey.service);
    const manyKeys = await startUigGateway({
      name: `uig-${settings.keyCount}-keys`,
      upstreamBaseURL: fake.baseURL,
      dataDir: join(directory, 'many'),
      configPath: manyKeysConfig,
    });
    started.push(manyKeys.service);

    const body = JSON.stringify({
      model: 'openai/gpt-image-1',
      prompt: 'limiter benchmark',
      response_format: 'b64_json',
    });
    const headers = { 'content-type': 'application/json' };
    // Every variant rewrites the header per request, so the load generator does the same work in each.
    const fixedKey = (key: string) => () => ({ authorization: `Bearer ${key}` });
    let next = 0;
    const rotating = () => ({ authorization: `Bearer ${clientKey(next++ % settings.keyCount)}` });
    const request = (origin: string, nextHeaders: () => Record<string, string>): LoadRequest => ({
      url: `${origin}/v1/images/generations`,
      body,
      headers,
      nextHeaders,
    });
    const variants: {
      variant: LimiterVariant;
      label: string;
      service: ServiceProcess;
      request: LoadRequest;
    }[] = [
      {
        variant: 'open',
        label: 'no client keys (open)',
        service: open.service,
        request: request(open.origin, fixedKey('ignored')),
      },
      {
        variant: 'one-key',
        label: '1 key, with limits',
        service: oneKey.service,
        request: request(oneKey.origin, fixedKey(clientKey(0))),
      },
      {
        variant: 'many-keys-one-used',
        label: `${settings.keyCount.toLocaleString('en')} keys, requests on 1`,
        service: manyKeys.service,
        request: request(manyKeys.origin, fixedKey(clientKey(settings.keyCount - 1))),
      },
      {
        variant: 'many-keys-rotating',
        label: `${settings.keyCount.toLocaleString('en')} keys, rotating over all`,
        service: manyKeys.service,
        request: request(manyKeys.origin, rotating),
      },
    ];
    for (const entry of variants) await checkAnswer(entry.label, entry.request, 'b64_json');
    for (const entry of variants) entry.service.meter.resetPeak();
    settings.log(`  limiter: warm-up ${settings.warmupSeconds} s each`);
    for (const entry of variants) await warmUp(entry.label, entry.request, entry.service, settings);
    const series = new Map(
      variants.map((entry) => [entry.variant, new SampleSeries(entry.request, entry.service)]),
    );
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      settings.log(`  limiter: round ${round + 1}/${settings.rounds}`);
      for (const entry of order)
        await series.get(entry.variant)!.sample(settings.connections, settings.sampleSeconds);
    }
    return variants.map((entry) => ({
      variant: entry.variant,
      label: entry.label,
      series: series.get(entry.variant)!.summary(),
      peakRssBytes: entry.service.meter.read().peakRssBytes,
    }));
  } finally {
    for (const service of started.reverse()) await service.stop();
    await rm(directory, { recursive: true, force: true });
  }
}
