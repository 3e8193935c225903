/**
 * The order panel and a return in real Chromium against `peakdesk start` on a fresh database (demo tenant, the
 * demo shop beside it): an agent opens a demo ticket with a real demo-shop order, reads its lines and the
 * tracking of its shipment, opens a return for one unit of one line, and sees it on the ticket, approved.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  freePort,
  hasChromium,
  screenshots,
  settle,
  signIn,
  startHarness,
  type Harness,
} from './harness.ts';

interface Line {
  externalId: string;
  title: string;
  quantity: number;
  refundedQuantity: number;
}
interface Panel {
  state: string;
  order: {
    orderNumber: string;
    totals: { paid: { amountMinor: number } };
    lines: Line[];
    shipments: { trackingNumber: string; events: unknown[] }[];
  } | null;
}

describe.skipIf(!hasChromium)('order panel and returns in Chromium', () => {
  let h: Harness;
  let admin: Awaited<ReturnType<typeof apiSession>>;

  beforeAll(async () => {
    // A free port for the demo shop, so this test never collides with another server's shop on 3100.
    process.env.PEAKDESK_DEMO_SHOP_PORT = String(await freePort());
    h = await startHarness('returns');
    admin = await apiSession(h.base, 'admin@demo.peakdesk.local');
  }, 240_000);
  afterAll(() => h?.close());

  it('agent reads the order and its tracking, opens a return for one line and sees it on the ticket', async () => {
    const { page, base } = h;
    // Demo tickets are pointed at real demo-shop orders in the background once the shop answers.
    let found: { id: string; panel: Panel; line: Line } | undefined;
    await expect
      .poll(
        async () => {
          const tickets: { id: string; orderNumber: string | null }[] = [];
          let cursor: string | null = null;
          do {
            const page = await admin('GET', `/api/v1/tickets?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
            tickets.push(...(page.data.items as { id: string; orderNumber: string | null }[]));
            cursor = page.data.nextCursor as string | null;
          } while (cursor && tickets.length < 1000);
          for (const ticket of tickets) {
            if (!ticket.orderNumber?.startsWith('DS')) continue;
            const panel = (await admin('GET', `/api/v1/tickets/${ticket.id}/order`)).data as Panel;
            const order = panel.order;
            const line = order?.lines.find((l) => l.quantity - l.refundedQuantity > 0);
            const tracked = order?.shipments.some((s) => s.events.length > 0);
            if (panel.state === 'ok' && order && order.totals.paid.amountMinor > 0 && line && tracked) {
              const returns = await admin('GET', `/api/v1/tickets/${ticket.id}/returns`);
              if (returns.data.allowed.return && returns.data.items.length === 0) {
                found = { id: ticket.id, panel, line };
                return true;
              }
            }
          }
          return false;
        },
        { timeout: 90_000, interval: 2_000 },
      )
      .toBe(true);
    const { id, panel, line } = found!;
    const order = panel.order!;
    const shipment = order.shipments.find((s) => s.events.length > 0)!;

    await signIn(page, base, 'li.na@demo.peakdesk.local');
    await page.goto(`${base}/#/tickets/${id}`);
    const orderPanel = page.getByTestId('order-panel');
    await orderPanel.getByTestId('order-number').getByText(order.orderNumber).waitFor();
    await orderPanel.getByTestId('order-lines').getByText(line.title).first().waitFor();
    const tracking = orderPanel.getByTestId('order-shipment').filter({ hasText: shipment.trackingNumber });
    await tracking.waitFor();
    // The newest scans first; all of them on demand.
    expect(await tracking.locator('.ant-timeline-item').count()).toBe(Math.min(3, shipment.events.length));
    if (shipment.events.length > 3) {
      await tracking.getByRole('button', { name: `全部 ${shipment.events.length} 条轨迹` }).click();
      expect(await tracking.locator('.ant-timeline-item').count()).toBe(shipment.events.length);
      await tracking.getByRole('button', { name: /收\s?起/ }).click();
    }

    const returns = orderPanel.getByTestId('returns-panel');
    await returns.getByRole('button', { name: /^退\s?货$/ }).click();
    const dialog = page.locator('.ant-modal');
    await dialog.getByLabel(`${line.title} 的数量`).fill('1');
    await dialog.getByTestId('return-submit').click();
    await returns.getByTestId('return-item').getByTestId('return-status').getByText('已同意').waitFor();

    const after = await admin('GET', `/api/v1/tickets/${id}/returns`);
    expect(after.data.items).toHaveLength(1);
    expect(after.data.items[0]).toMatchObject({
      kind: 'return',
      status: 'approved',
      lines: [{ lineId: line.externalId, quantity: 1 }],
    });
    await settle(page);
    await page.screenshot({ path: join(screenshots, 'console-order-return-zh-CN.png') });
  }, 180_000);
});
