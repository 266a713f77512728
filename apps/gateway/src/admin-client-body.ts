import {
  InvalidRequestError,
  isUigError,
  limitsSchema,
  promptOptimizationModes,
  type ClientConfig,
  type ManagedClient,
} from '@uig/core';
import { z } from 'zod';
import { parseBody } from './request-mapping.js';

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

export const createClientSchema = z
  .object({
    id: clientId,
    name: clientName.optional(),
    limits: limitsSchema.optional(),
    models: modelGlobs.optional(),
    prompt_optimization: z.enum(promptOptimizationModes).optional(),
  })
  .strict();

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

export const updateClientSchema = z
  .object({
    name: clientName.optional(),
    limits: nullableLimits.optional(),
    models: modelGlobs.nullable().optional(),
    prompt_optimization: z.enum(promptOptimizationModes).nullable().optional(),
  })
  .strict();

/** parseBody, with this API's own word for an unknown field. */
export function parseAdminBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  try {
    return parseBody(schema, body);
  } catch (error) {
    if (isUigError(error) && error.code === 'UNKNOWN_PARAMETER')
      throw new InvalidRequestError(
        `Unknown field "${error.param}": a client takes id, name, limits, models and prompt_optimization.`,
        { param: error.param, code: 'UNKNOWN_PARAMETER' },
      );
    throw error;
  }
}

/** A client as the admin API shows it: never its key, nor the key's hash. */
export interface ClientBody {
  object: 'client';
  id: string;
  name: string;
  source: 'env' | 'config' | 'managed';
  /** Fixed clients change only by editing UIG_API_KEYS or the config file. */
  read_only: boolean;
  limits: Record<string, number>;
  models: string[] | null;
  prompt_optimization: string | null;
  created_at?: string;
  updated_at?: string;
}

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
