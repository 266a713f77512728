import { isImageId } from '@uig/core';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerDependencies } from './server-dependencies.js';

/** JSON-RPC code MCP uses for an unknown resource (spec, server/resources "Error Handling"). */
const resourceNotFound = -32002;

/**
 * Generated images as MCP resources at `uig://images/<id>`: resources/list shows
 * this client's recent ones (newest first), resources/read returns any stored
 * image by id as a blob. Ids are 128-bit content hashes, so knowing one means
 * having been given it.
 */
export function registerImageResources(server: McpServer, deps: McpServerDependencies): void {
  const client = deps.client?.name ?? 'anonymous';
  server.registerResource(
    'generated-image',
    new ResourceTemplate('uig://images/{id}', {
      list: () => ({
        resources: deps.recent.list(client).map((image) => ({
          uri: image.uri,
          name: image.fileName,
          title: image.prompt.length > 80 ? `${image.prompt.slice(0, 77)}...` : image.prompt,
          description: `${image.width}x${image.height} ${image.mimeType} by ${image.model}, ${image.createdAt}; saved to ${image.path}`,
          mimeType: image.mimeType,
          size: image.byteLength,
        })),
      }),
    }),
    {
      title: 'Generated image',
      description: 'An image generated or edited through this server, by id (the id in tool results).',
    },
    async (uri, variables) => {
      const id = String(variables.id ?? '');
      const stored = isImageId(id) ? await deps.store.read(id) : undefined;
      if (!stored)
        throw new McpError(
          resourceNotFound,
          `No stored image ${uri.href}. Image ids are 32 hex characters, as in the tool results.`,
          { uri: uri.href },
        );
      return {
        contents: [{ uri: uri.href, mimeType: stored.image.mimeType, blob: stored.data.toString('base64') }],
      };
    },
  );
}
