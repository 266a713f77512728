import {
  ClientAuthenticationError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  type ClientConfig,
  type ManagedClients,
} from '@uig/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createClientSchema,
  fixedClientBody,
  managedClientBody,
  parseAdminBody,
  updateClientSchema,
} from '../admin-client-body.js';

/**
 * The admin API (docs/accounting.md#admin-api): client keys managed without a restart,
 * behind the admin key (`UIG_ADMIN_KEY`, a Bearer token compared in constant time).
 * - `POST /v1/admin/clients`: a new client; its key is in this answer only;
 * - `GET /v1/admin/clients`: every client, the fixed ones (UIG_API_KEYS, the config file)
 *   read-only; `GET /v1/admin/clients/{id}`: one;
 * - `PATCH /v1/admin/clients/{id}`: name, limits, models, prompt_optimization;
 * - `DELETE /v1/admin/clients/{id}`: revokes the key.
 * Every instance applies a change within `admin.refreshIntervalMs` (ManagedClients).
 */
interface ClientParams {
  id: string;
}

const where = (client: ClientConfig) =>
  client.source === 'env' ? 'UIG_API_KEYS' : 'the clients list of the UIG_CONFIG file';

export async function adminClientRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app.uig;
  const authenticator = runtime.authenticator;
  const config = { access: 'admin' } as const;

  app.addHook('onRequest', async (request) => {
    if (!authenticator.adminEnabled)
      throw new NotFoundError('The admin API is off: set UIG_ADMIN_KEY to turn it on.', {
        code: 'ADMIN_API_DISABLED',
      });
    if (!authenticator.isAdmin(request.headers.authorization))
      throw new ClientAuthenticationError(
        'The admin API needs the admin key: send Authorization: Bearer <UIG_ADMIN_KEY>.',
        { code: 'INVALID_ADMIN_KEY' },
      );
  });

  const managed = (): ManagedClients => runtime.managedClients;
  const fixed = (id: string) => {
    const client = authenticator.clientNamed(id);
    return client && client.source !== 'managed' ? client : undefined;
  };
  const notFound = (id: string) =>
    new NotFoundError(`No client "${id}".`, { code: 'CLIENT_NOT_FOUND', param: 'id' });
  const readOnly = (client: ClientConfig) =>
    new ConflictError(
      `Client "${client.name}" comes from ${where(client)}, which this API cannot change: edit it there and restart.`,
      { code: 'CLIENT_READ_ONLY', param: 'id' },
    );

  app.post('/v1/admin/clients', { config }, async (request: FastifyRequest, reply) => {
    const body = parseAdminBody(createClientSchema, request.body);
    const taken = fixed(body.id);
    if (taken)
      throw new ConflictError(
        `The id "${body.id}" belongs to a client from ${where(taken)}; choose another id.`,
        { code: 'CLIENT_EXISTS', param: 'id' },
      );
    const { client, key } = await managed().create({
      id: body.id,
      name: body.name ?? body.id,
      limits: body.limits ?? {},
      ...(body.models ? { models: body.models } : {}),
      ...(body.prompt_optimization ? { promptOptimization: body.prompt_optimization } : {}),
    });
    // The only time the key is shown: never cache this answer anywhere.
    reply.status(201).header('cache-control', 'no-store');
    return { ...managedClientBody(client), key };
  });

  app.get('/v1/admin/clients', { config }, async () => {
    const fixedClients = authenticator.clients.filter((client) => client.source !== 'managed');
    const managedClients = await managed().list();
    return {
      object: 'list',
      data: [...fixedClients.map(fixedClientBody), ...managedClients.map(managedClientBody)],
    };
  });

  app.get<{ Params: ClientParams }>('/v1/admin/clients/:id', { config }, async (request) => {
    const { id } = request.params;
    const client = fixed(id);
    if (client) return fixedClientBody(client);
    const found = await managed().get(id);
    if (!found) throw notFound(id);
    return managedClientBody(found);
  });

  app.patch<{ Params: ClientParams }>('/v1/admin/clients/:id', { config }, async (request) => {
    const { id } = request.params;
    const client = fixed(id);
    if (client) throw readOnly(client);
    const body = parseAdminBody(updateClientSchema, request.body);
    if (Object.keys(body).length === 0)
      throw new InvalidRequestError('Nothing to change: send name, limits, models or prompt_optimization.', {
        code: 'MISSING_PARAMETER',
      });
    const updated = await managed().update(id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.limits !== undefined ? { limits: body.limits } : {}),
      ...(body.models !== undefined ? { models: body.models } : {}),
      ...(body.prompt_optimization !== undefined ? { promptOptimization: body.prompt_optimization } : {}),
    });
    if (!updated) throw notFound(id);
    return managedClientBody(updated);
  });

  app.delete<{ Params: ClientParams }>('/v1/admin/clients/:id', { config }, async (request) => {
    const { id } = request.params;
    const client = fixed(id);
    if (client) throw readOnly(client);
    const revoked = await managed().revoke(id);
    if (!revoked) throw notFound(id);
    return { object: 'client.deleted', id, deleted: true };
  });
}
