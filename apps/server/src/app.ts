import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { registerAuthentication } from './http/authenticate.ts';
import { consolePlugin, DEFAULT_CONSOLE_DIR } from './http/console.plugin.ts';
import { registerProblemHandlers } from './http/problem.plugin.ts';
import { createValidatorCompiler } from './http/validation.ts';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './lib/rate-limiter.ts';
import { recordAudit } from './modules/audit/audit.repository.ts';
import { AuthRepository } from './modules/auth/auth.repository.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { AuthService, type CachedAuth } from './modules/auth/auth.service.ts';
import { setUpPrincipalCache } from './modules/auth/principal-cache.plugin.ts';
import type { PrincipalCache } from './modules/auth/principal-cache.ts';
import { TenantConfigCache } from './modules/routing/tenant-config.cache.ts';
import { defaultClassifierModel } from './modules/classifier/classifier.ts';
import { classifierRoutes } from './modules/classifier/classifier.routes.ts';
import { classifierRulesRoutes } from './modules/classifier/classifier-rules.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import type { IntakeConfig } from './modules/intake/intake.config.ts';
import { setUpIntake } from './modules/intake/intake.plugin.ts';
import { intakeRoutes } from './modules/intake/intake.routes.ts';
import { ticketRoutes } from './modules/tickets/ticket.routes.ts';
import { tokenRoutes } from './modules/tokens/token.routes.ts';
import { TokenService } from './modules/tokens/token.service.ts';
import { userRoutes } from './modules/users/user.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { customerRoutes } from './modules/customers/customer.routes.ts';
import { skillRoutes } from './modules/skills/skill.routes.ts';
import { teamRoutes } from './modules/teams/team.routes.ts';
import { routingRoutes } from './modules/routing/routing.routes.ts';
import { slaRoutes } from './modules/sla/sla.routes.ts';
import { assignmentRoutes } from './modules/assignment/assignment.routes.ts';
import type { OrderCache } from './modules/shops/order-cache.ts';
import type { ShopGateway } from './modules/shops/shop-gateway.ts';
import { shopRoutes } from './modules/shops/shop.routes.ts';
import { setUpShops } from './modules/shops/shops.plugin.ts';
import type { EventIngestOptions } from './modules/order-events/order-event.ingest.ts';
import { orderEventRoutes } from './modules/order-events/order-event.routes.ts';
import { setUpOrderEvents } from './modules/order-events/order-events.plugin.ts';
import { returnRoutes } from './modules/aftersales/returns.routes.ts';
import { departmentRoutes } from './modules/tasks/department.routes.ts';
import { taskRoutes } from './modules/tasks/task.routes.ts';
import type { LiveConfig } from './modules/live/live.config.ts';
import { setUpLive } from './modules/live/live.plugin.ts';
import { liveRoutes } from './modules/live/live.routes.ts';
import { supervisorRoutes } from './modules/supervisor/supervisor.routes.ts';
import { queueCountRoutes } from './modules/workspace/queue-counts.routes.ts';
import { payoutRoutes } from './modules/aftersales/payouts.routes.ts';
import { portalRoutes } from './modules/portal/portal.routes.ts';
import { accessRoutes } from './modules/access/access.routes.ts';
import { PortalService, type PortalLimits } from './modules/portal/portal.service.ts';

export interface AppDeps {
  db: Db;
  config: Pick<Config, 'bodyLimitBytes' | 'sessionTtlSeconds' | 'secureCookies' | 'logLevel'>;
  redis?: Redis | undefined;
  /** false in tests; a pino options object or true in production. */
  logger?: boolean | object;
  now?: () => Date;
  /** Sees every route as it is registered (tests walk them all: tenant isolation, bad input). */
  onRoute?: (route: RouteOptions) => void;
  /** Intake tuning (group commit, admission, rate limits); from the environment when absent. */
  intake?: IntakeConfig;
  /** The built web console served at `/` (default apps/console/dist); null serves none. */
  consoleDir?: string | null;
  /** For the auth cache's LISTEN connection; without it every request reads its credential from the database. */
  databaseUrl?: string | undefined;
  /** The auth cache to use (tests look into it); one is made when `databaseUrl` is set. */
  authCache?: PrincipalCache<CachedAuth>;
  /** Intake's routing/SLA configuration cache (fed by the same LISTEN); one is made when `databaseUrl` is set. */
  configCache?: TenantConfigCache;
  /** Shop calls (breaker per connection); the process's shared gateway when absent. */
  shopGateway?: ShopGateway;
  /** The order cache; in process (and in Redis with `redis`) when absent. */
  orderCache?: OrderCache;
  /** Order-event ingestion: group-commit bounds, how long a webhook's connection is cached (ms). */
  orderEvents?: { options?: EventIngestOptions; connectionTtlMs?: number };
  /** The customer portal's rate limits (tests lower them); defaults in portal.service.ts. */
  portalLimits?: PortalLimits;
  /** Bounds of the live event streams; from the environment when absent. */
  live?: LiveConfig;
}

