import type { Limits } from '../config/config.js';
import type { Database, Queryable } from '../database/database.js';
import { ConflictError } from '../errors.js';
import type { PromptOptimizationMode } from '../prompts/prompt-optimizer.js';
import type { ManagedClient, ManagedClientChanges, ManagedClientInput } from './managed-client.js';

interface Row {
  id: string;
  name: string;
  key_hash: string;
  limits: Limits | string;
  models: string[] | string | null;
  prompt_optimization: PromptOptimizationMode | null;
  created_at: Date | string;
  updated_at: Date | string;
  revoked_at: Date | string | null;
  revision: string | number;
}

const columns =
  'id, name, key_hash, limits, models, prompt_optimization, created_at, updated_at, revoked_at, revision::text AS revision';

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
const iso = (value: Date | string) => new Date(value).toISOString();

function fromRow(row: Row): ManagedClient {
  const models = row.models === null ? undefined : json<string[]>(row.models);
  return {
    id: row.id,
    name: row.name,
    keyHash: row.key_hash,
    limits: json<Limits>(row.limits),
    ...(models ? { models } : {}),
    ...(row.prompt_optimization ? { promptOptimization: row.prompt_optimization } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    ...(row.revoked_at !== null ? { revokedAt: iso(row.revoked_at) } : {}),
    revision: Number(row.revision),
  };
}

/**
 * Every write takes the next number of the one-row `managed_client_revision` table inside
 * its transaction. That row lock orders the writers: a change with revision r commits
 * before any change gets r + 1, so an instance that has seen r has seen everything up
 * to r, and `changesSince(r)` misses nothing (a sequence would not: two transactions can
 * commit in the other order than they drew their numbers).
 */
async function nextRevision(executor: Queryable): Promise<number> {
  const rows = await executor.query<{ revision: string }>(
    'UPDATE managed_client_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision::text AS revision',
  );
  return Number(rows[0]!.revision);
}

/** Managed client keys in SQL (PGlite or PostgreSQL): only hashes, revoked rows kept with their revision. */
export class ManagedClientStore {
  constructor(private readonly database: Pick<Database, 'query' | 'transaction'>) {}

  /** A new client; a 409 when the id is taken by a client that is not revoked. */
  async create(input: ManagedClientInput, keyHash: string): Promise<ManagedClient> {
    return this.database.transaction(async (executor) => {
      const revision = await nextRevision(executor);
      const [existing] = await executor.query<{ revoked_at: Date | null }>(
        'SELECT revoked_at FROM managed_clients WHERE id = $1',
        [input.id],
      );
      if (existing && existing.revoked_at === null)
        throw new ConflictError(
          `A managed client "${input.id}" exists; choose another id, or PATCH or DELETE it.`,
          { code: 'CLIENT_EXISTS', param: 'id' },
        );
      const rows = await executor.query<Row>(
        `INSERT INTO managed_clients (id, name, key_hash, limits, models, prompt_optimization, created_at, updated_at, revoked_at, revision)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, now(), now(), NULL, $7)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, key_hash = EXCLUDED.key_hash,
           limits = EXCLUDED.limits, models = EXCLUDED.models, prompt_optimization = EXCLUDED.prompt_optimization,
           created_at = now(), updated_at = now(), revoked_at = NULL, revision = EXCLUDED.revision
         RETURNING ${columns}`,
        [
          input.id,
          input.name,
          keyHash,
          JSON.stringify(input.limits),
          input.models ? JSON.stringify(input.models) : null,
          input.promptOptimization ?? null,
          revision,
        ],
      );
      return fromRow(rows[0]!);
    });
  }

  /** Clients that are not revoked, by id. */
  async list(): Promise<ManagedClient[]> {
    const rows = await this.database.query<Row>(
      `SELECT ${columns} FROM managed_clients WHERE revoked_at IS NULL ORDER BY id`,
    );
    return rows.map(fromRow);
  }

  /** The client, unless it does not exist or is revoked. */
  async get(id: string): Promise<ManagedClient | undefined> {
    const rows = await this.database.query<Row>(
      `SELECT ${columns} FROM managed_clients WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** Applies a PATCH; undefined when there is no such client (or it is revoked). */
  async update(id: string, changes: ManagedClientChanges): Promise<ManagedClient | undefined> {
    return this.database.transaction(async (executor) => {
      const revision = await nextRevision(executor);
      const [found] = await executor.query<Row>(
        `SELECT ${columns} FROM managed_clients WHERE id = $1 AND revoked_at IS NULL FOR UPDATE`,
        [id],
      );
      if (!found) return undefined;
      const current = fromRow(found);
      const limits: Record<string, unknown> = { ...current.limits };
      for (const [name, value] of Object.entries(changes.limits ?? {})) {
        if (value === null) delete limits[name];
        else if (value !== undefined) limits[name] = value;
      }
      const models = changes.models === undefined ? current.models : (changes.models ?? undefined);
      const promptOptimization =
        changes.promptOptimization === undefined
          ? current.promptOptimization
          : (changes.promptOptimization ?? undefined);
      const rows = await executor.query<Row>(
        `UPDATE managed_clients SET name = $2, limits = $3::jsonb, models = $4::jsonb, prompt_optimization = $5,
           updated_at = now(), revision = $6
         WHERE id = $1 RETURNING ${columns}`,
        [
          id,
          changes.name ?? current.name,
          JSON.stringify(limits),
          models ? JSON.stringify(models) : null,
          promptOptimization ?? null,
          revision,
        ],
      );
      return fromRow(rows[0]!);
    });
  }

  /** Revokes the key; undefined when there is no such client (or it was already revoked). */
  async revoke(id: string): Promise<ManagedClient | undefined> {
    return this.database.transaction(async (executor) => {
      const revision = await nextRevision(executor);
      const rows = await executor.query<Row>(
        `UPDATE managed_clients SET revoked_at = now(), updated_at = now(), revision = $2
         WHERE id = $1 AND revoked_at IS NULL RETURNING ${columns}`,
        [id, revision],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    });
  }

  /** Every change after `revision`, revocations included, oldest first. */
  async changesSince(revision: number): Promise<ManagedClient[]> {
    const rows = await this.database.query<Row>(
      `SELECT ${columns} FROM managed_clients WHERE revision > $1 ORDER BY revision`,
      [revision],
    );
    return rows.map(fromRow);
  }
}
