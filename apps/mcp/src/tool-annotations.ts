import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

/** Every image tool calls a vendor (open world), writes files, and gives new images each time. */
export const imageToolAnnotations: ToolAnnotations = {
  readOnlyHint: false,
  openWorldHint: true,
  idempotentHint: false,
  destructiveHint: false,
};
