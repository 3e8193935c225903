import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { LiveBus } from './live-bus.ts';
import { loadLiveConfig, type LiveConfig } from './live.config.ts';
import type { LivePublisher } from './live-events.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Publishes live events after a commit (see modules/live); every route plugin inherits it. */
    live: LivePublisher;
  }
}

/**
 * Makes the app's live bus (Redis pub/sub across nodes with `redis`, in-process otherwise), decorates the
 * app with it as `app.live` for the routes that change tickets, and closes it after the app. Returns the
 * options of liveRoutes.
 */
export function setUpLive(
  app: FastifyInstance,
  deps: { redis?: Redis | undefined; config?: LiveConfig | undefined; bus?: LiveBus | undefined },
): { bus: LiveBus; config: LiveConfig } {
  const bus = deps.bus ?? new LiveBus(deps.redis, app.log);
  app.decorate('live', bus);
  app.addHook('onClose', () => bus.close());
  return { bus, config: deps.config ?? loadLiveConfig() };
}
