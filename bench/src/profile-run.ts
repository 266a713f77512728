import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAnswer } from './check-answer.js';
import type { BodySize } from './comparison.js';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile-summary.js';
import { startOpenAIFake, startUigGateway } from './gateway-processes.js';
import { SampleSeries, type SeriesSummary } from './sample-series.js';
import type { ServiceProcess } from './service-process.js';

/**
 * uig under load with `--cpu-prof`, for each body and both response formats: the
 * profile is written when the gateway exits (SIGTERM: graceful close, then exit),
 * and summarized. Load as in the comparison (same connections). Only the samples of
 * the measured load count: startup (module loading, copying and opening the usage
 * database) and the warm-up are left out.
 */
export interface ProfileSettings {
  directory: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  log: (line: string) => void;
}

export interface ProfileRun {
  body: BodySize;
  format: 'b64_json' | 'url';
  load: SeriesSummary;
  summary: ProfileSummary;
}

export async function runProfiles(settings: ProfileSettings): Promise<ProfileRun[]> {
  await mkdir(settings.directory, { recursive: true });
  const runs: ProfileRun[] = [];
  for (const body of ['tiny', 'large'] as const) {
    for (const format of ['b64_json', 'url'] as const) {
      const dataDirectory = await mkdtemp(join(tmpdir(), 'uig-bench-profile-'));
      const started: ServiceProcess[] = [];
      const fileName = `uig-${body}-${format === 'b64_json' ? 'b64' : 'url'}.cpuprofile`;
      try {
        const fake = await startOpenAIFake(body);
        started.push(fake.service);
        const uig = await startUigGateway({
          name: `uig-${body}-${format}`,
          upstreamBaseURL: fake.baseURL,
          dataDir: dataDirectory,
          cpuProfile: { directory: settings.directory, fileName },
        });
        started.push(uig.service);
        const request = {
          url: `${uig.origin}/v1/images/generations`,
          body: JSON.stringify({
            model: 'openai/gpt-image-1',
            prompt: 'a lighthouse on a cliff at dusk, benchmark',
            response_format: format,
          }),
          headers: { 'content-type': 'application/json' },
        };
        await checkAnswer(`uig ${body} ${format}`, request, format);
        settings.log(
          `  profile: ${body} ${format}, ${settings.connections} connections, ${settings.seconds} s`,
        );
        await new SampleSeries(request, uig.service).sample(settings.connections, settings.warmupSeconds);
        const series = new SampleSeries(request, uig.service);
        const measuredFrom = Number(process.hrtime.bigint() / 1000n);
        await series.sample(settings.connections, settings.seconds);
        await uig.service.stop();
        runs.push({
          body,
          format,
          load: series.summary(),
          summary: await summarizeCpuProfile(join(settings.directory, fileName), {
            fromMicros: measuredFrom,
          }),
        });
      } finally {
        for (const service of started.reverse()) await service.stop();
        await rm(dataDirectory, { recursive: true, force: true });
      }
    }
  }
  return runs;
}
