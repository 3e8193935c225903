import type { Db } from '../../db/database.ts';

/** What the portal shows of a ticket: no assignee, team, internal fields or SLA. */
const SUMMARY_COLUMNS = [
  'id',
  'number',
  'subject',
  'status',
  'orderNumber',
  'createdAt',
  'updatedAt',
] as const;

export interface PortalScope {
  tenantId: string;
  customerId: string;
  /** One ticket, or null for all of the customer's tickets. */
  ticketId: string | null;
}

/** Storage for the customer portal; every query is keyed by tenant and by the link's customer. */
export class PortalRepository {
  constructor(private readonly db: Db) {}

  findTenantBySlug(slug: string) {
    return this.db
      .selectFrom('tenants')
      .select(['id', 'slug', 'name'])
      .where('slug', '=', slug)
      .executeTakeFirst();
  }

  findTenant(tenantId: string) {
    return this.db
      .selectFrom('tenants')
      .select(['id', 'slug', 'name'])
      .where('id', '=', tenantId)
      .executeTakeFirst();
  }

  findLink(tenantId: string, linkId: string) {
    return this.db
      .selectFrom('portalLinks')
      .select(['tenantId', 'id', 'customerId', 'ticketId', 'secretHash', 'expiresAt'])
      .where('tenantId', '=', tenantId)
      .where('id', '=', linkId)
      .executeTakeFirst();
  }

  async insertLink(link: {
    tenantId: string;
    id: string;
    customerId: string;
    ticketId: string | null;
    secretHash: string;
    expiresAt: Date;
    createdAt: Date;
  }): Promise<void> {
    await this.db.insertInto('portalLinks').values(link).execute();
  }

  async touchLink(tenantId: string, linkId: string, now: Date): Promise<void> {
    await this.db
      .updateTable('portalLinks')
      .set({ lastUsedAt: now })
      .where('tenantId', '=', tenantId)
      .where('id', '=', linkId)
      .execute();
  }

  findCustomer(tenantId: string, customerId: string) {
    return this.db
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('tenantId', '=', tenantId)
      .where('id', '=', customerId)
      .executeTakeFirst();
  }

  /** The active customer who owns this email identity, if any. */
  findCustomerByEmail(tenantId: string, email: string) {
    return this.db
      .selectFrom('customerIdentities as i')
      .innerJoin('customers as c', (join) =>
        join.onRef('c.tenantId', '=', 'i.tenantId').onRef('c.id', '=', 'i.customerId'),
      )
      .select(['c.id'])
      .where('i.tenantId', '=', tenantId)
      .where('i.kind', '=', 'email')
      .where('i.value', '=', email)
      .where('c.isActive', '=', true)
      .executeTakeFirst();
  }

  async insertAccessRequest(request: {
    tenantId: string;
    id: string;
    customerId: string;
    email: string;
    createdAt: Date;
  }): Promise<void> {
    await this.db.insertInto('portalAccessRequests').values(request).execute();
  }

  /** The scope's tickets, newest first (tickets_requester_idx). */
  listTickets(scope: PortalScope, limit: number) {
    let query = this.db
      .selectFrom('tickets')
      .select(SUMMARY_COLUMNS)
      .where('tenantId', '=', scope.tenantId)
      .where('requesterId', '=', scope.customerId);
    if (scope.ticketId) query = query.where('id', '=', scope.ticketId);
    return query.orderBy('createdAt', 'desc').limit(limit).execute();
  }

  findTicket(scope: PortalScope, ticketId: string) {
    if (scope.ticketId && scope.ticketId !== ticketId) return Promise.resolve(undefined);
    return this.db
      .selectFrom('tickets')
      .select(SUMMARY_COLUMNS)
      .where('tenantId', '=', scope.tenantId)
      .where('requesterId', '=', scope.customerId)
      .where('id', '=', ticketId)
      .executeTakeFirst();
  }

  /** Public messages only: internal notes never leave this query. */
  listPublicMessages(tenantId: string, ticketId: string) {
    return this.db
      .selectFrom('ticketMessages')
      .select(['id', 'authorType', 'body', 'createdAt'])
      .where('tenantId', '=', tenantId)
      .where('ticketId', '=', ticketId)
      .where('visibility', '=', 'public')
      .orderBy('createdAt', 'asc')
      .orderBy('id', 'asc')
      .execute();
  }
}
