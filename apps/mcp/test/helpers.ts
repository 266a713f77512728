import type { Test } from 'tap';
import { loadConfig, type Env } from '@uig/core';
import { createRuntime, providerPlugins, type Runtime } from '@uig/runtime';
import { postgresUrl } from '../../../packages/core/test/postgres-server.js';
import type { FakeUpstream } from '@uig/testkit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  loadMcpSettings,
  silentLogger,
  startHttpServer,
  type McpHttpServer,
  type McpSettings,
} from '../src/index.js';

const binPath = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
export const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface TestHttpServer {
  runtime: Runtime;
  settings: McpSettings;
  server: McpHttpServer;
  /** `<url>/mcp` */
  endpoint: URL;
  dataDir: string;
  env: Env;
}

/** The runtime and HTTP MCP server exactly as `uig-mcp --http` builds them, on port 0. */
export interface StartHttpOptions {
  runtime?: Parameters<typeof createRuntime>[1];
  /** Files to put in the data dir before loading the configuration (a UIG_CONFIG file...). */
  files?: Record<string, string>;
}

export async function startHttp(
  t: Test,
  env: Env | ((dataDir: string) => Env) = {},
  options: StartHttpOptions = {},
): Promise<TestHttpServer> {
  const dataDir = t.testdir(options.files ?? {});
  const fullEnv: Env = { UIG_DATA_DIR: dataDir, ...(typeof env === 'function' ? env(dataDir) : env) };
  // The usage store on the test PostgreSQL cluster: opening the embedded PGlite costs each
  // server seconds of CPU (the accounting tests cover PGlite).
  fullEnv.UIG_DATABASE_URL ??= await postgresUrl(t);
  const config = loadConfig({ env: fullEnv, plugins: providerPlugins, cwd: dataDir });
  const runtime = createRuntime(config, options.runtime ?? {});
  const settings = loadMcpSettings({
    env: fullEnv,
    config,
    transport: 'http',
    host: '127.0.0.1',
    cwd: dataDir,
  });
  const server = await startHttpServer({
    runtime,
    settings,
    env: fullEnv,
    logger: silentLogger,
    host: '127.0.0.1',
    port: 0,
  });
  t.teardown(async () => {
    await server.close();
    await runtime.close();
  });
  return { runtime, settings, server, endpoint: new URL(`${server.url}/mcp`), dataDir, env: fullEnv };
}

/** The SDK's own client over Streamable HTTP. */
export async function connectHttp(t: Test, endpoint: URL, key?: string): Promise<Client> {
  const client = new Client({ name: 'uig-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(
    endpoint,
    key ? { requestInit: { headers: { authorization: `Bearer ${key}` } } } : {},
  );
  await client.connect(transport);
  t.teardown(() => client.close());
  return client;
}

/** Spawns `uig-mcp` (from source) and connects the SDK's client over stdio. */
export async function connectStdio(
  t: Test,
  env: Env,
  cwd: string,
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--conditions=uig-source', '--import', tsxLoader, binPath],
    env: { PATH: process.env.PATH ?? '', ...env } as Record<string, string>,
    cwd,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'uig-test', version: '1.0.0' });
  await client.connect(transport);
  t.teardown(() => client.close());
  return { client, stderr: () => stderr };
}

export function textOf(result: CallToolResult): string {
  return result.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
}

export function imageBlocks(result: CallToolResult) {
  return result.content.flatMap((block) => (block.type === 'image' ? [block] : []));
}

/**
 * Counts fake requests whose connection closed before an answer was written: what
 * a cancelled vendor call looks like from the vendor's side.
 */
export function watchAbandonedRequests(fake: FakeUpstream): { count: () => number } {
  // FakeUpstream keeps its node:http server private; listening to it is read-only.
  const server = (fake as unknown as { server: Server }).server;
  let abandoned = 0;
  server.on('request', (_request, response) => {
    response.on('close', () => {
      if (!response.writableFinished) abandoned += 1;
    });
  });
  return { count: () => abandoned };
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}
