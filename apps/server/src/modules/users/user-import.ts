import { randomInt } from 'node:crypto';
import type { Department, Role } from '../../db/tables.ts';
import { AppError, type ErrorCode } from '../../errors.ts';
import { canManageRole, type Actor } from '../access/permissions.ts';
import { CsvSyntaxError, parseCsv, type CsvRecord } from './csv.ts';

/**
 * The pure core of the CSV user import: reading the header, and validating every row against the tenant's
 * teams, skills and existing emails, with no I/O. Rows are numbered as a spreadsheet numbers them (the
 * header is row 1).
 */
export const MAX_IMPORT_ROWS = 5000;

const REQUIRED = ['name', 'email', 'role'] as const;
const OPTIONAL = ['teams', 'skills', 'expiresat', 'department', 'password'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent', 'outsourced_agent', 'collaborator'];
const DEPARTMENTS: readonly Department[] = ['warehouse', 'logistics', 'purchasing'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// A date-time must name its offset: `2026-11-12T23:59:59+08:00` or `…Z`; a bare local time is ambiguous.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export interface ImportTable {
  columns: Map<Column, number>;
  rows: CsvRecord[];
}

/** Parses the CSV and its header; a malformed file or header is an error for the whole request. */
export function readImportCsv(text: string): ImportTable {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new AppError('MALFORMED_CSV', error.message);
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw new AppError('MALFORMED_CSV', 'The CSV is empty: it needs a header row');
  const columns = new Map<Column, number>();
  header.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (![...REQUIRED, ...OPTIONAL].includes(name as Column)) {
      throw new AppError('MALFORMED_CSV', `Unknown column "${raw}"`);
    }
    if (columns.has(name as Column)) throw new AppError('MALFORMED_CSV', `Column "${raw}" appears twice`);
    columns.set(name as Column, index);
  });
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length) throw new AppError('MALFORMED_CSV', `Missing column(s): ${missing.join(', ')}`);
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new AppError(
      'VALIDATION_FAILED',
      `At most ${MAX_IMPORT_ROWS} rows per import; this has ${rows.length}`,
    );
  }
  return { columns, rows };
}

export interface ImportContext {
  actor: Pick<Actor, 'role'>;
  /** Active teams by lower-cased name. */
  teamsByName: ReadonlyMap<string, string>;
  /** Active skills by code. */
  skillsByCode: ReadonlyMap<string, string>;
  /** Emails that already have an account in the tenant. */
  takenEmails: ReadonlySet<string>;
  now: Date;
}

export interface ValidRow {
  row: number;
  email: string;
  name: string;
  role: Role;
  department: Department | null;
  /** Null when the file gave none: one is generated and returned once. */
  password: string | null;
  teamIds: string[];
  skills: Array<{ skillId: string; level: number }>;
  expiresAt: Date | null;
}

export type RowCheck =
  | { ok: true; value: ValidRow }
  | { ok: false; row: number; email: string; error: { code: ErrorCode; detail: string } };

class RowError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail: string,
  ) {
    super(detail);
  }
}

/** Validates every row; the first occurrence of an email wins, later ones are row errors. */
export function validateImportRows(table: ImportTable, ctx: ImportContext): RowCheck[] {
  const seen = new Map<string, number>();
  return table.rows.map((record) => {
    const cell = (column: Column) => {
      const index = table.columns.get(column);
      return index === undefined ? '' : (record.fields[index] ?? '').trim();
    };
    const email = cell('email').toLowerCase();
    try {
      // Trailing empty cells may be left out (hand-written files do); extra cells are a shifted row.
      if (record.fields.length > table.columns.size) {
        throw new RowError(
          'VALIDATION_FAILED',
          `Expected at most ${table.columns.size} fields, found ${record.fields.length}`,
        );
      }
      const value = validateRow(record.row, email, cell, ctx);
      const first = seen.get(email);
      if (first !== undefined) throw new RowError('EMAIL_TAKEN', `${email} is also on row ${first}`);
      seen.set(email, record.row);
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      return { ok: false, row: record.row, email, error: { code: error.code, detail: error.message } };
    }
  });
}

