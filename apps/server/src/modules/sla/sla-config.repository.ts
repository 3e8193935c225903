import type { Kysely, Selectable } from 'kysely';
import { notifyConfigChange } from '../auth/auth-invalidation.ts';
import type { BusinessCalendarsTable, Database, SlaPoliciesTable } from '../../db/tables.ts';

/** Storage of business calendars and SLA policies; every query is keyed by tenant. */
export type CalendarRow = Selectable<BusinessCalendarsTable>;
export type PolicyRow = Selectable<SlaPoliciesTable>;
type Db = Kysely<Database>;

export function findCalendars(db: Db, tenantId: string, ids?: readonly string[]): Promise<CalendarRow[]> {
  let q = db.selectFrom('businessCalendars').selectAll().where('tenantId', '=', tenantId);
  if (ids) {
    if (ids.length === 0) return Promise.resolve([]);
    q = q.where('id', 'in', ids);
  }
  return q.orderBy('name').orderBy('id').execute();
}

export function findCalendar(db: Db, tenantId: string, id: string, forUpdate = false) {
  let q = db
    .selectFrom('businessCalendars')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertCalendar(
  db: Db,
  row: Omit<CalendarRow, 'createdAt' | 'updatedAt'>,
  now: Date,
): Promise<void> {
  await db
    .insertInto('businessCalendars')
    .values({ ...row, hours: JSON.stringify(row.hours), createdAt: now, updatedAt: now })
    .execute();
  await notifyConfigChange(db, row.tenantId);
}

export async function updateCalendar(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Pick<CalendarRow, 'name' | 'timeZone' | 'hours' | 'holidays'>>,
  now: Date,
): Promise<void> {
  const { hours, ...rest } = patch;
  await db
    .updateTable('businessCalendars')
    .set({ ...rest, ...(hours !== undefined ? { hours: JSON.stringify(hours) } : {}), updatedAt: now })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await notifyConfigChange(db, tenantId);
}

export async function deleteCalendar(db: Db, tenantId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('businessCalendars')
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  await notifyConfigChange(db, tenantId);
  return r.numDeletedRows > 0n;
}

export function findPolicies(db: Db, tenantId: string, ids?: readonly string[]): Promise<PolicyRow[]> {
  let q = db.selectFrom('slaPolicies').selectAll().where('tenantId', '=', tenantId);
  if (ids) {
    if (ids.length === 0) return Promise.resolve([]);
    q = q.where('id', 'in', ids);
  }
  return q.orderBy('name').orderBy('id').execute();
}

export function findPolicy(db: Db, tenantId: string, id: string, forUpdate = false) {
  let q = db.selectFrom('slaPolicies').selectAll().where('tenantId', '=', tenantId).where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function findDefaultPolicy(db: Db, tenantId: string) {
  return db
    .selectFrom('slaPolicies')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('isDefault', '=', true)
    .executeTakeFirst();
}

export async function insertPolicy(
  db: Db,
  row: Omit<PolicyRow, 'createdAt' | 'updatedAt'>,
  now: Date,
): Promise<void> {
  await db
    .insertInto('slaPolicies')
    .values({
      ...row,
      targets: JSON.stringify(row.targets),
      escalation: JSON.stringify(row.escalation),
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await notifyConfigChange(db, row.tenantId);
}

export async function updatePolicy(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<
    Pick<PolicyRow, 'name' | 'calendarId' | 'warningRatio' | 'targets' | 'isDefault' | 'escalation'>
  >,
  now: Date,
): Promise<void> {
  const { targets, escalation, ...rest } = patch;
  await db
    .updateTable('slaPolicies')
    .set({
      ...rest,
      ...(targets !== undefined ? { targets: JSON.stringify(targets) } : {}),
      ...(escalation !== undefined ? { escalation: JSON.stringify(escalation) } : {}),
      updatedAt: now,
    })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await notifyConfigChange(db, tenantId);
}

/** Only one default per tenant (a partial unique index): the old default is cleared first. */
export async function clearDefaultPolicy(db: Db, tenantId: string, now: Date): Promise<void> {
  await db
    .updateTable('slaPolicies')
    .set({ isDefault: false, updatedAt: now })
    .where('tenantId', '=', tenantId)
    .where('isDefault', '=', true)
    .execute();
  await notifyConfigChange(db, tenantId);
}

export async function deletePolicy(db: Db, tenantId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('slaPolicies')
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  await notifyConfigChange(db, tenantId);
  return r.numDeletedRows > 0n;
}

/** The tenant's time zone (settings.timeZone), Asia/Shanghai when unset. */
export async function findTenantTimeZone(db: Db, tenantId: string): Promise<string> {
  const row = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
  const tz = row?.settings.timeZone;
  return typeof tz === 'string' ? tz : 'Asia/Shanghai';
}
