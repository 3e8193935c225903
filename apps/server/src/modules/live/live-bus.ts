import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { LiveEvent, LivePublisher } from './live-events.ts';

export type LiveListener = (event: LiveEvent) => void;

interface BusLogger {
  warn(obj: unknown, msg: string): void;
}

const channelOf = (tenantId: string) => `peakdesk:live:${tenantId}`;

/**
 * Fans live events out to every node's streams: one Redis pub/sub channel per tenant when Redis is
 * configured (every node subscribes to the tenants it has streams for), an in-process emitter otherwise.
 * A node parses each message once and hands the object to its connections, which filter it for their
 * actor. Delivery is at most once: a client that reconnects refetches what it shows.
 */
export class LiveBus implements LivePublisher {
  private readonly local = new EventEmitter();
  private readonly subscriber: Redis | undefined;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly redis: Redis | undefined,
    private readonly log: BusLogger = { warn: () => undefined },
  ) {
    this.local.setMaxListeners(0);
    if (redis) {
      // A subscribed connection can do nothing else; it queues SUBSCRIBE until connected and resubscribes
      // after a reconnect by itself.
      this.subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      this.subscriber.on('error', (err) => this.log.warn({ err }, 'live subscriber error'));
      this.subscriber.on('message', (channel: string, message: string) => {
        let event: LiveEvent;
        try {
          event = JSON.parse(message) as LiveEvent;
        } catch {
          return;
        }
        this.local.emit(channel, event);
      });
    }
  }

  publish(tenantId: string, event: LiveEvent): void {
    const channel = channelOf(tenantId);
    if (this.redis) {
      this.redis
        .publish(channel, JSON.stringify(event))
        .catch((err: unknown) => this.log.warn({ err, tenantId }, 'live publish failed'));
      return;
    }
    // Next tick: a publisher (a request, a commit) never waits for the streams' writes.
    setImmediate(() => this.local.emit(channel, event));
  }

  /** Listens to a tenant's events until the returned function is called. */
  subscribe(tenantId: string, listener: LiveListener): () => void {
    const channel = channelOf(tenantId);
    this.local.on(channel, listener);
    const count = (this.counts.get(channel) ?? 0) + 1;
    this.counts.set(channel, count);
    if (count === 1 && this.subscriber) {
      this.subscriber
        .subscribe(channel)
        .catch((err: unknown) => this.log.warn({ err, tenantId }, 'live subscribe failed'));
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.local.off(channel, listener);
      const left = (this.counts.get(channel) ?? 1) - 1;
      if (left > 0) {
        this.counts.set(channel, left);
        return;
      }
      this.counts.delete(channel);
      this.subscriber
        ?.unsubscribe(channel)
        .catch((err: unknown) => this.log.warn({ err, tenantId }, 'live unsubscribe failed'));
    };
  }

  /** Resolves once the Redis subscription of the tenant is active (tests; in-process it is at once). */
  async ready(): Promise<void> {
    if (!this.subscriber) return;
    if (this.subscriber.status !== 'ready') await new Promise((r) => this.subscriber!.once('ready', r));
    // A PING on a subscribed connection is answered after the SUBSCRIBEs sent before it.
    await this.subscriber.ping();
  }

  close(): void {
    this.local.removeAllListeners();
    this.counts.clear();
    this.subscriber?.disconnect();
  }
}
