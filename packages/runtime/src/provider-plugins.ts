import type { ProviderPlugin } from '@uig/core';
import { bflPlugin } from '@uig/provider-bfl';
import { cogviewPlugin } from '@uig/provider-cogview';
import { falPlugin } from '@uig/provider-fal';
import { geminiPlugin } from '@uig/provider-gemini';
import { localPlugin } from '@uig/provider-local';
import { openaiPlugin, recraftPlugin, togetherPlugin, xaiPlugin } from '@uig/provider-openai';
import { replicatePlugin } from '@uig/provider-replicate';
import { seedreamPlugin } from '@uig/provider-seedream';
import { stabilityPlugin } from '@uig/provider-stability';
import { wanxPlugin } from '@uig/provider-wanx';

/** Every provider the gateway and the MCP server know: adding one is one line here. */
export const providerPlugins: ProviderPlugin[] = [
  cogviewPlugin,
  openaiPlugin,
  xaiPlugin,
  togetherPlugin,
  recraftPlugin,
  geminiPlugin,
  wanxPlugin,
  bflPlugin,
  falPlugin,
  replicatePlugin,
  stabilityPlugin,
  seedreamPlugin,
  localPlugin,
];
