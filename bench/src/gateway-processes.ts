import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { portkeyPackageDirectory } from './portkey-package.js';
import { startService, type ServiceProcess } from './service-process.js';

/**
 * How each gateway under test is started: uig from its build (`node
 * apps/gateway/dist/server.js`, as `pnpm start` runs it), Portkey from its npm
 * package's bin with `--port=N --headless` (installed on first use, portkey-package.ts), the forwarder from this package's build.
 * Each gets only the environment it needs, with NODE_ENV=production as deployed.
 */
const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

const baseEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  NODE_ENV: 'production',
});

export interface UigGatewayOptions {
  name: string;
  /** `http://127.0.0.1:<fake>/v1`. */
  upstreamBaseURL: string;
  dataDir: string;
  /** UIG_CONFIG, e.g. the client-keys file of the limiter benchmark. */
  configPath?: string;
  /** Write a V8 CPU profile here when the process exits. */
  cpuProfile?: { directory: string; fileName: string };
}

export interface StartedGateway {
  service: ServiceProcess;
  origin: string;
}

export async function startUigGateway(options: UigGatewayOptions): Promise<StartedGateway> {
  const port = await freePort();
  const server = join(dirname(require.resolve('@uig/gateway')), 'server.js');
  const profile = options.cpuProfile
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${options.cpuProfile.directory}`,
        `--cpu-prof-name=${options.cpuProfile.fileName}`,
      ]
    : [];
  const service = await startService({
    name: options.name,
    nodeArguments: [...profile, server],
    env: {
      ...baseEnv(),
      HOST: '127.0.0.1',
      PORT: String(port),
      // The default log level, as deployed: one pino line per request.
      LOG_LEVEL: 'info',
      UIG_DATA_DIR: options.dataDir,
      UIG_SIGNING_SECRET: 'uig-bench-signing-secret-0123456789',
      OPENAI_API_KEY: 'bench-upstream-key',
      OPENAI_BASE_URL: options.upstreamBaseURL,
      ...(options.configPath ? { UIG_CONFIG: options.configPath } : {}),
    },
    port,
    startTimeoutMs: 60_000,
  });
  return { service, origin: `http://127.0.0.1:${port}` };
}

export async function startPortkey(name = 'portkey'): Promise<StartedGateway> {
  const port = await freePort();
  const packageDirectory = portkeyPackageDirectory();
  const service = await startService({
    name,
    nodeArguments: [join(packageDirectory, 'build/start-server.js'), `--port=${port}`, '--headless'],
    env: baseEnv(),
    port,
  });
  return { service, origin: `http://127.0.0.1:${port}` };
}

/** `upstreamBase` is the fake's origin (the forwarder appends the request path). */
export async function startMinimalForwarder(
  upstreamBase: string,
  name = 'forwarder',
): Promise<StartedGateway> {
  const port = await freePort();
  const service = await startService({
    name,
    nodeArguments: [join(here, 'minimal-forwarder.js'), upstreamBase, String(port)],
    env: baseEnv(),
    port,
  });
  return { service, origin: `http://127.0.0.1:${port}` };
}

/** The fake upstream; `latencyMs` is how long it takes to answer (a slow vendor). */
export async function startOpenAIFake(
  body: 'tiny' | 'large',
  latencyMs = 0,
): Promise<{ service: ServiceProcess; baseURL: string; origin: string }> {
  const service = await startService({
    name: `openai-fake-${body}`,
    nodeArguments: [join(here, 'openai-fake-server.js'), body, String(latencyMs)],
    env: baseEnv(),
    readyOnFirstLine: true,
  });
  return { service, baseURL: service.firstLine, origin: new URL(service.firstLine).origin };
}
