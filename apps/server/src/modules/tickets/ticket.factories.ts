import type { FastifyInstance } from 'fastify';
import { call, testDb, type TestTenant } from '../../../test/helpers.ts';
import type { TicketStatus } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';

/** Test factories for the ticket module (used by *.int.test.ts only). */

let seq = 0;

export async function createTeam(tenant: TestTenant, name = `team ${++seq}`): Promise<string> {
  const id = uuidv7();
  const now = new Date();
  await testDb()
    .insertInto('teams')
    .values({ tenantId: tenant.id, id, name: `${name} ${id.slice(-6)}`, createdAt: now, updatedAt: now })
    .execute();
  return id;
}

/** The parts of a ticket's JSON the tests look at by name; the rest is there too. */
export interface TicketJson {
  id: string;
  number: number;
  version: number;
  subject: string;
  requesterId: string;
  [key: string]: unknown;
}

export interface TicketOverrides {
  subject?: string;
  body?: string;
  channel?: string;
  customer?: Record<string, string>;
  orderNumber?: string;
  priority?: string;
  tags?: string[];
  fields?: Record<string, unknown>;
  teamId?: string;
}

/** POSTs a ticket and returns the response body; fails the test unless it is a 201. */
export async function postTicket(
  app: FastifyInstance,
  token: string,
  overrides: TicketOverrides = {},
): Promise<TicketJson> {
  const response = await call(app, token, {
    method: 'POST',
    url: '/api/v1/tickets',
    payload: {
      body: '我的订单 E2026111100123 还没发货，什么时候发？',
      channel: 'web',
      customer: { name: '张三', email: `buyer${++seq}@example.cn` },
      ...overrides,
    },
  });
  if (response.statusCode !== 201) {
    throw new Error(`create failed: ${response.statusCode} ${response.body}`);
  }
  return response.data as TicketJson;
}

/** Sets columns the API does not write (SLA due times, assignment shortcuts) directly. */
export async function setTicketColumns(
  tenant: TestTenant,
  id: string,
  values: {
    nextDueAt?: Date | null;
    assigneeId?: string | null;
    teamId?: string | null;
    status?: TicketStatus;
  },
): Promise<void> {
  await testDb()
    .updateTable('tickets')
    .set(values)
    .where('tenantId', '=', tenant.id)
    .where('id', '=', id)
    .execute();
}

export async function patchTicket(
  app: FastifyInstance,
  token: string,
  id: string,
  version: number | string | null,
  payload: Record<string, unknown>,
) {
  return call(app, token, {
    method: 'PATCH',
    url: `/api/v1/tickets/${id}`,
    headers: version === null ? {} : { 'if-match': String(version) },
    payload,
  });
}
