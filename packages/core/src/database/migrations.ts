/**
 * The schema, in order: each entry runs once per database, in one transaction, on PGlite
 * and PostgreSQL alike (plain PostgreSQL SQL, nothing either lacks). Append; never edit
 * an entry that has shipped (a database that already ran it would not see the change).
 */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    id: 1,
    name: 'usage requests and their images',
    sql: `
      CREATE TABLE usage_requests (
        request_id text PRIMARY KEY,
        -- Insertion order: requests decided in the same millisecond keep their order.
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        time timestamptz NOT NULL,
        client text NOT NULL,
        route text,
        kind text,
        status integer NOT NULL,
        error_code text,
        prompt text,
        prompt_sent text,
        model_asked text,
        model_resolved text,
        provider text NOT NULL,
        model text NOT NULL,
        images_asked integer,
        images integer NOT NULL,
        attempts integer,
        vendor_calls integer,
        latency_ms integer,
        input_tokens integer,
        output_tokens integer,
        cost_usd numeric(16, 6) NOT NULL DEFAULT 0,
        vendor_request_ids text[] NOT NULL DEFAULT '{}',
        record jsonb NOT NULL
      );
      CREATE INDEX usage_requests_client_time ON usage_requests (client, time);
      CREATE INDEX usage_requests_time ON usage_requests (time);
      CREATE TABLE usage_images (
        image_id text NOT NULL,
        request_id text NOT NULL REFERENCES usage_requests (request_id) ON DELETE CASCADE,
        request_seq bigint NOT NULL,
        position integer NOT NULL,
        client text NOT NULL,
        time timestamptz NOT NULL,
        PRIMARY KEY (request_id, position)
      );
      CREATE INDEX usage_images_gallery ON usage_images (client, time DESC, request_seq DESC, position);
      CREATE INDEX usage_images_id ON usage_images (client, image_id);
    `,
  },
  {
    id: 2,
    name: 'budget charges',
    sql: `
      CREATE TABLE budget_charges (
        id text PRIMARY KEY,
        client text NOT NULL,
        time timestamptz NOT NULL,
        usd numeric(16, 6) NOT NULL,
        settled boolean NOT NULL DEFAULT false,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX budget_charges_client_time ON budget_charges (client, time);
    `,
  },
  {
    id: 3,
    name: 'managed client keys',
    // docs/accounting.md#admin-api: only the SHA-256 of each key; revoked rows stay (their
    // revision tells other instances to drop the key). The one-row counter orders writers.
    sql: `
      CREATE TABLE managed_clients (
        id text PRIMARY KEY,
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        limits jsonb NOT NULL DEFAULT '{}',
        models jsonb,
        prompt_optimization text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revision bigint NOT NULL
      );
      CREATE INDEX managed_clients_revision ON managed_clients (revision);
      CREATE TABLE managed_client_revision (
        id integer PRIMARY KEY CHECK (id = 1),
        revision bigint NOT NULL
      );
      INSERT INTO managed_client_revision (id, revision) VALUES (1, 0);
    `,
  },
];
