import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { AppError, ERRORS, type ErrorCode, type ProblemDocument } from '../../errors.ts';
import { isDatabaseUnavailable } from '../../http/problem.plugin.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { RateLimiter } from '../../lib/rate-limiter.ts';
import { hashSecret, randomSecret } from '../../lib/secrets.ts';
import type { Actor } from '../access/permissions.ts';
import { normaliseEmail, normalisePhone } from '../customers/customer-identity.ts';
import { QueueOverloadedError } from '../intake/group-commit.ts';
import type { IntakeService } from '../intake/intake.service.ts';
import { MessageService } from '../tickets/message.service.ts';
import { formatPortalToken, linkExpiry, parsePortalToken } from './portal-link.ts';
import { PortalRepository, type PortalScope } from './portal.repository.ts';

/** Per tenant, fixed windows: a form anyone can post to must not become a way to flood the queues. */
export interface PortalLimits {
  ticketsPerIp: number;
  ticketsPerContact: number;
  linkRequestsPerEmail: number;
  windowSeconds: number;
}

export const DEFAULT_PORTAL_LIMITS: PortalLimits = {
  ticketsPerIp: 20,
  ticketsPerContact: 5,
  linkRequestsPerEmail: 3,
  windowSeconds: 3600,
};

export interface OpenTicketInput {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  subject: string;
  body: string;
  orderNumber?: string | undefined;
}

export interface PortalSession extends PortalScope {
  linkId: string;
  expiresAt: Date;
}

/**
 * The customer side of the help desk. A customer has no account: opening a ticket hands out a link to that
 * ticket, and a link to all their tickets goes to their email (recorded for a mailer). New tickets go through
 * intake like any other channel's (classified, routed, SLA); replies go through the customer-message path.
 */
export class PortalService {
  private readonly repo: PortalRepository;

  constructor(
    private readonly db: Db,
    private readonly intake: IntakeService,
    private readonly limiter: RateLimiter,
    private readonly now: () => Date,
    private readonly limits: PortalLimits = DEFAULT_PORTAL_LIMITS,
  ) {
    this.repo = new PortalRepository(db);
  }

