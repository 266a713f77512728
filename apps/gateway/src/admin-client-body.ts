import { limitsSchema, promptOptimizationModes, type ClientConfig, type ManagedClient } from '@uig/core';
import { z } from 'zod';
import { withUnknownFieldHint } from './zod-validation.js';

/**
 * Bodies and answers of the admin API (docs/accounting.md#admin-api). `limits` has the
 * config file's names (`rpm`, `imagesPerDay`, `budgetUsdPerDay`, ...), so a client moves
 * between the file and the API unchanged.
 */
const clientId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
const modelGlobs = z
  .array(z.string().regex(/^[^\s]{1,200}$/, 'a glob over provider/model such as "cogview/*"'))
  .min(1, 'give at least one glob (or leave models out for every model)')
  .max(100);
const clientName = z.string().trim().min(1).max(200);

const unknownField = 'a client takes id, name, limits, models and prompt_optimization.';

export const createClientSchema = withUnknownFieldHint(
  z
    .object({
      id: clientId.describe('The client id (its name in limits, usage and logs).'),
      name: clientName.optional().describe('A display name; default: the id.'),
      limits: limitsSchema
        .optional()
        .describe("The config file's limits: rpm, imagesPerDay, budgetUsdPerDay, ..."),
      models: modelGlobs
        .optional()
        .describe('Globs over provider/model the key may use; absent: every model.'),
      prompt_optimization: z.enum(promptOptimizationModes).optional(),
    })
    .strict()
    .meta({ id: 'ClientCreate' }),
  unknownField,
);

/** Each limit may be `null` to remove it; `models: null` allows every model again. */
const nullableLimits = z
  .object(
    Object.fromEntries(
      Object.entries(limitsSchema.shape).map(([field, schema]) => [
        field,
        (schema as z.ZodOptional<z.ZodNumber>).unwrap().nullable().optional(),
      ]),
    ),
  )
  .strict();

export const updateClientSchema = withUnknownFieldHint(
  z
    .object({
      name: clientName.optional(),
      limits: nullableLimits.optional().describe('Each limit given replaces the old one; null removes it.'),
      models: modelGlobs.nullable().optional().describe('null: every model again.'),
      prompt_optimization: z.enum(promptOptimizationModes).nullable().optional(),
    })
    .strict()
    .meta({ id: 'ClientUpdate' }),
  unknownField,
);

/** A client as the admin API shows it: never its key, nor the key's hash. */
export const clientSchema = z
  .object({
    object: z.literal('client'),
    id: z.string(),
    name: z.string(),
    source: z.enum(['env', 'config', 'managed']).describe('Where the client is defined.'),
    read_only: z
      .boolean()
      .describe('Fixed clients (UIG_API_KEYS, the config file) change only by editing them there.'),
    limits: z.record(z.string(), z.number()),
    models: z.array(z.string()).nullable().describe('null: every model.'),
    prompt_optimization: z.string().nullable(),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
  })
  .meta({ id: 'Client' });
type ClientBody = z.output<typeof clientSchema>;

export function fixedClientBody(client: ClientConfig): ClientBody {
  return {
    object: 'client',
    id: client.name,
    name: client.name,
    source: client.source ?? 'config',
    read_only: true,
    limits: { ...client.limits },
    models: client.models ?? null,
    prompt_optimization: client.promptOptimization ?? null,
  };
}

export function managedClientBody(client: ManagedClient): ClientBody {
  return {
    object: 'client',
    id: client.id,
    name: client.name,
    source: 'managed',
    read_only: false,
    limits: { ...client.limits },
    models: client.models ?? null,
    prompt_optimization: client.promptOptimization ?? null,
    created_at: client.createdAt,
    updated_at: client.updatedAt,
  };
}
