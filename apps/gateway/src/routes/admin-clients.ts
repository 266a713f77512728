import {
  ClientAuthenticationError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  type ClientConfig,
  type ManagedClients,
} from '@uig/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  clientSchema,
  createClientSchema,
  fixedClientBody,
  managedClientBody,
  updateClientSchema,
} from '../admin-client-body.js';
import { errorResponses } from '../error-responses.js';

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
const clientParams = z.object({ id: z.string().describe('The client id.') });
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
const common = { tags: ['admin'], security: [{ adminKey: [] }] as Array<Record<string, string[]>> };
const adminErrors = {
  401: 'Not the admin key (invalid_admin_key).',
  404: 'No such client (client_not_found), or the admin API is off (admin_api_disabled: UIG_ADMIN_KEY unset).',
  409: 'The client comes from UIG_API_KEYS or the config file (client_read_only), or the id is taken (client_exists).',
};

const where = (client: ClientConfig) =>
  client.source === 'env' ? 'UIG_API_KEYS' : 'the clients list of the UIG_CONFIG file';

export async function adminClientRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<ZodTypeProvider>();
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

  const createSchema = {
    ...common,
    summary: 'Create a managed client key',
    description: 'The key is in this answer only (Cache-Control: no-store).',
    operationId: 'createClient',
    body: createClientSchema,
    response: {
      201: {
        description: 'The client, with its key.',
        content: json(clientSchema.extend({ key: z.string().describe('The client key; shown once.') })),
      },
      ...errorResponses([400, 401, 404, 409], adminErrors),
    },
  };
  app.post('/v1/admin/clients', { config, schema: createSchema }, async (request, reply) => {
    const body = request.body;
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

  const listSchema = {
    ...common,
    summary: 'Every client: fixed ones read-only, then the managed ones',
    operationId: 'listClients',
    response: {
      200: {
        description: 'The clients (never a key).',
        content: json(z.object({ object: z.literal('list'), data: z.array(clientSchema) })),
      },
      ...errorResponses([401, 404], adminErrors),
    },
  };
  app.get('/v1/admin/clients', { config, schema: listSchema }, async () => {
    const fixedClients = authenticator.clients.filter((client) => client.source !== 'managed');
    const managedClients = await managed().list();
    return {
      object: 'list' as const,
      data: [...fixedClients.map(fixedClientBody), ...managedClients.map(managedClientBody)],
    };
  });

  const oneAnswer = {
    200: { description: 'The client.', content: json(clientSchema) },
    ...errorResponses([401, 404], adminErrors),
  };
  const getSchema = {
    ...common,
    summary: 'One client',
    operationId: 'getClient',
    params: clientParams,
    response: oneAnswer,
  };
  app.get('/v1/admin/clients/:id', { config, schema: getSchema }, async (request) => {
    const { id } = request.params;
    const client = fixed(id);
    if (client) return fixedClientBody(client);
    const found = await managed().get(id);
    if (!found) throw notFound(id);
    return managedClientBody(found);
  });

  const patchSchema = {
    ...common,
    summary: "Change a managed client's name, limits, models or prompt optimisation",
    operationId: 'updateClient',
    params: clientParams,
    body: updateClientSchema,
    response: {
      200: { description: 'The client as changed.', content: json(clientSchema) },
      ...errorResponses([400, 401, 404, 409], adminErrors),
    },
  };
  app.patch('/v1/admin/clients/:id', { config, schema: patchSchema }, async (request) => {
    const { id } = request.params;
    const client = fixed(id);
    if (client) throw readOnly(client);
    const body = request.body;
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

  const deleteSchema = {
    ...common,
    summary: "Revoke a managed client's key",
    operationId: 'deleteClient',
    params: clientParams,
    response: {
      200: {
        description: 'Revoked.',
        content: json(
          z.object({ object: z.literal('client.deleted'), id: z.string(), deleted: z.literal(true) }),
        ),
      },
      ...errorResponses([401, 404, 409], adminErrors),
    },
  };
  app.delete('/v1/admin/clients/:id', { config, schema: deleteSchema }, async (request) => {
    const { id } = request.params;
    const client = fixed(id);
    if (client) throw readOnly(client);
    const revoked = await managed().revoke(id);
    if (!revoked) throw notFound(id);
    return { object: 'client.deleted' as const, id, deleted: true as const };
  });
}
