import { z } from 'zod';
import type { S3StorageSettings } from '../storage/s3-image-store.js';

/** A storage setting that cannot work; the config loader reports it like its own errors. */
export class StorageConfigError extends Error {}

/** `storage` in the config file (docs/configuration.md#image-storage). */
export const storageFileSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('file'),
      /** Days an image is kept; a sweep removes older ones. Absent: kept for ever. */
      retentionDays: z.number().int().positive().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('s3'),
      bucket: z.string().min(1),
      prefix: z.string().optional(),
      region: z.string().min(1).optional(),
      endpoint: z.url().optional(),
      forcePathStyle: z.boolean().optional(),
      /** Literal or `env:NAME`; with neither key given the AWS SDK's own credential chain is used. */
      accessKeyId: z.string().min(1).optional(),
      secretAccessKey: z.string().min(1).optional(),
      urls: z.enum(['gateway', 'presigned']).optional(),
      presignedTtlSeconds: z.number().int().min(1).max(604_800).optional(),
      /** Documented as a lifecycle rule the operator sets on the bucket (docs/operations.md). */
      retentionDays: z.number().int().positive().optional(),
    })
    .strict(),
]);

export type StorageConfig =
  | { type: 'file'; retentionDays?: number }
  | ({ type: 's3'; retentionDays?: number } & S3StorageSettings);

/** The storage settings, with keys resolved (`env:NAME`) and defaults filled in. */
export function resolveStorage(
  file: z.infer<typeof storageFileSchema> | undefined,
  env: Record<string, string | undefined>,
  /** The config loader's `env:NAME` resolution (throws its ConfigError naming the field). */
  resolveKey: (reference: string, field: string) => string,
): StorageConfig {
  if (!file || file.type === 'file')
    return { type: 'file', ...(file?.retentionDays ? { retentionDays: file.retentionDays } : {}) };
  if ((file.accessKeyId === undefined) !== (file.secretAccessKey === undefined))
    throw new StorageConfigError(
      'storage: give both accessKeyId and secretAccessKey, or neither (the AWS credential chain).',
    );
  const prefix = file.prefix ?? '';
  return {
    type: 's3',
    bucket: file.bucket,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    region: file.region ?? env.AWS_REGION ?? 'us-east-1',
    ...(file.endpoint ? { endpoint: file.endpoint } : {}),
    forcePathStyle: file.forcePathStyle ?? Boolean(file.endpoint),
    ...(file.accessKeyId ? { accessKeyId: resolveKey(file.accessKeyId, 'storage.accessKeyId') } : {}),
    ...(file.secretAccessKey
      ? { secretAccessKey: resolveKey(file.secretAccessKey, 'storage.secretAccessKey') }
      : {}),
    urls: file.urls ?? 'gateway',
    presignedTtlSeconds: file.presignedTtlSeconds ?? 3600,
    ...(file.retentionDays ? { retentionDays: file.retentionDays } : {}),
  };
}
