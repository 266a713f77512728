import {
  modelAllowed,
  type ClientIdentity,
  type ModelCapabilities,
  type ModelRegistry,
  type ResolvedModel,
} from '@uig/core';

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

export function costHint(costPerImageUsd: number | undefined): string {
  if (costPerImageUsd === undefined) return 'cost unknown';
  if (costPerImageUsd === 0) return 'free';
  return `~$${Number(costPerImageUsd.toPrecision(3))}/image`;
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
  return parts.join('; ');
}

/** One line per model, for tool descriptions. */
export function describeModels(
  entries: CatalogEntry[],
  filter: (capabilities: ModelCapabilities) => boolean,
): string {
  const lines = entries
    .filter((entry) => filter(entry.resolved.model.capabilities) && !entry.resolved.model.deprecated)
    .map(
      ({ resolved, isDefault }) =>
        `- ${resolved.name}${isDefault ? ' (default)' : ''}: ${resolved.model.description} [${capabilitySummary(resolved.model.capabilities)}; ${costHint(resolved.model.costPerImageUsd)}]`,
    );
  return lines.length ? lines.join('\n') : '- none configured for this key';
}
