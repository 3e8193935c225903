import type { Capabilities, MemberTier, PriceKind } from '@peakdesk/commerce';
import { sql, type Kysely } from 'kysely';
import type { Database, TokenRole } from '../../db/tables.ts';

export type PayoutKind = 'refund' | 'coupon' | 'points' | 'store_credit';
export type CompensationKind = Exclude<PayoutKind, 'refund'>;

/** One role's compensation caps. Money in minor units (fen); points as a count. */
export interface CompensationCap {
  perAction: { coupon: number; store_credit: number; points: number };
  /** Per agent per calendar day in the tenant's time zone: coupons + store credit together, and points. */
  perDay: { money: number; points: number };
}

/**
 * A tenant's money-out policy, stored in `tenants.settings.aftersales` (PUT /aftersales/settings). Anything
 * missing falls back to DEFAULT_AFTERSALES_SETTINGS, so an empty object is a complete policy.
 */
export interface AftersalesSettings {
  priceProtection: {
    windowDays: number;
    excludedKinds: PriceKind[];
    /** Pay at once when the ticket's total payable is at most this (minor units); above it a supervisor approves. */
    autoPayMaxMinor: number;
    /** Higher limits for loyal tiers (minor units); a tier missing here uses autoPayMaxMinor. */
    autoPayMaxByTier: Partial<Record<MemberTier, number>>;
    /** Tried in order; the first the shop supports is used (refund → coupon → points by default). */
    payoutMethods: PayoutKind[];
    /** Points granted per yuan when paying in points. */
    pointsPerYuan: number;
    /** Solve the ticket after an automatic or approved payout (with a public reply). */
    solveTicket: boolean;
  };
  /** Caps by role; a role missing here may not grant without approval (every grant needs one). */
  compensationCaps: Partial<Record<TokenRole, CompensationCap>>;
}

export const DEFAULT_AFTERSALES_SETTINGS: AftersalesSettings = {
  priceProtection: {
    windowDays: 30,
    excludedKinds: ['flash_sale'],
    autoPayMaxMinor: 5000,
    autoPayMaxByTier: { gold: 10000, black_diamond: 20000 },
    payoutMethods: ['refund', 'coupon', 'points'],
    pointsPerYuan: 10,
    solveTicket: true,
  },
  compensationCaps: {
    agent: {
      perAction: { coupon: 2000, store_credit: 2000, points: 200 },
      perDay: { money: 20000, points: 2000 },
    },
    outsourced_agent: {
      perAction: { coupon: 1000, store_credit: 0, points: 100 },
      perDay: { money: 5000, points: 500 },
    },
    supervisor: {
      perAction: { coupon: 20000, store_credit: 20000, points: 2000 },
      perDay: { money: 200000, points: 20000 },
    },
    admin: {
      perAction: { coupon: 100000, store_credit: 100000, points: 10000 },
      perDay: { money: 1000000, points: 100000 },
    },
  },
};

/** Stored settings over the defaults, one level deep per section (pure). */
export function resolveSettings(stored: unknown): AftersalesSettings {
  const s = (stored ?? {}) as Partial<AftersalesSettings>;
  return {
    priceProtection: { ...DEFAULT_AFTERSALES_SETTINGS.priceProtection, ...(s.priceProtection ?? {}) },
    compensationCaps: s.compensationCaps ?? DEFAULT_AFTERSALES_SETTINGS.compensationCaps,
  };
}

export async function loadAftersalesSettings(
  db: Kysely<Database>,
  tenantId: string,
): Promise<AftersalesSettings> {
  // As text: the CamelCasePlugin would rename the policy's snake_case keys (store_credit, black_diamond).
  const row = await db
    .selectFrom('tenants')
    .select(sql<string | null>`settings->>'aftersales'`.as('aftersales'))
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return resolveSettings(row?.aftersales ? JSON.parse(row.aftersales) : undefined);
}

/** The auto-pay limit for a buyer's tier (pure). */
export function autoPayLimit(settings: AftersalesSettings, tier: MemberTier | undefined): number {
  const byTier = tier ? settings.priceProtection.autoPayMaxByTier[tier] : undefined;
  return byTier ?? settings.priceProtection.autoPayMaxMinor;
}

/** Whether the shop can pay this way, from its capabilities alone (pure). */
export function supportsPayout(capabilities: Capabilities, kind: PayoutKind): boolean {
  switch (kind) {
    case 'refund':
      return capabilities.sellerInitiatedRefund && capabilities.partialAmountRefund;
    case 'coupon':
      return capabilities.coupons;
    case 'points':
      return capabilities.points;
    case 'store_credit':
      return capabilities.storeCredit;
  }
}

/** The first payout method of the tenant's preference the shop supports, or undefined (pure). */
export function choosePayoutMethod(
  settings: AftersalesSettings,
  capabilities: Capabilities,
): PayoutKind | undefined {
  return settings.priceProtection.payoutMethods.find((kind) => supportsPayout(capabilities, kind));
}

/** A money amount as points at the tenant's rate, rounded up so the buyer never gets less (pure). */
export function minorToPoints(settings: AftersalesSettings, amountMinor: number): number {
  return Math.ceil((amountMinor * settings.priceProtection.pointsPerYuan) / 100);
}
