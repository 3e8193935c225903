import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { RateLimiter } from '../../lib/rate-limiter.ts';
import { liveTicketOf, ticketEvent, type LivePublisher } from '../live/live-events.ts';
import type { TenantConfigCache } from '../routing/tenant-config.cache.ts';
import { TicketService } from '../tickets/ticket.service.ts';
import { AdmissionController } from './admission.ts';
import { registerAdmission } from './admission.plugin.ts';
import { loadIntakeConfig, type IntakeConfig } from './intake.config.ts';
import type { IntakeRouteOptions } from './intake.routes.ts';
import { IntakeService } from './intake.service.ts';
import { ticketWriter } from './ticket-writer.ts';

export interface IntakeDeps {
  db: Db;
  limiter: RateLimiter;
  config?: IntakeConfig | undefined;
  now?: () => Date;
  /** Routing/SLA configuration cache (kept honest by LISTEN); without it every batch reads the configuration. */
  configCache?: TenantConfigCache | undefined;
  /** Told once per committed batch (per tenant) which tickets it created. */
  live?: LivePublisher | undefined;
}

/**
 * Sets intake up on the root app: admission control for every route (by each route's `priority`), the
 * group-commit service, and draining its queue when the app closes. Returns the options of intakeRoutes.
 */
export function setUpIntake(app: FastifyInstance, deps: IntakeDeps): IntakeRouteOptions {
  const config = deps.config ?? loadIntakeConfig();
  registerAdmission(app, new AdmissionController(config.maxInFlight));
  const now = deps.now ?? (() => new Date());
  const intake = new IntakeService(
    deps.db,
    ticketWriter(new TicketService(deps.db, now, undefined, deps.configCache), deps.db, now),
    {
      ...config,
      now,
      onCommitted: (tenantId, views) =>
        deps.live?.publish(tenantId, ticketEvent('ticket.created', views.map(liveTicketOf), now())),
    },
  );
  // Fastify runs onClose after the listener closed and in-flight requests finished; anything still queued
  // (a request whose socket went away) is committed before the pool closes.
  app.addHook('onClose', () => intake.drain());
  return { intake, limiter: deps.limiter, config };
}
