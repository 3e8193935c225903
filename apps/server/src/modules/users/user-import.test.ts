import { describe, expect, it } from 'vitest';
import type { Role } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import {
  generatePassword,
  parseExpiry,
  readImportCsv,
  validateImportRows,
  type ImportContext,
} from './user-import.ts';

const NOW = new Date('2026-11-01T00:00:00Z');
const ctx = (role: Role = 'admin', taken: string[] = []): ImportContext => ({
  actor: { role },
  teamsByName: new Map([
    ['售后 after-sales', 'team-1'],
    ['pre-sales', 'team-2'],
  ]),
  skillsByCode: new Map([
    ['refund', 'skill-1'],
    ['lang:zh', 'skill-2'],
  ]),
  takenEmails: new Set(taken),
  now: NOW,
});

const HEADER = 'name,email,role,teams,skills,expiresAt,department,password';
const check = (row: string, context = ctx()) =>
  validateImportRows(readImportCsv(`${HEADER}\n${row}\n`), context)[0]!;
const errorOf = (row: string, context = ctx()) => {
  const result = check(row, context);
  return result.ok ? 'ok' : result.error.code;
};

describe('validateImportRows', () => {
  it('reads a full row: teams by name ignoring case, skills with colons in their code, a date', () => {
    const result = check(
      '"Wang, Wu",WANG@Shop.test,Outsourced_Agent,"售后 After-sales; PRE-SALES",refund:3;lang:zh:5,2026-11-12,,',
    );
    expect(result).toEqual({
      ok: true,
      value: {
        row: 2,
        email: 'wang@shop.test',
        name: 'Wang, Wu',
        role: 'outsourced_agent',
        department: null,
        password: null,
        teamIds: ['team-1', 'team-2'],
        skills: [
          { skillId: 'skill-1', level: 3 },
          { skillId: 'skill-2', level: 5 },
        ],
        expiresAt: new Date('2026-11-12T00:00:00Z'),
      },
    });
  });

  it.each([
    ['an empty name', ',a@b.test,agent,,,,,', 'VALIDATION_FAILED'],
    ['a bad email', 'A,not-mail,agent,,,,,', 'VALIDATION_FAILED'],
    ['an unknown role', 'A,a@b.test,boss,,,,,', 'VALIDATION_FAILED'],
    ['the integration role', 'A,a@b.test,integration,,,,,', 'VALIDATION_FAILED'],
    ['a collaborator without department', 'A,a@b.test,collaborator,,,,,', 'VALIDATION_FAILED'],
    ['an agent with a department', 'A,a@b.test,agent,,,,warehouse,', 'VALIDATION_FAILED'],
    ['an unknown department', 'A,a@b.test,collaborator,,,,garden,', 'VALIDATION_FAILED'],
    ['an unknown team', 'A,a@b.test,agent,Nope,,,,', 'TEAM_NOT_FOUND'],
    ['an unknown skill', 'A,a@b.test,agent,,cooking:3,,,', 'SKILL_NOT_FOUND'],
    ['a skill without level', 'A,a@b.test,agent,,refund,,,', 'VALIDATION_FAILED'],
    ['a skill level of 6', 'A,a@b.test,agent,,refund:6,,,', 'VALIDATION_FAILED'],
    ['a skill twice', 'A,a@b.test,agent,,refund:2;refund:3,,,', 'VALIDATION_FAILED'],
    ['a past expiry', 'A,a@b.test,agent,,,2026-10-31,,', 'VALIDATION_FAILED'],
    ['an expiry without offset', 'A,a@b.test,agent,,,2026-11-12T10:00:00,,', 'VALIDATION_FAILED'],
    ['a short password', 'A,a@b.test,agent,,,,,short', 'VALIDATION_FAILED'],
    ['an extra field', 'A,a@b.test,agent,,,,,password,extra', 'VALIDATION_FAILED'],
    ['trailing fields left out', 'A,a@b.test,agent', 'ok'],
    ['the role left out', 'A,a@b.test', 'VALIDATION_FAILED'],
    ['a collaborator with department', 'A,a@b.test,collaborator,,,,Warehouse,long-enough', 'ok'],
  ])('reports %s', (_name, row, code) => {
    expect(errorOf(row)).toBe(code);
  });

  it('refuses emails that exist and repeated emails after their first row', () => {
    const table = readImportCsv(`name,email,role\nA,a@b.test,agent\nB,A@B.test,agent\nC,c@b.test,agent\n`);
    const results = validateImportRows(table, ctx('admin', ['c@b.test']));
    expect(results.map((r) => (r.ok ? r.value.row : `${r.row}:${r.error.code}`))).toEqual([
      2,
      '3:EMAIL_TAKEN',
      '4:EMAIL_TAKEN',
    ]);
  });

  it.each([
    ['supervisor', 'agent', 'ok'],
    ['supervisor', 'outsourced_agent', 'ok'],
    ['supervisor', 'supervisor', 'FORBIDDEN'],
    ['supervisor', 'admin', 'FORBIDDEN'],
    ['admin', 'admin', 'ok'],
  ] as const)('a %s importing a %s row: %s', (actor, role, code) => {
    expect(errorOf(`A,a@b.test,${role},,,,,`, ctx(actor))).toBe(code);
  });
});

describe('readImportCsv', () => {
  it.each([
    ['an unknown column', 'name,email,role,colour\n'],
    ['a repeated column', 'name,email,role,Email\n'],
    ['a missing column', 'name,role\n'],
    ['no header', ''],
    ['a broken quote', 'name,email,role\n"A,a@b.test,agent\n'],
  ])('rejects %s', (_name, text) => {
    expect(() => readImportCsv(text)).toThrow(AppError);
  });

  it('accepts columns in any order and case', () => {
    const table = readImportCsv('Role, EMAIL ,name\nagent,a@b.test,A\n');
    expect(validateImportRows(table, ctx())[0]).toMatchObject({
      ok: true,
      value: { email: 'a@b.test', role: 'agent' },
    });
  });
});

describe('parseExpiry', () => {
  it.each([
    ['', null],
    ['2026-11-12', '2026-11-12T00:00:00.000Z'],
    ['2026-11-12T23:59:59+08:00', '2026-11-12T15:59:59.000Z'],
    ['2026-11-12 23:59+0800', '2026-11-12T15:59:00.000Z'],
    ['2026-11-12T10:00:00Z', '2026-11-12T10:00:00.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(parseExpiry(text)?.toISOString() ?? null).toBe(expected);
  });

  it.each(['tomorrow', '2026-13-45', '12/11/2026', '2026-11-12T10:00'])('rejects %s', (text) => {
    expect(() => parseExpiry(text)).toThrow();
  });
});

describe('generatePassword', () => {
  it('makes 20 unambiguous characters in four groups, different every time', () => {
    const passwords = Array.from({ length: 50 }, generatePassword);
    for (const p of passwords) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
    expect(new Set(passwords).size).toBe(50);
  });
});
