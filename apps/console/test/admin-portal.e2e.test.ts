/**
 * Administration and the customer portal in real Chromium against `peakdesk start` (demo tenant): an admin
 * onboards temporary agents from a CSV with a bad row, and a customer on a phone opens a ticket with an
 * order number, sees the agent's answer (never the internal note) and replies.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  CHROMIUM,
  hasChromium,
  screenshots,
  settle,
  signIn,
  startHarness,
  type Harness,
} from './harness.ts';

const ADMIN = 'admin@demo.peakdesk.local';

describe.skipIf(!hasChromium)('administration and customer portal in Chromium', () => {
  let harness: Harness;
  let phone: Browser;

  beforeAll(async () => {
    harness = await startHarness('admin');
    phone = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
  });
  afterAll(async () => {
    await phone?.close();
    await harness?.close();
  });

  it('admin imports agents from CSV: a bad row is reported, the good rows are created with their expiry', async () => {
    const { page, base } = harness;
    const stamp = Date.now().toString(36);
    const csv = [
      'name,email,role,teams,skills,expiresAt',
      `"临时客服 小王, Double 11",${stamp}-wang@agency.example,outsourced_agent,售后服务 After-sales,refund:3;lang:zh:5,2026-12-13`,
      `Li Lei,${stamp}-li@agency.example,outsourced_agent,售前咨询 Pre-sales,shipping_eta:4,2026-12-12T23:59:59+08:00`,
      `坏行 Bad row,${stamp}-bad@agency.example,outsourced_agent,不存在的团队,,2026-12-13`,
    ].join('\n');
    const file = join(tmpdir(), `peakdesk-import-${stamp}.csv`);
    writeFileSync(file, `${csv}\n`);

    await signIn(page, base, ADMIN);
    await page.getByRole('link', { name: '管理后台' }).click();
    await page.getByRole('menuitem', { name: '导入临时客服 (CSV)' }).click();
    await page.locator('input[type="file"]').setInputFiles(file);
    await expect.poll(() => page.getByLabel('CSV 内容').inputValue()).toContain('坏行 Bad row');
    await page
      .getByRole('button', { name: '导 入' })
      .or(page.getByRole('button', { name: '导入' }))
      .click();

    const results = page.getByLabel('导入结果');
    await results.getByText('TEAM_NOT_FOUND').or(results.getByText('VALIDATION_FAILED')).first().waitFor();
    const rows = results.locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.nth(0).textContent()).toContain('已创建');
    expect(await rows.nth(1).textContent()).toContain('已创建');
    expect(await rows.nth(2).textContent()).toContain('错误');
    expect(await rows.nth(2).textContent()).toContain(`${stamp}-bad@agency.example`);
    await settle(page);
    await page.screenshot({ path: join(screenshots, 'admin-import-zh-CN.png'), fullPage: true });

    const call = await apiSession(base, ADMIN);
    const imported = await call('GET', `/api/v1/users?q=${stamp}&limit=50`);
    const emails = (imported.data.items as Array<{ email: string; expiresAt: string }>)
      .map((u) => u.email)
      .sort();
    expect(emails).toEqual([`${stamp}-li@agency.example`, `${stamp}-wang@agency.example`]);

    // The users list shows them with their expiry; deactivate one from there.
    await page.getByRole('menuitem', { name: '用户' }).click();
    await page.getByLabel('搜索姓名或邮箱').fill(stamp);
    await page.getByLabel('搜索姓名或邮箱').press('Enter');
    const wang = page.locator('tr', { hasText: `${stamp}-wang@agency.example` });
    await wang.getByText('2026-12-13').waitFor();
    await wang
      .getByRole('button', { name: '停 用' })
      .or(wang.getByRole('button', { name: '停用' }))
      .click();
    await page.getByRole('button', { name: /确\s?定|OK/ }).click();
    await wang.getByText('已停用').waitFor();
    const after = await call('GET', `/api/v1/users?q=${stamp}-wang&limit=5`);
    expect(after.data.items[0].isActive).toBe(false);
  }, 180_000);

  async function onPhone(): Promise<Page> {
    const context = await phone.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  it('customer opens a ticket with an order number on a phone, then sees the answer and replies', async () => {
    const { base } = harness;
    const page = await onPhone();
    await page.goto(`${base}/portal/demo`);
    await page.getByLabel('您的称呼').fill('陈女士');
    await page.getByLabel('邮箱').first().fill('chen.portal@example.com');
    await page.getByLabel('订单号（选填）').fill('DD20261111888');
    await page.getByLabel('标题').fill('双11买的空气炸锅还没发货');
    await page.getByLabel('问题描述').fill('11月11日零点下的单，到现在还显示待发货，能帮忙催一下吗？');
    await page.screenshot({ path: join(screenshots, 'portal-open-mobile-zh-CN.png'), fullPage: true });
    await page
      .getByRole('button', { name: '提 交' })
      .or(page.getByRole('button', { name: '提交' }))
      .click();

    await page.getByText('我的工单').waitFor();
    const thread = page.getByLabel('对话');
    await thread.getByText('11月11日零点下的单').waitFor();
    await page.getByText('订单 DD20261111888').waitFor();
    // Nothing sticks out sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Support answers publicly, notes something internally and waits on the customer.
    const call = await apiSession(base, ADMIN);
    const found = await call('GET', '/api/v1/tickets?orderNumber=DD20261111888&limit=5');
    expect(found.data.items).toHaveLength(1);
    const ticket = found.data.items[0] as {
      id: string;
      channel: string;
      tags: string[];
      category: string | null;
    };
    expect(ticket).toMatchObject({ channel: 'web', tags: expect.arrayContaining(['portal']) });
    expect(ticket.category).not.toBeNull();
    const answer = '您好，已为您加急，今天内发出，发货后会短信通知单号。';
    for (const [body, visibility] of [
      ['内部：该客户上周也投诉过，注意语气', 'internal'],
      [answer, 'public'],
    ]) {
      expect((await call('POST', `/api/v1/tickets/${ticket.id}/messages`, { body, visibility })).status).toBe(
        201,
      );
    }
    const current = await call('GET', `/api/v1/tickets/${ticket.id}`);
    const pending = await fetch(`${base}/api/v1/tickets/${ticket.id}`, {
      method: 'PATCH',
      headers: {
        ...call.headers,
        'content-type': 'application/json',
        'if-match': `"${current.data.version}"`,
      },
      body: JSON.stringify({ status: 'pending' }),
    });
    expect(pending.status).toBe(200);

    await page.reload();
    await thread.getByText(answer).waitFor();
    await page.getByText('等待您回复').first().waitFor();
    expect(await page.content()).not.toContain('该客户上周也投诉过');

    await page.getByLabel('您的回复').fill('好的，谢谢！');
    await page.getByRole('button', { name: '发送回复' }).click();
    await thread.getByText('好的，谢谢！').waitFor();
    await page.getByText('处理中').first().waitFor();
    await page.screenshot({ path: join(screenshots, 'portal-ticket-mobile-zh-CN.png'), fullPage: true });

    const detail = await call('GET', `/api/v1/tickets/${ticket.id}`);
    expect(detail.data.status).toBe('open');
    expect((detail.data as { messages: object[] }).messages.at(-1)).toMatchObject({
      authorType: 'customer',
      body: '好的，谢谢！',
    });

    // A second ticket from the same phone: both stay in the list (one access token per ticket on this device).
    await page.getByRole('button', { name: '新建工单' }).click();
    await page.getByLabel('您的称呼').fill('陈女士');
    await page.getByLabel('邮箱').first().fill('chen.portal@example.com');
    await page.getByLabel('标题').fill('发票抬头写错了');
    await page.getByLabel('问题描述').fill('能帮我把发票抬头改成公司名称吗？');
    await page
      .getByRole('button', { name: '提 交' })
      .or(page.getByRole('button', { name: '提交' }))
      .click();
    await page.getByText('发票抬头写错了').first().waitFor();
    await page.getByText('双11买的空气炸锅还没发货').first().waitFor();
    expect(await page.locator('.portal-ticket').count()).toBe(2);
    await page.context().close();
  }, 180_000);
});
