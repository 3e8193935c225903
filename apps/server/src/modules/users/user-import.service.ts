import type { Db } from '../../db/database.ts';
import { AppError, type ErrorCode } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { GENERATED_PASSWORD_SCRYPT, hashPassword } from '../../lib/secrets.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { generatePassword, readImportCsv, validateImportRows, type ValidRow } from './user-import.ts';
import {
  findDirectoryLookups,
  findTakenEmails,
  insertMemberships,
  insertUsers,
  insertUserSkills,
} from './user.repository.ts';
import { isUniqueViolation } from './user.service.ts';

export interface ImportRowResult {
  row: number;
  status: 'created' | 'valid' | 'error';
  email: string;
  userId?: string;
  /** Shown once, for rows that gave no password. */
  initialPassword?: string;
  error?: { code: ErrorCode; detail: string };
}

export interface ImportReport {
  dryRun: boolean;
  summary: { rows: number; created: number; valid: number; errors: number };
  rows: ImportRowResult[];
}

// scrypt runs on libuv's pool of four threads; two at a time leaves room for logins on a 2-core machine.
const HASH_CONCURRENCY = 2;

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Imports users from CSV: every row is validated first; then all valid rows are inserted in one transaction
 * with multi-row inserts, so the import either creates every valid row or nothing. Rows without a password
 * get a generated one, returned once. With `dryRun` nothing is written and no password is generated.
 */
export async function importUsers(
  db: Db,
  actor: Actor,
  csv: string,
  options: { dryRun: boolean; ip: string; now: Date },
): Promise<ImportReport> {
  const table = readImportCsv(csv);
  const emailColumn = table.columns.get('email')!;
  const emails = [
    ...new Set(table.rows.map((r) => (r.fields[emailColumn] ?? '').trim().toLowerCase()).filter(Boolean)),
  ];
  const [lookups, takenEmails] = await Promise.all([
    findDirectoryLookups(db, actor.tenantId),
    findTakenEmails(db, actor.tenantId, emails),
  ]);
  const checks = validateImportRows(table, {
    actor,
    teamsByName: new Map(lookups.teams.map((t) => [t.name.trim().toLowerCase(), t.id])),
    skillsByCode: new Map(lookups.skills.map((s) => [s.code, s.id])),
    takenEmails,
    now: options.now,
  });
  const valid = checks.flatMap((c) => (c.ok ? [c.value] : []));
  const results = new Map<number, ImportRowResult>();
  for (const check of checks) {
    if (!check.ok)
      results.set(check.row, { row: check.row, status: 'error', email: check.email, error: check.error });
    else results.set(check.value.row, { row: check.value.row, status: 'valid', email: check.value.email });
  }

  if (!options.dryRun && valid.length > 0) {
    const prepared = await mapLimited(valid, HASH_CONCURRENCY, async (row) => {
      const initialPassword = row.password === null ? generatePassword() : undefined;
      const passwordHash = initialPassword
        ? await hashPassword(initialPassword, GENERATED_PASSWORD_SCRYPT)
        : await hashPassword(row.password!);
      return { row, id: uuidv7(), passwordHash, initialPassword };
    });
    await insertAll(db, actor, prepared, options);
    for (const p of prepared) {
      results.set(p.row.row, {
        row: p.row.row,
        status: 'created',
        email: p.row.email,
        userId: p.id,
        ...(p.initialPassword ? { initialPassword: p.initialPassword } : {}),
      });
    }
  }

  const rows = [...results.values()].sort((a, b) => a.row - b.row);
  return {
    dryRun: options.dryRun,
    summary: {
      rows: rows.length,
      created: rows.filter((r) => r.status === 'created').length,
      valid: valid.length,
      errors: rows.filter((r) => r.status === 'error').length,
    },
    rows,
  };
}

async function insertAll(
  db: Db,
  actor: Actor,
  prepared: Array<{ row: ValidRow; id: string; passwordHash: string; initialPassword: string | undefined }>,
  options: { ip: string; now: Date },
): Promise<void> {
  const tenantId = actor.tenantId;
  try {
    await db.transaction().execute(async (tx) => {
      await insertUsers(
        tx,
        prepared.map(({ row, id, passwordHash }) => ({
          tenantId,
          id,
          email: row.email,
          name: row.name,
          role: row.role,
          department: row.department,
          passwordHash,
          expiresAt: row.expiresAt,
        })),
        options.now,
      );
      await insertMemberships(
        tx,
        prepared.flatMap(({ row, id }) => row.teamIds.map((teamId) => ({ tenantId, teamId, userId: id }))),
        options.now,
      );
      await insertUserSkills(
        tx,
        prepared.flatMap(({ row, id }) => row.skills.map((s) => ({ tenantId, userId: id, ...s }))),
      );
      await recordAudit(tx, {
        tenantId,
        actor,
        action: 'user.imported',
        targetType: 'user',
        ip: options.ip,
        details: {
          created: prepared.length,
          generatedPasswords: prepared.filter((p) => p.initialPassword).length,
          userIds: prepared.map((p) => p.id),
        },
      });
    });
  } catch (error) {
    // Another request created one of these emails between validation and insert; nothing was written.
    if (isUniqueViolation(error)) {
      throw new AppError(
        'EMAIL_TAKEN',
        'An email in the file was taken meanwhile; nothing was imported, retry',
      );
    }
    throw error;
  }
}
