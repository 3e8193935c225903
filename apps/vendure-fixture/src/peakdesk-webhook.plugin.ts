import { createHmac } from 'node:crypto';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import {
  EventBus,
  Fulfillment,
  HistoryEntryEvent,
  JobQueueService,
  Logger,
  Order,
  PluginCommonModule,
  TransactionalConnection,
  VendurePlugin,
  type JobQueue,
} from '@vendure/core';

/**
 * PeakDesk's Vendure plugin: every order history entry Vendure writes (state, payment, fulfilment and refund
 * transitions, cancellations, notes, coupons) becomes one signed webhook to PeakDesk. Install it in a Vendure
 * server's `plugins` with `PeakDeskWebhookPlugin.init({ url, secret })`.
 *
 * Wire format (what `VendureAdapter.parseWebhook` verifies):
 * - headers `x-peakdesk-event-id`, `x-peakdesk-timestamp` (Unix seconds of this attempt) and
 *   `x-peakdesk-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`;
 * - body `{ id, topic, occurredAt, order: { id, code, state, updatedAt, version }, data }`, where `id` is
 *   `vendure-history-<entry id>` (stable across retries, so the receiver drops duplicates by it) and `version`
 *   is the entry's id: history ids only grow, and the adapter's order version is its newest history entry id.
 *   `data` is the entry's own data; fulfilment transitions add `fulfillment: { id, method, trackingCode }`.
 *
 * Vendure 3.7 leaves `Order.updatedAt` alone on state transitions, payments, fulfilments, refunds and notes (it
 * writes the state with a plain update), so `orders(filter: { updatedAt: { after } })` alone would miss them.
 * The plugin moves `updatedAt` to each entry's time (never backwards), which makes that filter a complete
 * reconciliation feed on servers that run it.
 *
 * Deliveries are Vendure jobs, retried with the job queue's backoff: durable where the server runs the
 * DefaultJobQueuePlugin or BullMQ, in memory otherwise. A delivery counts when the receiver answers 2xx.
 */
export interface PeakDeskWebhookOptions {
  url: string;
  secret: string;
  /** Attempts after the first; default 8. */
  retries?: number;
  /** Per attempt, default 5000 ms. */
  timeoutMs?: number;
}

export interface PeakDeskWebhookBody {
  id: string;
  topic: string;
  occurredAt: string;
  order: { id: string; code: string; state: string; updatedAt: string; version: number };
  data: Record<string, unknown>;
}

interface DeliveryJob {
  eventId: string;
  body: string;
  [key: string]: string;
}

export function signPeakDeskWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** The order history entry a `HistoryEntryEvent` carries (Vendure does not export the entity's type). */
interface OrderHistoryEntryLike {
  id: string | number;
  type: string;
  createdAt: Date;
  data: unknown;
  order?: { id: string | number };
}

const LOG_CONTEXT = 'PeakDeskWebhookPlugin';
export const WEBHOOK_QUEUE = 'peakdesk-webhook';

export class PeakDeskWebhookPlugin implements OnApplicationBootstrap {
  static options: PeakDeskWebhookOptions;
  private queue: JobQueue<DeliveryJob> | undefined;

  static init(options: PeakDeskWebhookOptions): typeof PeakDeskWebhookPlugin {
    PeakDeskWebhookPlugin.options = options;
    return PeakDeskWebhookPlugin;
  }

  constructor(
    private readonly eventBus: EventBus,
    private readonly jobQueueService: JobQueueService,
    private readonly connection: TransactionalConnection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = await this.jobQueueService.createQueue<DeliveryJob>({
      name: WEBHOOK_QUEUE,
      process: (job) => this.deliver(job.data),
    });
    this.queue = queue;
    // ofType() hands events over after their transaction has committed, so the order reads below see them.
    this.eventBus.ofType(HistoryEntryEvent).subscribe((event) => {
      if (event.historyType !== 'order' || event.type !== 'created') return;
      this.enqueue(event).catch((error: unknown) =>
        Logger.error(`could not queue a webhook: ${(error as Error).message}`, LOG_CONTEXT),
      );
    });
  }

  private async enqueue(event: HistoryEntryEvent): Promise<void> {
    const entry = event.entity as unknown as OrderHistoryEntryLike;
    const orderId = entry.order?.id;
    if (orderId === undefined) return;
    // ofType() hands over a copy of the context without its (committed) transaction.
    const order = await this.connection.getRepository(event.ctx, Order).findOne({
      where: { id: orderId },
      select: ['id', 'code', 'state', 'updatedAt'],
    });
    if (!order) return;
    await this.connection.rawConnection
      .createQueryBuilder()
      .update(Order)
      .set({ updatedAt: entry.createdAt })
      .where('id = :id AND updatedAt < :at', { id: orderId, at: entry.createdAt })
      .execute();
    const data = { ...((entry.data ?? {}) as Record<string, unknown>) };
    if (entry.type === 'ORDER_FULFILLMENT_TRANSITION' && data.fulfillmentId !== undefined) {
      const fulfillment = await this.connection
        .getRepository(event.ctx, Fulfillment)
        .findOne({ where: { id: data.fulfillmentId as string | number } });
      if (fulfillment) {
        const { id, method, trackingCode } = fulfillment;
        data.fulfillment = { id: String(id), method, trackingCode: trackingCode || null };
      }
    }
    const body: PeakDeskWebhookBody = {
      id: `vendure-history-${String(entry.id)}`,
      topic: entry.type,
      occurredAt: entry.createdAt.toISOString(),
      order: {
        id: String(order.id),
        code: order.code,
        state: order.state,
        updatedAt: order.updatedAt.toISOString(),
        version: Number.isSafeInteger(Number(entry.id)) ? Number(entry.id) : entry.createdAt.getTime(),
      },
      data,
    };
    await this.queue!.add(
      { eventId: body.id, body: JSON.stringify(body) },
      { retries: PeakDeskWebhookPlugin.options.retries ?? 8 },
    );
  }

  /** One attempt; throwing hands the job back to the queue for the next, later attempt. */
  private async deliver(job: DeliveryJob): Promise<void> {
    const { url, secret, timeoutMs } = PeakDeskWebhookPlugin.options;
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'vendure-peakdesk-webhook/1',
        'x-peakdesk-event-id': job.eventId,
        'x-peakdesk-timestamp': String(timestamp),
        'x-peakdesk-signature': signPeakDeskWebhook(secret, timestamp, job.body),
      },
      body: job.body,
      signal: AbortSignal.timeout(timeoutMs ?? 5000),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`PeakDesk answered ${response.status} for ${job.eventId}`);
  }
}

// Applied as functions rather than decorators: tsx (esbuild) emits no decorator metadata, so the injected
// types are named explicitly, as `emitDecoratorMetadata` would have.
Inject(EventBus)(PeakDeskWebhookPlugin, undefined, 0);
Inject(JobQueueService)(PeakDeskWebhookPlugin, undefined, 1);
Inject(TransactionalConnection)(PeakDeskWebhookPlugin, undefined, 2);
VendurePlugin({ imports: [PluginCommonModule], compatibility: '^3.0.0' })(PeakDeskWebhookPlugin);