/** Builds the PeakDesk HTTP application without listening, so tests drive it through `app.inject()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: true,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(createValidatorCompiler());
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  registerProblemHandlers(app);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PeakDesk API',
        version: '1',
        description:
          'Help desk for e-commerce sale peaks. Errors are RFC 9457 problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token: pdk_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'peakdesk_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  // The docs page is public like the document it shows.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());

  const now = deps.now ?? (() => new Date());
  const limiter: RateLimiter = deps.redis ? new RedisRateLimiter(deps.redis) : new MemoryRateLimiter();
  const audit = (entry: Parameters<typeof recordAudit>[1]) => recordAudit(deps.db, entry);
  const configCache = deps.databaseUrl ? (deps.configCache ?? new TenantConfigCache()) : undefined;
  const auth = new AuthService(
    new AuthRepository(deps.db),
    limiter,
    audit,
    deps.config.sessionTtlSeconds,
    now,
    await setUpPrincipalCache(app, deps.databaseUrl, deps.authCache, configCache),
  );
  registerAuthentication(app, auth);
  const live = setUpLive(app, { redis: deps.redis, config: deps.live });
  const intake = setUpIntake(app, {
    db: deps.db,
    limiter,
    config: deps.intake,
    now,
    configCache,
    live: live.bus,
  });

  const shops = setUpShops(app, {
    db: deps.db,
    redis: deps.redis,
    now,
    gateway: deps.shopGateway,
    cache: deps.orderCache,
  });
  const orderEvents = setUpOrderEvents(app, { db: deps.db, now, ...deps.orderEvents });

  await app.register(healthRoutes, { db: deps.db });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { auth, secureCookies: deps.config.secureCookies });
      await api.register(tokenRoutes, { tokens: new TokenService(deps.db) });
      await api.register(intakeRoutes, intake);
      await api.register(classifierRoutes, { model: defaultClassifierModel(), db: deps.db, configCache });
      await api.register(classifierRulesRoutes, { db: deps.db, now });
      await api.register(ticketRoutes, { db: deps.db, now });
      await api.register(userRoutes, { db: deps.db, now });
      await api.register(customerRoutes, { db: deps.db, now });
      await api.register(auditRoutes, { db: deps.db });
      await api.register(teamRoutes, { db: deps.db, now });
      await api.register(skillRoutes, { db: deps.db, now });
      await api.register(routingRoutes, { db: deps.db, now });
      await api.register(slaRoutes, { db: deps.db, now });
      await api.register(assignmentRoutes, { db: deps.db, now });
      await api.register(shopRoutes, shops);
      await api.register(orderEventRoutes, orderEvents);
      await api.register(returnRoutes, { db: deps.db, lookup: shops.lookup, gateway: shops.gateway, now });
      await api.register(departmentRoutes, { db: deps.db, now });
      await api.register(taskRoutes, { db: deps.db, now });
      await api.register(accessRoutes);
      await api.register(portalRoutes, {
        portal: new PortalService(deps.db, intake.intake, limiter, now, deps.portalLimits),
      });
      await api.register(liveRoutes, live);
      await api.register(supervisorRoutes, { db: deps.db, now });
      await api.register(queueCountRoutes, { db: deps.db, now });
      await api.register(payoutRoutes, { db: deps.db, gateway: shops.gateway, now });
    },
    { prefix: '/api/v1' },
  );
  const consoleDir = deps.consoleDir === undefined ? DEFAULT_CONSOLE_DIR : deps.consoleDir;
  if (consoleDir) await app.register(consolePlugin, { dir: consoleDir });
  return app;
}