function validateRow(row: number, email: string, cell: (c: Column) => string, ctx: ImportContext): ValidRow {
  const name = cell('name');
  if (!name || name.length > 200) throw new RowError('VALIDATION_FAILED', 'name must have 1–200 characters');
  if (!EMAIL.test(email) || email.length > 254) throw new RowError('VALIDATION_FAILED', 'email is not valid');
  if (ctx.takenEmails.has(email)) throw new RowError('EMAIL_TAKEN', `${email} already has an account`);

  const role = cell('role').toLowerCase() as Role;
  if (!ROLES.includes(role))
    throw new RowError('VALIDATION_FAILED', `role must be one of ${ROLES.join(', ')}`);
  if (!canManageRole(ctx.actor, role)) throw new RowError('FORBIDDEN', `You may not create ${role} accounts`);
  const departmentText = cell('department').toLowerCase();
  const department = departmentText ? (departmentText as Department) : null;
  if (department && !DEPARTMENTS.includes(department)) {
    throw new RowError('VALIDATION_FAILED', `department must be one of ${DEPARTMENTS.join(', ')}`);
  }
  if ((role === 'collaborator') !== (department !== null)) {
    throw new RowError(
      'VALIDATION_FAILED',
      'A collaborator needs a department, and only a collaborator takes one',
    );
  }

  const password = cell('password') || null;
  if (password !== null && (password.length < 8 || password.length > 1024)) {
    throw new RowError('VALIDATION_FAILED', 'password must have at least 8 characters');
  }

  const teamIds: string[] = [];
  for (const teamName of splitList(cell('teams'))) {
    const id = ctx.teamsByName.get(teamName.toLowerCase());
    if (!id) throw new RowError('TEAM_NOT_FOUND', `No team named "${teamName}"`);
    if (!teamIds.includes(id)) teamIds.push(id);
  }

  const skills: ValidRow['skills'] = [];
  for (const item of splitList(cell('skills'))) {
    // Skill codes may hold colons themselves (`lang:zh`), so the level follows the last one.
    const colon = item.lastIndexOf(':');
    const code = colon > 0 ? item.slice(0, colon).trim().toLowerCase() : '';
    const levelText = colon > 0 ? item.slice(colon + 1).trim() : '';
    if (!code || !/^[1-5]$/.test(levelText)) {
      throw new RowError('VALIDATION_FAILED', `skills take code:level with a level of 1–5, not "${item}"`);
    }
    const skillId = ctx.skillsByCode.get(code);
    if (!skillId) throw new RowError('SKILL_NOT_FOUND', `No skill with code "${code}"`);
    if (skills.some((s) => s.skillId === skillId))
      throw new RowError('VALIDATION_FAILED', `Skill ${code} twice`);
    skills.push({ skillId, level: Number(levelText) });
  }

  const expiresAt = parseExpiry(cell('expiresat'));
  if (expiresAt && expiresAt <= ctx.now) throw new RowError('VALIDATION_FAILED', 'expiresAt is in the past');

  return { row, email, name, role, department, password, teamIds, skills, expiresAt };
}

function splitList(text: string): string[] {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A date alone means the start of that day in UTC; a date-time must carry its offset. Empty: no expiry. */
export function parseExpiry(text: string): Date | null {
  if (!text) return null;
  let date: Date | undefined;
  if (DATE_ONLY.test(text)) date = new Date(`${text}T00:00:00Z`);
  else if (DATE_TIME.test(text)) {
    const normalised = text
      .replace(' ', 'T')
      .replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
      .toUpperCase();
    date = new Date(normalised);
  }
  if (!date || Number.isNaN(date.getTime())) {
    throw new RowError(
      'VALIDATION_FAILED',
      'expiresAt takes a date (2026-11-12) or a date-time with offset (2026-11-12T23:59:59+08:00)',
    );
  }
  return date;
}

// No 0/O, 1/l/I: initial passwords are read aloud and typed.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 20 characters from 56 (about 116 bits) in groups of five: `k7Rtw-…`. */
export function generatePassword(): string {
  const chars = Array.from({ length: 20 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}
