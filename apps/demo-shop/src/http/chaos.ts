import type { FastifyInstance } from 'fastify';
import { ShopApiError } from '../errors.ts';

/** Resilience switches applied to the shop API, so PeakDesk's timeouts and circuit breaker can be tested. */
export interface ChaosSettings {
  latencyMs: number;
  latencyJitterMs: number;
  /** Share of requests answered 503. */
  failureRate: number;
  /** Share of requests held without an answer until the connection is dropped. */
  timeoutRate: number;
}

export const NO_CHAOS: ChaosSettings = { latencyMs: 0, latencyJitterMs: 0, failureRate: 0, timeoutRate: 0 };

export class Chaos {
  settings: ChaosSettings = { ...NO_CHAOS };
  private readonly held = new Map<NodeJS.Timeout, () => void>();

  constructor(
    private readonly hangMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Applies to `/api/*` only: health and admin switches must keep working while the API misbehaves. */
  register(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/api/')) return;
      const { latencyMs, latencyJitterMs, failureRate, timeoutRate } = this.settings;
      const delay = latencyMs + (latencyJitterMs > 0 ? Math.round(this.random() * latencyJitterMs) : 0);
      if (delay > 0) await this.wait(delay);
      if (timeoutRate > 0 && this.random() < timeoutRate) {
        await this.wait(this.hangMs);
        reply.raw.destroy();
        return reply;
      }
      if (failureRate > 0 && this.random() < failureRate) {
        throw new ShopApiError('CHAOS_FAILURE', 'the shop is failing on purpose (chaos switch)');
      }
    });
    app.addHook('onClose', async () => {
      // Release held requests at once (they then drop their connection) so that closing never waits on them.
      for (const [timer, release] of this.held) {
        clearTimeout(timer);
        release();
      }
      this.held.clear();
    });
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.held.delete(timer);
        resolve();
      }, ms);
      this.held.set(timer, resolve);
    });
  }
}
