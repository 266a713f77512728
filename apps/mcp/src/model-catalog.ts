import {
  modelAllowed,
  type ClientIdentity,
  type ModelCapabilities,
  type ModelDescriptor,
  type ModelRegistry,
  type ResolvedModel,
} from '@uig/core';
import { modelPrice } from '@uig/runtime';

/**
 * The configured models as a tool caller sees them: only those its client key may
 * use, the default first, each with what it can do and a cost hint. Tool
 * descriptions and list_models are built from this, so they never drift from the
 * registry.
 */
export interface CatalogEntry {
  resolved: ResolvedModel;
  isDefault: boolean;
}

export function modelCatalog(registry: ModelRegistry, client: ClientIdentity | undefined): CatalogEntry[] {
  let defaultName: string | undefined;
  try {
    defaultName = registry.resolve(undefined).name;
  } catch {
    defaultName = undefined;
  }
  return registry
    .list()
    .filter((entry) => modelAllowed(client?.models, entry.name))
    .map((resolved) => ({ resolved, isDefault: resolved.name === defaultName }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

export function costHint(model: ModelDescriptor): string {
  const usd = modelPrice(model).cost_per_image_usd;
  if (usd === undefined) return 'cost unknown';
  if (usd === 0) return 'free';
  return `~$${Number(usd.toPrecision(3))}/image`;
}

/** ` (retired 2026-05-12, use openai/gpt-image-2)`, ` (deprecated, shuts down 2026-12-01)` or nothing. */
export function lifecycleHint(model: ModelDescriptor): string {
  const lifecycle = model.lifecycle;
  if (!lifecycle || lifecycle.status === 'active') return '';
  const date = lifecycle.shutdownDate
    ? `${lifecycle.status === 'retired' ? ' ' : ', shuts down '}${lifecycle.shutdownDate}`
    : '';
  const instead = lifecycle.replacement ? `, use ${lifecycle.replacement}` : '';
  return ` (${lifecycle.status}${date}${instead})`;
}

export function capabilitySummary(capabilities: ModelCapabilities): string {
  const parts: string[] = [];
  parts.push(
    [capabilities.generate && 'generate', capabilities.edit && 'edit', capabilities.mask && 'mask']
      .filter(Boolean)
      .join('+'),
  );
  parts.push(`n<=${capabilities.maxImagesPerRequest}`);
  const sizes = capabilities.sizes;
  if (sizes?.custom) {
    const multiple = sizes.custom.multipleOf > 1 ? ` (multiple of ${sizes.custom.multipleOf})` : '';
    parts.push(`size ${sizes.custom.minSide}-${sizes.custom.maxSide}px${multiple}, default ${sizes.default}`);
  } else if (sizes?.allowed) parts.push(`size ${sizes.allowed.join('|')}`);
  if (capabilities.aspectRatios) parts.push(`aspect_ratio ${capabilities.aspectRatios.join('|')}`);
  if (capabilities.qualities) parts.push(`quality ${capabilities.qualities.join('|')}`);
  if (capabilities.seed) parts.push('seed');
  if (capabilities.negativePrompt) parts.push('negative_prompt');
  if (capabilities.edit)
    parts.push(
      `up to ${capabilities.maxInputImages} input image${capabilities.maxInputImages === 1 ? '' : 's'}`,
    );
  if (capabilities.longRunning) parts.push('slow (async task)');
  if (capabilities.promptLanguage) parts.push(`prompt language ${capabilities.promptLanguage}`);
  return parts.join('; ');
}

/** One line per model, for tool descriptions. */
export function describeModels(
  entries: CatalogEntry[],
  filter: (capabilities: ModelCapabilities) => boolean,
): string {
  const lines = entries
    .filter(
      (entry) => filter(entry.resolved.model.capabilities) && entry.resolved.model.lifecycle === undefined,
    )
    .map(
      ({ resolved, isDefault }) =>
        `- ${resolved.name}${isDefault ? ' (default)' : ''}: ${resolved.model.description} [${capabilitySummary(resolved.model.capabilities)}; ${costHint(resolved.model)}]`,
    );
  return lines.length ? lines.join('\n') : '- none configured for this key';
}
