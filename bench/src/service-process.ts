import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { once } from 'node:events';
import { ProcessMeter } from './process-meter.js';

/**
 * A server the benchmark runs in its own process (the fake, the forwarder, uig,
 * Portkey), so each one's CPU and memory can be read apart and none shares an event
 * loop with the load generator. Every process started here is stopped by `stop()`,
 * and by `stopAllServices()` when the runner exits early.
 */
export interface ServiceSpec {
  name: string;
  /** Arguments to `node` (flags, script, script arguments). */
  nodeArguments: string[];
  /** The complete environment: nothing of the caller's leaks in (no stray UIG_CONFIG or vendor keys). */
  env: Record<string, string>;
  /** Ready once this loopback port accepts connections... */
  port?: number;
  /** ...or once the process prints its first stdout line (returned as `firstLine`). */
  readyOnFirstLine?: boolean;
  /** Default 20 s. */
  startTimeoutMs?: number;
}

const running = new Set<ServiceProcess>();

export class ServiceProcess {
  readonly meter: ProcessMeter;
  private stderrTail = '';
  private exited = false;
  private stopping = false;
  /** How it ended: `code 1`, `signal SIGKILL`; empty while running. */
  exitReason = '';

  /** The first stdout line, for services started with `readyOnFirstLine`. */
  firstLine = '';

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.meter = new ProcessMeter(child.pid!);
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    child.once('exit', (code, signal) => {
      this.exited = true;
      this.exitReason = signal
        ? `signal ${signal}${this.stopping ? '' : ', not sent by the benchmark'}`
        : `code ${code}`;
      running.delete(this);
    });
    running.add(this);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** The last lines the process wrote to stderr, for error messages. */
  get errorOutput(): string {
    return this.stderrTail.trim();
  }

  /** SIGTERM (uig then closes with grace and writes its CPU profile), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, 'exit');
    this.stopping = true;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
  }

  /** Synchronous last resort for process exit. */
  kill(): void {
    this.stopping = true;
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

export async function startService(spec: ServiceSpec): Promise<ServiceProcess> {
  const child = spawn(process.execPath, spec.nodeArguments, {
    env: spec.env,
    // stdout is read for the first line only; uig's and Portkey's logs go to /dev/null
    // (a pipe nobody drains would block pino's synchronous writes).
    stdio: ['ignore', spec.readyOnFirstLine ? 'pipe' : 'ignore', 'pipe'],
  });
  const service = new ServiceProcess(spec.name, child);
  const deadline = Date.now() + (spec.startTimeoutMs ?? 20_000);
  const failed = () =>
    new Error(`${spec.name} did not start${service.errorOutput ? `:\n${service.errorOutput}` : ''}`);

  if (spec.readyOnFirstLine) {
    service.firstLine = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(failed()), deadline - Date.now());
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const end = buffered.indexOf('\n');
        if (end >= 0) {
          clearTimeout(timer);
          resolve(buffered.slice(0, end).trim());
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        reject(failed());
      });
    });
    // Keep draining so a later write never blocks the child.
    child.stdout!.resume();
  }
  if (spec.port !== undefined) {
    while (!(await accepts(spec.port))) {
      if (!service.alive || Date.now() > deadline) {
        service.kill();
        throw failed();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return service;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** CPU ticks of every service still running (for telling our load from the machine's). */
export function runningServices(): ServiceProcess[] {
  return [...running];
}

export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((service) => service.stop(3_000)));
}

/** On an abrupt exit of the runner, no child is left behind. */
export function killAllServicesNow(): void {
  for (const service of running) service.kill();
}
