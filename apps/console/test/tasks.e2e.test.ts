/**
 * Department tasks in real Chromium against `peakdesk start` on a fresh database with the demo tenant: an agent
 * asks the warehouse from a pending ticket and writes in the task's thread; the warehouse collaborator finds it
 * in the Tasks page, claims it, answers and finishes it; the ticket is open again for the agent (the demo
 * warehouse reopens a ticket when its last task closes).
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

describe.skipIf(!hasChromium)('department tasks in Chromium', () => {
  let h: Harness;
  let admin: Awaited<ReturnType<typeof apiSession>>;

  beforeAll(async () => {
    h = await startHarness('tasks');
    admin = await apiSession(h.base, 'admin@demo.peakdesk.local');
  }, 240_000);
  afterAll(() => h?.close());

  it('agent asks the warehouse, the warehouse answers and finishes, the ticket comes back', async () => {
    const { page, base } = h;
    // A pending demo ticket without tasks of its own.
    const pending = await admin('GET', '/api/v1/tickets?status=pending&limit=20');
    let ticket: { id: string; subject: string } | undefined;
    for (const candidate of pending.data.items as Array<{ id: string; subject: string }>) {
      const tasks = await admin('GET', `/api/v1/tickets/${candidate.id}/tasks`);
      if ((tasks.data.items as unknown[]).length === 0) {
        ticket = candidate;
        break;
      }
    }
    expect(ticket).toBeDefined();
    const title = `核对包裹重量 ${Date.now().toString(36)}`;
    const question = '顾客说包裹只有 2 公斤，面单写 5 公斤，请称重拍照';
    const answer = '已称重 2.1 公斤，照片已上传';

    await signIn(page, base, 'li.na@demo.peakdesk.local');
    await page.goto(`${base}/#/tickets/${ticket!.id}`);
    const panel = page.getByTestId('ticket-tasks');
    await panel.waitFor();
    await panel.getByRole('button', { name: '发起任务' }).click();
    await page.locator('.ant-modal .ant-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '仓库' }).click();
    await page.getByLabel('任务', { exact: true }).fill(title);
    await page.getByRole('button', { name: '创建任务' }).click();
    await panel.getByText(title).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByLabel('给部门 / 客服留言').fill(question);
    await drawer.getByRole('button', { name: '发 送' }).click();
    await drawer.locator('.ant-list').getByText(question).waitFor();
    // The agent is not in the warehouse: it may cancel the task but neither claim nor finish it.
    expect(await drawer.getByRole('button', { name: '标记完成' }).count()).toBe(0);
    await settle(page);
    await page.screenshot({ path: join(screenshots, 'console-ticket-tasks-zh-CN.png') });

    await page.context().clearCookies();
    await signIn(page, base, 'warehouse@demo.peakdesk.local');
    await page.getByRole('link', { name: '部门任务' }).click();
    await page.getByText(title).click();
    await drawer.locator('.ant-list').getByText(question).waitFor();
    await drawer.getByRole('button', { name: '认 领' }).click();
    await drawer.getByText('我', { exact: true }).waitFor();
    await drawer.getByLabel('给部门 / 客服留言').fill(answer);
    await drawer.getByRole('button', { name: '发 送' }).click();
    await drawer.locator('.ant-list').getByText(answer).waitFor();
    await drawer.getByRole('button', { name: '标记完成' }).click();
    await drawer.getByText('已完成').waitFor();

    const after = await admin('GET', `/api/v1/tickets/${ticket!.id}`);
    expect(after.data.status).toBe('open');
    const notes = (after.data.messages as Array<{ authorType: string; body: string }>).filter(
      (m) => m.authorType === 'system',
    );
    expect(notes.at(-1)?.body).toContain(title);
  }, 180_000);
});