  async openTicket(tenantSlug: string, ip: string, input: OpenTicketInput) {
    const tenant = await this.tenantOf(tenantSlug);
    const email = input.email ? normaliseEmail(input.email) : undefined;
    const phone = input.phone ? normalisePhone(input.phone) : undefined;
    if (!email && !phone) {
      throw new AppError('VALIDATION_FAILED', 'Give an email address or a phone number', {
        extra: { field: 'email' },
      });
    }
    const { windowSeconds } = this.limits;
    await this.limit(`portal:${tenant.id}:ip:${ip}`, this.limits.ticketsPerIp, windowSeconds);
    await this.limit(
      `portal:${tenant.id}:contact:${email ?? phone}`,
      this.limits.ticketsPerContact,
      windowSeconds,
    );

    const linkId = uuidv7();
    const outcome = await this.submit(portalActor(tenant.id, linkId), {
      channel: 'web',
      subject: input.subject,
      body: input.body,
      orderNumber: input.orderNumber?.trim() || null,
      customer: { name: input.name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
      tags: ['portal'],
    });
    const created = outcome as { id: string; requesterId: string };
    const now = this.now();
    const secret = randomSecret();
    const expiresAt = linkExpiry(now, 'ticket');
    // After intake's commit: should this insert fail, the ticket stands and a link can be asked for by email.
    await this.repo.insertLink({
      tenantId: tenant.id,
      id: linkId,
      customerId: created.requesterId,
      ticketId: created.id,
      secretHash: hashSecret(secret),
      expiresAt,
      createdAt: now,
    });
    const scope = { tenantId: tenant.id, customerId: created.requesterId, ticketId: created.id };
    return {
      accessToken: formatPortalToken({ tenantId: tenant.id, linkId, secret }),
      expiresAt,
      ticket: await this.getTicket(scope, created.id),
    };
  }

  /**
   * Records a "send me a link to my tickets" request for the customer with this email. The answer is the
   * same whether or not the email is known, so the form cannot be used to learn who is a customer.
   */
  async requestAccessLink(tenantSlug: string, ip: string, rawEmail: string): Promise<void> {
    const tenant = await this.tenantOf(tenantSlug);
    const email = normaliseEmail(rawEmail);
    const { windowSeconds } = this.limits;
    await this.limit(`portal:${tenant.id}:ip:${ip}`, this.limits.ticketsPerIp, windowSeconds);
    await this.limit(`portal:${tenant.id}:link:${email}`, this.limits.linkRequestsPerEmail, windowSeconds);
    const customer = await this.repo.findCustomerByEmail(tenant.id, email);
    if (!customer) return;
    await this.repo.insertAccessRequest({
      tenantId: tenant.id,
      id: uuidv7(),
      customerId: customer.id,
      email,
      createdAt: this.now(),
    });
  }

  /** The link behind a token; 401 PORTAL_LINK_INVALID or PORTAL_LINK_EXPIRED otherwise. */
  async authenticate(tokenText: string | undefined): Promise<PortalSession> {
    const token = parsePortalToken(tokenText);
    const link = token ? await this.repo.findLink(token.tenantId, token.linkId) : undefined;
    if (!token || !link || !sameSecret(hashSecret(token.secret), link.secretHash)) {
      throw new AppError('PORTAL_LINK_INVALID');
    }
    if (link.expiresAt.getTime() <= this.now().getTime()) throw new AppError('PORTAL_LINK_EXPIRED');
    return {
      tenantId: link.tenantId,
      customerId: link.customerId,
      ticketId: link.ticketId,
      linkId: link.id,
      expiresAt: link.expiresAt,
    };
  }

  /** For routes about one ticket: without a valid link there is nothing to find (404, as for a stranger). */
  async authenticateForTicket(tokenText: string | undefined): Promise<PortalSession> {
    try {
      return await this.authenticate(tokenText);
    } catch (error) {
      if (error instanceof AppError && error.status === 401) throw new AppError('TICKET_NOT_FOUND');
      throw error;
    }
  }

  async describeSession(session: PortalSession) {
    const [tenant, customer] = await Promise.all([
      this.repo.findTenant(session.tenantId),
      this.repo.findCustomer(session.tenantId, session.customerId),
    ]);
    if (!tenant || !customer) throw new AppError('PORTAL_LINK_INVALID');
    await this.repo.touchLink(session.tenantId, session.linkId, this.now());
    return {
      tenant: { slug: tenant.slug, name: tenant.name },
      customer: { name: customer.name },
      scope: session.ticketId ? ('ticket' as const) : ('customer' as const),
      ticketId: session.ticketId,
      expiresAt: session.expiresAt,
    };
  }

  listTickets(scope: PortalScope) {
    return this.repo.listTickets(scope, 100);
  }

  async getTicket(scope: PortalScope, ticketId: string) {
    const ticket = await this.repo.findTicket(scope, ticketId);
    if (!ticket) throw new AppError('TICKET_NOT_FOUND');
    const messages = await this.repo.listPublicMessages(scope.tenantId, ticketId);
    return { ...ticket, messages };
  }

  /** The customer answers: a customer message, which reopens a pending or solved ticket (409 when closed). */
  async reply(session: PortalSession, ticketId: string, body: string) {
    if (!(await this.repo.findTicket(session, ticketId))) throw new AppError('TICKET_NOT_FOUND');
    const { message } = await new MessageService(this.db, this.now).addFromCustomer(
      portalActor(session.tenantId, session.linkId),
      ticketId,
      { body },
    );
    return {
      id: message.id,
      authorType: message.authorType,
      body: message.body,
      createdAt: message.createdAt,
    };
  }

  private async tenantOf(slug: string) {
    const tenant = await this.repo.findTenantBySlug(slug);
    if (!tenant) throw new AppError('TENANT_NOT_FOUND');
    return tenant;
  }

  private async limit(key: string, limit: number, windowSeconds: number): Promise<void> {
    const result = await this.limiter.hit(key, limit, windowSeconds);
    if (!result.allowed) {
      throw new AppError('RATE_LIMITED', 'Too many requests from here; try again later', {
        retryAfter: result.retryAfterSeconds,
      });
    }
  }

  /** Intake's answer for a new ticket, or its problem thrown as an AppError. */
  private async submit(actor: Actor, input: Parameters<IntakeService['submit']>[1]): Promise<unknown> {
    let outcome;
    try {
      outcome = await this.intake.submit(actor, input, null);
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof QueueOverloadedError)
        throw new AppError('OVERLOADED', undefined, { retryAfter: 1 });
      if (isDatabaseUnavailable(error)) throw new AppError('UNAVAILABLE', undefined, { retryAfter: 2 });
      throw error;
    }
    if (outcome.status < 400) return outcome.body;
    const problem = outcome.body as ProblemDocument;
    const code: ErrorCode = problem.code in ERRORS ? problem.code : 'VALIDATION_FAILED';
    const { type: _t, title: _ti, status: _s, code: _c, detail, instance: _i, ...extra } = problem;
    throw new AppError(code, detail, { extra });
  }
}

/**
 * Intake and the message service act for someone: the portal acts as a narrow integration-like principal
 * whose id is the portal link, so history names the link the customer used ("token" actor type).
 */
export function portalActor(tenantId: string, linkId: string): Actor {
  return {
    tenantId,
    kind: 'token',
    id: linkId,
    userId: null,
    role: 'integration',
    department: null,
    teamIds: [],
  };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
