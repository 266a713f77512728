import { clockTicksPerSecond, machineBusyTicks } from './process-meter.js';
import { runLoad, type LoadRequest } from './load-generator.js';
import { latencyPercentiles } from './latency-percentiles.js';
import { runningServices, type ServiceProcess } from './service-process.js';

/**
 * Runs load samples for one target and adds them up across rounds: answers, time,
 * every latency, the gateway's CPU ticks, and how busy the machine was with work
 * that is not ours (another process on a 2-core machine moves every number).
 */
export interface SeriesSummary {
  requestsPerSecond: number;
  /** req/s of each round, to show how much the rounds disagree. */
  roundRates: number[];
  p50Ms: number;
  p99Ms: number;
  ok: number;
  failed: number;
  /** Gateway CPU (all threads) per answered request, ms; undefined without a gateway process. */
  cpuMsPerRequest: number | undefined;
  /** Average cores used by processes that are not the benchmark's, during these samples. */
  foreignCores: number;
}

export class SampleSeries {
  private ok = 0;
  private failed = 0;
  private seconds = 0;
  private cpuTicks = 0;
  private foreignTicks = 0;
  private readonly latencies: number[] = [];
  private readonly roundRates: number[] = [];

  constructor(
    private readonly request: LoadRequest,
    private readonly gateway: ServiceProcess | undefined,
  ) {}

  async sample(connections: number, seconds: number): Promise<void> {
    this.assertAlive();
    const ours = () => runningServices().reduce((sum, service) => sum + safeTicks(service), 0) + ownTicks();
    const gatewayBefore = this.gateway ? this.gateway.meter.read().cpuTicks : 0;
    const machineBefore = machineBusyTicks();
    const oursBefore = ours();
    const result = await runLoad(this.request, connections, seconds);
    const oursAfter = ours();
    const machineAfter = machineBusyTicks();
    if (this.gateway) {
      this.assertAlive();
      this.cpuTicks += this.gateway.meter.read().cpuTicks - gatewayBefore;
    }
    this.foreignTicks += Math.max(0, machineAfter - machineBefore - (oursAfter - oursBefore));
    this.ok += result.ok;
    this.failed += result.failed;
    this.seconds += result.seconds;
    for (const latency of result.latencies) this.latencies.push(latency);
    this.roundRates.push(result.ok / result.seconds);
  }

  private assertAlive(): void {
    if (this.gateway && !this.gateway.alive)
      throw new Error(
        `${this.gateway.name} (pid ${this.gateway.pid}) exited (${this.gateway.exitReason}):\n${this.gateway.errorOutput || '(nothing on stderr)'}`,
      );
  }

  summary(): SeriesSummary {
    const [p50Ms, p99Ms] = latencyPercentiles(this.latencies, [0.5, 0.99]);
    return {
      requestsPerSecond: this.ok / this.seconds,
      roundRates: this.roundRates,
      p50Ms: p50Ms!,
      p99Ms: p99Ms!,
      ok: this.ok,
      failed: this.failed,
      cpuMsPerRequest:
        this.gateway && this.ok > 0 ? (this.cpuTicks * (1000 / clockTicksPerSecond)) / this.ok : undefined,
      foreignCores: this.seconds > 0 ? this.foreignTicks / clockTicksPerSecond / this.seconds : 0,
    };
  }
}

function safeTicks(service: ServiceProcess): number {
  try {
    return service.meter.read().cpuTicks;
  } catch {
    return 0; // exited between listing and reading
  }
}

function ownTicks(): number {
  const usage = process.cpuUsage();
  return ((usage.user + usage.system) / 1e6) * clockTicksPerSecond;
}

/** A sample that is not kept: JIT, connection pools and caches settle. Failures are reported, not hidden. */
export async function warmUp(
  label: string,
  request: LoadRequest,
  gateway: ServiceProcess | undefined,
  settings: { connections: number; warmupSeconds: number; log: (line: string) => void },
): Promise<void> {
  const series = new SampleSeries(request, gateway);
  await series.sample(settings.connections, settings.warmupSeconds);
  const { failed, ok } = series.summary();
  if (failed > 0) settings.log(`  warning: ${label}: ${failed} of ${failed + ok} warm-up requests failed`);
}
