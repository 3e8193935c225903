import { describe, expect, it as vitestIt } from 'vitest';
import type { ShopAdapter } from '../adapter.ts';
import { ShopError } from '../errors.ts';
import type { Order, OrderStatus } from '../types.ts';

/**
 * The behaviour every ShopAdapter must show, run against a real shop (the demo shop here; Vendure later).
 * `getAdapter` is called inside the tests, after the suite's beforeAll has started the shop.
 * `since` is a time before which the shop has orders (used to find fixtures through the adapter itself).
 * What a shop cannot do is checked through its capabilities: it must then refuse with `UNSUPPORTED`.
 */
export function describeShopAdapterContract(
  name: string,
  getAdapter: () => ShopAdapter,
  since: string,
  /** Titles of cases that do not apply to this platform (say why at the call site). */
  options: {
    skip?: readonly string[];
    /** An order that is done and may be refunded: `completed` (default; the demo shop), `delivered` (Vendure). */
    finishedStatus?: OrderStatus;
  } = {},
): void {
  const finishedStatus = options.finishedStatus ?? 'completed';
  const it = (title: string, fn: () => Promise<void>) =>
    (options.skip?.includes(title) ? vitestIt.skip : vitestIt)(title, fn);
  const findOrder = async (accept: (order: Order) => boolean, skip = 0): Promise<Order> => {
    const adapter = getAdapter();
    let cursor: string | undefined;
    let skipped = 0;
    do {
      const page = await adapter.listChangedOrders(since, cursor, 100);
      for (const summary of page.items) {
        const order = await adapter.getOrder({ orderId: summary.externalId });
        if (order && accept(order) && skipped++ >= skip) return order;
      }
      cursor = page.nextCursor;
    } while (cursor);
    throw new Error('no order in the shop fits this test');
  };
  const refundable = (o: Order) =>
    o.status === finishedStatus && o.totals.refunded.amountMinor === 0 && o.afterSales.length === 0;

  describe(`ShopAdapter contract: ${name}`, () => {
    it('declares its capabilities', async () => {
      const capabilities = await getAdapter().capabilities();
      expect(typeof capabilities.sellerInitiatedRefund).toBe('boolean');
      expect(typeof capabilities.piiMasked).toBe('boolean');
      expect(capabilities.currencies.length).toBeGreaterThan(0);
    });

    it('finds the same order by number and by id, with consistent minor-unit money', async () => {
      const order = await findOrder((o) => o.shipments.length > 0 && o.lines.length > 1);
      const byNumber = await getAdapter().getOrder({ orderNumber: order.orderNumber });
      expect(byNumber).toEqual(order);
      const lines = order.lines.reduce((sum, l) => sum + l.total.amountMinor, 0);
      expect(lines + order.totals.shipping.amountMinor).toBe(order.totals.total.amountMinor);
      for (const line of order.lines) {
        expect(Number.isInteger(line.paidUnitPrice.amountMinor)).toBe(true);
        expect(line.paidUnitPrice.amountMinor).toBeLessThanOrEqual(line.listUnitPrice.amountMinor);
      }
      expect(order.rawStatus).not.toBe('');
      expect(order.shipments[0]!.events.length).toBeGreaterThan(0);
    });

    it('answers null for an order that does not exist', async () => {
      expect(await getAdapter().getOrder({ orderNumber: 'NO-SUCH-ORDER-0' })).toBeNull();
    });

    it("finds a customer's orders by phone", async () => {
      const order = await findOrder((o) => !o.customer.phone?.masked);
      const page = await getAdapter().searchOrders({ phone: order.customer.phone!.value });
      expect(page.items.map((s) => s.externalId)).toContain(order.externalId);
      expect(page.items.every((s) => s.customerId === order.customer.externalId)).toBe(true);
    });

    it('tracks a shipment by its tracking number', async () => {
      const order = await findOrder((o) => o.shipments.length > 0);
      const shipment = order.shipments[0]!;
      const tracked = await getAdapter().trackShipment({
        orderId: order.externalId,
        trackingNumber: shipment.trackingNumber,
        carrierCode: shipment.carrierCode,
      });
      expect(tracked.shipment.externalId).toBe(shipment.externalId);
      expect(tracked.events[0]!.kind).toBe('picked_up');
    });

    it('refunds once per idempotency key, even for concurrent retries', async () => {
      const order = await findOrder(refundable, 0);
      const input = {
        orderId: order.externalId,
        amount: { amountMinor: 123, currency: order.currency },
        reason: '价保',
        idempotencyKey: `contract:refund:${order.externalId}`,
      };
      const refunds = await Promise.all(Array.from({ length: 10 }, () => getAdapter().issueRefund(input)));
      expect(new Set(refunds.map((r) => r.externalId)).size).toBe(1);
      expect(refunds[0]!.amount).toEqual(input.amount);
      const after = await getAdapter().getOrder({ orderId: order.externalId });
      expect(after!.totals.refunded.amountMinor).toBe(123);
      expect(after!.version).toBeGreaterThan(order.version);
    });

    it('refuses to refund more than is left, with a non-retryable error', async () => {
      const order = await findOrder(refundable, 1);
      const attempt = getAdapter().issueRefund({
        orderId: order.externalId,
        amount: { amountMinor: order.totals.paid.amountMinor + 1, currency: order.currency },
        reason: 'too much',
        idempotencyKey: `contract:overrefund:${order.externalId}`,
      });
      await expect(attempt).rejects.toMatchObject({ code: 'REJECTED', isRetryable: false });
    });

    it('opens a return once per key and moves it through approval states', async () => {
      const order = await findOrder(refundable, 2);
      if (!(await getAdapter().capabilities()).sellerInitiatedReturn) {
        const refused = getAdapter().createReturn({
          orderId: order.externalId,
          kind: 'return',
          lines: [{ orderLineId: order.lines[0]!.externalId, quantity: 1 }],
          reason: '尺码不合适',
          idempotencyKey: `contract:return:${order.externalId}`,
        });
        await expect(refused).rejects.toMatchObject({ code: 'UNSUPPORTED' });
        return;
      }
      const input = {
        orderId: order.externalId,
        kind: 'return' as const,
        lines: [{ orderLineId: order.lines[0]!.externalId, quantity: 1 }],
        reason: '尺码不合适',
        idempotencyKey: `contract:return:${order.externalId}`,
      };
      const first = await getAdapter().createReturn(input);
      const again = await getAdapter().createReturn(input);
      expect(again.externalId).toBe(first.externalId);
      expect(['approved', 'requested']).toContain(first.status);
      const listed = await getAdapter().listAfterSales(order.externalId);
      expect(listed.map((a) => a.externalId)).toContain(first.externalId);
      const wrong = getAdapter().respondToAfterSale({
        afterSaleId: first.externalId,
        action: 'confirm_received',
        idempotencyKey: `contract:receive:${first.externalId}`,
        expectedStatus: 'return_shipped',
      });
      await expect(wrong).rejects.toBeInstanceOf(ShopError);
    });

    it('grants compensation and adds a note idempotently', async () => {
      const order = await findOrder(refundable, 3);
      const capabilities = await getAdapter().capabilities();
      if (capabilities.points) {
        const grant = {
          customerId: order.customer.externalId,
          kind: 'points' as const,
          points: 200,
          reason: '延误补偿',
          idempotencyKey: `contract:points:${order.externalId}`,
        };
        const [a, b] = await Promise.all([
          getAdapter().issueCompensation(grant),
          getAdapter().issueCompensation(grant),
        ]);
        expect(a.externalId).toBe(b.externalId);
      }
      if (capabilities.orderNotes) {
        const note = {
          orderId: order.externalId,
          body: 'PeakDesk #42',
          visibility: 'internal' as const,
          idempotencyKey: `contract:note:${order.externalId}`,
        };
        const first = await getAdapter().addOrderNote(note);
        expect((await getAdapter().addOrderNote(note)).externalId).toBe(first.externalId);
      }
    });

    it('lists changed orders oldest change first, each once across pages', async () => {
      const seen = new Set<string>();
      let last = '';
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await getAdapter().listChangedOrders(since, cursor, 50);
        for (const item of page.items) {
          expect(seen.has(item.externalId)).toBe(false);
          expect(item.updatedAt >= last).toBe(true);
          seen.add(item.externalId);
          last = item.updatedAt;
        }
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(seen.size).toBeGreaterThan(50);
    });
  });
}
