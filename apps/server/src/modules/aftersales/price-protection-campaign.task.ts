import type { Order } from '@peakdesk/commerce';
import type { Kysely, Selectable } from 'kysely';
import type { Database, PriceProtectionCampaignsTable } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import type { JobContext } from '../../jobs/task.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findConnection, type ShopConnection } from '../shops/shop-connection.repository.ts';
import { defaultShopGateway } from '../shops/shop-gateway.ts';
import { loadAftersalesSettings, type AftersalesSettings } from './aftersales-settings.ts';
import { insertApproval } from './approval.repository.ts';
import { PayoutService } from './payout.service.ts';
import { calculateOrder, plannedPayouts } from './price-protection.service.ts';
import {
  PRICE_PROTECTION_CATEGORY,
  processPriceProtectionTicket,
  type PriceProtectionDeps,
} from './price-protection.task.ts';

type Db = Kysely<Database>;
type Campaign = Selectable<PriceProtectionCampaignsTable>;
const DAY_MS = 86_400_000;

export const CAMPAIGN_TASK = 'aftersales.price-protection-campaign';
/** Orders handled per job run; the job enqueues its continuation, so a crash loses at most one order's work. */
export const CAMPAIGN_BATCH = 25;
/** An item listed but not handled yet. */
const QUEUED = 'queued';

interface Candidate {
  orderNumber: string;
  ticketId: string | null;
}

