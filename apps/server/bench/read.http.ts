/**
 * The same read paths through HTTP (`app.inject`, no socket): routing, authentication by API token,
 * validation, the service and the presenter on top of the repository. Reported separately from the
 * repository figures.
 */
import type { FastifyInstance } from 'fastify';
import type { ListResult, ReadPath } from './read.queries.ts';

export function httpReadPath(app: FastifyInstance, token: string): ReadPath {
  const get = async <T>(url: string): Promise<T> => {
    const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    if (response.statusCode !== 200) throw new Error(`GET ${url}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  };
  const list = (query: Record<string, string>) =>
    get<ListResult>(`/api/v1/tickets?${new URLSearchParams({ limit: '25', ...query }).toString()}`);
  return {
    source: 'GET /api/v1/tickets[?…] and /api/v1/tickets/:id through app.inject (API token, supervisor)',
    agentQueue: (_tenantId, agentId, cursor) =>
      list({ assigneeId: agentId, sort: 'nextDueAt', ...(cursor ? { cursor } : {}) }),
    teamQueue: (_tenantId, teamId) => list({ teamId, sort: 'nextDueAt' }),
    ticketWithMessages: (_tenantId, id) => get<{ messages: unknown[] }>(`/api/v1/tickets/${id}`),
    search: (_tenantId, q) => list({ q }),
  };
}
