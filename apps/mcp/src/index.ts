export { buildServer } from './build-server.js';
export { startHttpServer, type McpHttpServer, type McpHttpServerOptions } from './http-server.js';
export {
  createMcpDependencies,
  type McpRuntime,
  type CreateMcpDependenciesOptions,
} from './mcp-dependencies.js';
export { loadMcpSettings, isLoopbackHost, type McpSettings, type TransportKind } from './mcp-settings.js';
export { parseCliOptions, type CliOptions } from './cli-options.js';
export { createStderrLogger, silentLogger, type Logger } from './logger.js';
export type { McpServerDependencies, ClientAdmission } from './server-dependencies.js';
export { chooseImageBlock, maxImageBlockBase64 } from './image-preview.js';
export { startMcp } from './start-mcp.js';
