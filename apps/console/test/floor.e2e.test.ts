/**
 * The supervisor's floor and the agent's "next ticket" in real Chromium against `peakdesk start` on a fresh
 * database with the demo tenant: a ticket created through the API appears on the open supervisor page
 * without a reload (server-sent events), and an agent takes the next ticket and replies.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  hasChromium,
  screenshots,
  settle,
  signIn,
  startHarness,
  type Harness,
} from './harness.ts';

describe.skipIf(!hasChromium)('floor and next ticket in Chromium', () => {
  let h: Harness;
  let admin: Awaited<ReturnType<typeof apiSession>>;

  beforeAll(async () => {
    h = await startHarness('floor');
    admin = await apiSession(h.base, 'admin@demo.peakdesk.local');
  }, 240_000);
  afterAll(() => h?.close());

  it('supervisor sees a new ticket appear live', async () => {
    const { page, base } = h;
    await signIn(page, base, 'lead@demo.peakdesk.local');
    await page.getByRole('link', { name: '现场看板' }).click();
    await page.getByTestId('arrivals-chart').waitFor();
    await page.getByText('批量改派').waitFor();
    const arrived = page.getByTestId('arrived').locator('.ant-statistic-content-value');
    const before = Number(await arrived.textContent());

    const subject = `直播间秒杀订单少发一件 ${Date.now().toString(36)}`;
    const created = await admin('POST', '/api/v1/tickets', {
      subject,
      body: '我在直播间秒杀的订单 DD20261111777 少发了一件，麻烦尽快补发。',
      channel: 'web',
      customer: { name: '赵敏', email: 'zhao.min@example.com' },
      orderNumber: 'DD20261111777',
    });
    expect(created.status).toBe(201);
    // No reload: the live stream brings the ticket into the list, and the numbers follow.
    await page.getByText(subject).waitFor({ timeout: 10_000 });
    await expect.poll(async () => Number(await arrived.textContent()), { timeout: 15_000 }).toBe(before + 1);
    await settle(page);
    await page.screenshot({ path: join(screenshots, 'console-supervisor-zh-CN.png') });

    // The same page in English, then back to Chinese for the next test (the choice is kept per browser).
    await page.getByRole('combobox', { name: '语言' }).click();
    await page.locator('.ant-select-item-option[title="English"]').click();
    await page.getByText('Bulk reassign').waitFor();
    await page.getByText('Backlog by team').waitFor();
    await settle(page);
    await page.screenshot({ path: join(screenshots, 'console-supervisor-en-US.png') });
    await page.getByRole('combobox', { name: 'Language' }).click();
    await page.locator('.ant-select-item-option[title="中文"]').click();
    await page.getByText('批量改派').waitFor();
  }, 120_000);

  it('an agent signs in, takes the next ticket and replies', async () => {
    const { page, base } = h;
    const agent = await apiSession(base, 'li.na@demo.peakdesk.local');
    // Room for one more, whatever the demo handed her already.
    expect((await admin('PATCH', `/api/v1/users/${agent.userId}`, { capacity: 500 })).status).toBe(200);
    await page.context().clearCookies();
    await signIn(page, base, 'li.na@demo.peakdesk.local');
    await page.getByRole('button', { name: '领取下一个工单' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/tickets\/[0-9a-f-]{36}$/);
    const ticketId = /#\/tickets\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    await page.getByTestId('ticket-subject').waitFor();
    await page.getByTestId('sla-clocks').waitFor();

    // "r" puts the cursor in the reply box.
    await page.locator('body').press('r');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reply-composer');
    const reply = '您好，已为您核实订单，仓库今天补发，请留意物流短信。';
    await page.keyboard.type(reply);
    await page.getByRole('button', { name: '发送回复' }).click();
    await page.locator('.message[data-visibility="public"]', { hasText: reply }).waitFor();

    const detail = await admin('GET', `/api/v1/tickets/${ticketId}`);
    expect(detail.data.assigneeId).toBe(agent.userId);
    expect(detail.data.messages).toContainEqual(
      expect.objectContaining({ body: reply, visibility: 'public', authorType: 'agent' }),
    );
    await settle(page);
    await page.screenshot({ path: join(screenshots, 'console-workspace-next-zh-CN.png') });
  }, 120_000);
});