export async function startCampaign(
  db: Db,
  actor: Actor,
  input: { connectionId: string; skus: string[]; since: string; scope: 'requested' | 'all_affected' },
  now: Date,
): Promise<Campaign> {
  const connection = await findConnection(db, actor.tenantId, input.connectionId);
  if (!connection) throw new AppError('SHOP_NOT_FOUND');
  return db.transaction().execute(async (tx) => {
    const campaign = await tx
      .insertInto('priceProtectionCampaigns')
      .values({
        tenantId: actor.tenantId,
        id: uuidv7(now.getTime()),
        connectionId: connection.id,
        skus: [...new Set(input.skus)],
        since: new Date(input.since),
        scope: input.scope,
        total: null,
        error: null,
        createdBy: actor.userId,
        createdAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await enqueueJob(
      tx,
      CAMPAIGN_TASK,
      { tenantId: actor.tenantId, campaignId: campaign.id },
      { maxAttempts: 10 },
    );
    await recordAudit(tx, {
      tenantId: actor.tenantId,
      actor,
      action: 'price_protection.campaign_started',
      targetType: 'price_protection_campaign',
      targetId: campaign.id,
      details: { skus: campaign.skus, scope: campaign.scope, since: input.since },
    });
    return campaign;
  });
}

/**
 * One run of a campaign. The first lists the affected orders (tickets that asked, or every order of the SKUs
 * paid within the window through the adapter's change feed) as queued items; each run handles at most `batch`
 * queued items — each settled with its counters in one transaction as it completes — and says whether more
 * remain. A crash mid-run resumes from the queue; payouts meet their ledger keys, so nothing pays twice.
 */
export async function runCampaign(
  deps: PriceProtectionDeps,
  tenantId: string,
  campaignId: string,
  batch = CAMPAIGN_BATCH,
): Promise<'done' | 'more'> {
  const { db } = deps;
  const campaign = await db
    .selectFrom('priceProtectionCampaigns')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!campaign || campaign.status !== 'running') return 'done';
  const connection = await findConnection(db, tenantId, campaign.connectionId);
  const settings = await loadAftersalesSettings(db, tenantId);
  if (!connection || connection.status !== 'active') {
    await finish(db, campaign, deps.now(), 'failed', 'the shop connection is gone or disabled');
    return 'done';
  }
  if (campaign.total === null) {
    // Listed once, as queued items: later runs read the queue instead of walking the shop's feed again.
    const candidates = await listCandidates(deps, connection, campaign, settings);
    const listedAt = deps.now();
    for (let i = 0; i < candidates.length; i += 500) {
      await db
        .insertInto('priceProtectionCampaignItems')
        .values(
          candidates.slice(i, i + 500).map((c) => ({
            tenantId,
            campaignId,
            orderId: c.orderNumber,
            orderNumber: c.orderNumber,
            ticketId: c.ticketId,
            outcome: QUEUED,
            payable: 0,
            currency: null,
            error: null,
            completedAt: listedAt,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await db
      .updateTable('priceProtectionCampaigns')
      .set({ total: candidates.length })
      .where('tenantId', '=', tenantId)
      .where('id', '=', campaignId)
      .where('total', 'is', null)
      .execute();
  }
  const todo = await db
    .selectFrom('priceProtectionCampaignItems')
    .select(['orderNumber', 'ticketId'])
    .where('tenantId', '=', tenantId)
    .where('campaignId', '=', campaignId)
    .where('outcome', '=', QUEUED)
    .orderBy('orderNumber')
    .limit(batch + 1)
    .execute();
  for (const candidate of todo.slice(0, batch)) {
    const item = await handleCandidate(deps, connection, campaign, settings, candidate).catch(
      (error: unknown) => ({
        orderId: candidate.orderNumber,
        outcome: 'failed',
        payable: 0,
        currency: null,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    await recordItem(db, campaign, candidate, item, deps.now());
  }
  if (todo.length > batch) return 'more';
  await finish(db, campaign, deps.now(), 'done', null);
  return 'done';
}

interface ItemResult {
  orderId: string;
  outcome: string;
  payable: number;
  currency: string | null;
  error: string | null;
}

async function handleCandidate(
  deps: PriceProtectionDeps,
  connection: ShopConnection,
  campaign: Campaign,
  settings: AftersalesSettings,
  candidate: Candidate,
): Promise<ItemResult> {
  const order = await deps.gateway.call(connection, (a) =>
    a.getOrder({ orderNumber: candidate.orderNumber }),
  );
  if (!order)
    return {
      orderId: candidate.orderNumber,
      outcome: 'order_not_found',
      payable: 0,
      currency: null,
      error: null,
    };
  if (!order.lines.some((l) => campaign.skus.includes(l.sku))) {
    // A ticket that asked about another product: not this campaign's to settle.
    return {
      orderId: order.externalId,
      outcome: 'not_affected',
      payable: 0,
      currency: order.currency,
      error: null,
    };
  }
  if (candidate.ticketId) {
    // A ticket answered before this price drop (paid, or nothing to pay then) is calculated again: only the
    // further difference is payable, under new keys for the new price point.
    const outcome = await processPriceProtectionTicket(deps, campaign.tenantId, candidate.ticketId, {
      revisit: true,
    });
    const check = await deps.db
      .selectFrom('priceProtectionChecks')
      .select(['payable', 'currency', 'outcome'])
      .where('tenantId', '=', campaign.tenantId)
      .where('ticketId', '=', candidate.ticketId)
      .executeTakeFirst();
    return {
      orderId: order.externalId,
      outcome: check?.outcome ?? outcome,
      payable: Number(check?.payable ?? 0),
      currency: check?.currency ?? null,
      error: null,
    };
  }
  if (!isAffected(order, campaign, settings)) {
    return {
      orderId: order.externalId,
      outcome: 'not_affected',
      payable: 0,
      currency: order.currency,
      error: null,
    };
  }
  const now = deps.now();
  const calculation = await calculateOrder(deps, connection, order, settings, now, campaign.skus);
  const base = {
    orderId: order.externalId,
    payable: calculation.payable,
    currency: calculation.currency,
    error: null,
  };
  if (calculation.mode !== 'calculated') return { ...base, outcome: calculation.mode };
  const planned = plannedPayouts(calculation, settings, order, connection.id, null);
  if (planned.length === 0) return { ...base, outcome: 'nothing_payable' };
  if (calculation.payable > calculation.autoPayLimit) {
    await insertApproval(
      deps.db,
      {
        tenantId: campaign.tenantId,
        kind: 'price_protection',
        ticketId: null,
        teamId: null,
        requestedBy: null,
        amount: calculation.payable,
        currency: calculation.currency,
        reason: `价保 price protection ${order.orderNumber} (campaign ${campaign.id})`,
        payload: { payouts: planned, orderNumber: order.orderNumber },
      },
      now,
    );
    return { ...base, outcome: 'awaiting_approval' };
  }
  const payouts = new PayoutService(deps.db, deps.gateway, deps.now);
  const rows = [];
  for (const payout of planned) {
    rows.push(
      await payouts.pay({ ...payout, tenantId: campaign.tenantId, actorType: 'system', actorId: null }),
    );
  }
  const outcome = rows.every((r) => r.status === 'succeeded')
    ? 'paid'
    : rows.some((r) => r.status === 'failed')
      ? 'payout_failed'
      : 'payout_pending';
  return { ...base, outcome };
}

/** Paid, holding a campaign SKU, and the campaign's price drop falls inside its protection window (pure). */
function isAffected(order: Order, campaign: Campaign, settings: AftersalesSettings): boolean {
  if (!order.paidAt || order.status === 'cancelled' || order.status === 'closed') return false;
  if (!order.lines.some((l) => campaign.skus.includes(l.sku))) return false;
  const windowEnd = Date.parse(order.paidAt) + settings.priceProtection.windowDays * DAY_MS;
  return windowEnd >= campaign.since.getTime();
}

async function listCandidates(
  deps: PriceProtectionDeps,
  connection: ShopConnection,
  campaign: Campaign,
  settings: AftersalesSettings,
): Promise<Candidate[]> {
  const from = new Date(campaign.since.getTime() - settings.priceProtection.windowDays * DAY_MS);
  if (campaign.scope === 'requested') {
    const rows = await deps.db
      .selectFrom('tickets')
      .select(['id', 'orderNumber'])
      .where('tenantId', '=', campaign.tenantId)
      .where('category', '=', PRICE_PROTECTION_CATEGORY)
      .where('shopConnectionId', '=', connection.id)
      .where('orderNumber', 'is not', null)
      .where('mergedIntoId', 'is', null)
      .where('createdAt', '>=', from)
      .orderBy('id')
      .execute();
    const seen = new Set<string>();
    return rows
      .filter((r) => !seen.has(r.orderNumber!) && seen.add(r.orderNumber!))
      .map((r) => ({ orderNumber: r.orderNumber!, ticketId: r.id }));
  }
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await deps.gateway.call(connection, (a) =>
      a.listChangedOrders(from.toISOString(), cursor, 200),
    );
    for (const summary of page.items) {
      if (seen.has(summary.orderNumber)) continue;
      seen.add(summary.orderNumber);
      if (summary.status === 'pending_payment' || summary.status === 'cancelled') continue;
      candidates.push({ orderNumber: summary.orderNumber, ticketId: null });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return candidates.sort((a, b) => a.orderNumber.localeCompare(b.orderNumber));
}

/** Settles a queued item and counts it, once (a re-run finds it no longer queued). */
async function recordItem(db: Db, campaign: Campaign, candidate: Candidate, item: ItemResult, now: Date) {
  await db.transaction().execute(async (tx) => {
    const settled = await tx
      .updateTable('priceProtectionCampaignItems')
      .set({
        orderId: item.orderId,
        outcome: item.outcome,
        payable: item.payable,
        currency: item.currency,
        error: item.error,
        completedAt: now,
      })
      .where('tenantId', '=', campaign.tenantId)
      .where('campaignId', '=', campaign.id)
      .where('orderNumber', '=', candidate.orderNumber)
      .where('outcome', '=', QUEUED)
      .returning('orderId')
      .executeTakeFirst();
    if (!settled) return;
    await tx
      .updateTable('priceProtectionCampaigns')
      .set((eb) => ({
        processed: eb('processed', '+', 1),
        paid: eb('paid', '+', item.outcome === 'paid' ? 1 : 0),
        awaitingApproval: eb('awaitingApproval', '+', item.outcome === 'awaiting_approval' ? 1 : 0),
        failed: eb('failed', '+', item.outcome === 'failed' || item.outcome === 'payout_failed' ? 1 : 0),
      }))
      .where('tenantId', '=', campaign.tenantId)
      .where('id', '=', campaign.id)
      .execute();
  });
}

async function finish(
  db: Db,
  campaign: Campaign,
  now: Date,
  status: 'done' | 'failed',
  error: string | null,
) {
  await db
    .updateTable('priceProtectionCampaigns')
    .set({ status, error, finishedAt: now })
    .where('tenantId', '=', campaign.tenantId)
    .where('id', '=', campaign.id)
    .where('status', '=', 'running')
    .execute();
}

export async function getCampaign(db: Db, tenantId: string, id: string) {
  const campaign = await db
    .selectFrom('priceProtectionCampaigns')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!campaign) throw new AppError('CAMPAIGN_NOT_FOUND');
  const items = await db
    .selectFrom('priceProtectionCampaignItems')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('campaignId', '=', id)
    .orderBy('completedAt')
    .orderBy('orderNumber')
    .limit(1000)
    .execute();
  return {
    id: campaign.id,
    connectionId: campaign.connectionId,
    skus: campaign.skus,
    since: campaign.since.toISOString(),
    scope: campaign.scope,
    status: campaign.status,
    total: campaign.total,
    processed: campaign.processed,
    paid: campaign.paid,
    awaitingApproval: campaign.awaitingApproval,
    failed: campaign.failed,
    error: campaign.error,
    createdAt: campaign.createdAt.toISOString(),
    finishedAt: campaign.finishedAt ? campaign.finishedAt.toISOString() : null,
    items: items.map((i) => ({
      orderId: i.orderId,
      orderNumber: i.orderNumber,
      ticketId: i.ticketId,
      outcome: i.outcome,
      payable: Number(i.payable),
      currency: i.currency,
      error: i.error,
      completedAt: i.completedAt.toISOString(),
    })),
  };
}

/** The graphile-worker task: one batch, then its own continuation (a fresh job) while orders remain. */
export async function campaignTask(payload: unknown, ctx: JobContext): Promise<void> {
  const p = payload as { tenantId?: unknown; campaignId?: unknown } | null;
  if (typeof p?.tenantId !== 'string' || typeof p.campaignId !== 'string') return;
  const deps = { db: ctx.db, gateway: defaultShopGateway(), now: () => ctx.now() };
  if ((await runCampaign(deps, p.tenantId, p.campaignId)) === 'more') {
    await enqueueJob(
      ctx.db,
      CAMPAIGN_TASK,
      { tenantId: p.tenantId, campaignId: p.campaignId },
      { maxAttempts: 10 },
    );
  }
}
