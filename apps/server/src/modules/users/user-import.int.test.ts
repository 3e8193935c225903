import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  testDb,
  type TestTenant,
} from '../../../test/helpers.ts';
import { uuidv7 } from '../../lib/ids.ts';

interface RowResult {
  row: number;
  status: string;
  email: string;
  userId?: string;
  initialPassword?: string;
  error?: { code: string; detail: string };
}

describe('CSV user import', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  const domain = `sale-${uuidv7().slice(-8)}.test`;

  beforeAll(async () => {
    app = await buildTestApp();
    tenant = await createTestTenant();
    const now = new Date();
    await testDb()
      .insertInto('teams')
      .values(
        ['售后 After-sales', 'Pre-sales'].map((name) => ({
          tenantId: tenant.id,
          id: uuidv7(),
          name,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .execute();
    await testDb()
      .insertInto('skills')
      .values(
        [
          ['refund', '退款'],
          ['lang:zh', '中文'],
        ].map(([code, name]) => ({
          tenantId: tenant.id,
          id: uuidv7(),
          code: code!,
          name: name!,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .execute();
  });
  afterAll(() => app.close());

  const login = (email: string, password: string) =>
    call(app, null, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

  const importCsv = (csv: string, token = tenant.adminToken, query = '') =>
    call(app, token, {
      method: 'POST',
      url: `/api/v1/users/import${query}`,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      payload: csv,
    });

  it('creates exactly the good rows of 300, reports the bad ones, and the new staff can sign in', async () => {
    const existing = await createTestUser(tenant, 'agent', { email: `taken@${domain}` });
    const future = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const lines = ['name,email,role,teams,skills,expiresAt,department,password'];
    const bad = new Map<number, string>([
      [10, `Bad Team,bad-team@${domain},outsourced_agent,No Such Team,,${future},,`],
      [20, `Bad Email,not-an-email,agent,,,,,`],
      [30, `Duplicate,temp1@${domain},agent,,,,,`],
      [40, `No Dept,no-dept@${domain},collaborator,,,,,`],
      [50, `Bad Level,bad-level@${domain},agent,,refund:9,,,`],
      [60, `Past,past@${domain},agent,,,2020-01-01,,`],
      [70, `Taken,${existing.email.toUpperCase()},agent,,,,,`],
    ]);
    for (let row = 2; row <= 301; row++) {
      const n = row - 1;
      const password = n <= 3 ? `given-password-${n}` : '';
      lines.push(
        bad.get(row) ??
          `"临时客服 ${n}, Double 11",temp${n}@${domain},outsourced_agent,"售后 After-sales;pre-sales",` +
            `refund:3;lang:zh:5,${future},,${password}`,
      );
    }
    // Row 42: a collaborator with its department.
    lines[41] = `Warehouse 40,wh40@${domain},collaborator,,,,warehouse,`;
    const started = performance.now();
    const response = await importCsv(`\uFEFF${lines.join('\r\n')}\r\n`);
    const elapsed = performance.now() - started;
    console.log(`imported 300 rows in ${elapsed.toFixed(0)} ms`);
    expect(response.statusCode).toBe(200);
    const rows = response.data.rows as RowResult[];
    expect(response.data.summary).toEqual({ rows: 300, created: 293, valid: 293, errors: 7 });
    const errors = Object.fromEntries(
      rows.filter((r) => r.status === 'error').map((r) => [r.row, r.error!.code]),
    );
    expect(errors).toEqual({
      10: 'TEAM_NOT_FOUND',
      20: 'VALIDATION_FAILED',
      30: 'EMAIL_TAKEN',
      40: 'VALIDATION_FAILED',
      50: 'VALIDATION_FAILED',
      60: 'VALIDATION_FAILED',
      70: 'EMAIL_TAKEN',
    });
    expect(rows.find((r) => r.row === 42)).toMatchObject({ status: 'created', email: `wh40@${domain}` });

    const created = await testDb()
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role', 'expiresAt'])
      .where('tenantId', '=', tenant.id)
      .where('email', 'like', `%@${domain}`)
      .where('email', '!=', existing.email)
      .execute();
    expect(created).toHaveLength(293);
    expect(created.find((u) => u.email === `temp5@${domain}`)).toMatchObject({
      name: '临时客服 5, Double 11',
      role: 'outsourced_agent',
      expiresAt: new Date(`${future}T00:00:00Z`),
    });
    const temp5 = rows.find((r) => r.email === `temp5@${domain}`)!;
    const view = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/users/${temp5.userId}` });
    expect((view.data.teams as Array<{ name: string }>).map((t) => t.name).sort()).toEqual([
      'Pre-sales',
      '售后 After-sales',
    ]);
    expect(
      (view.data.skills as Array<{ code: string; level: number }>).map((s) => `${s.code}:${s.level}`),
    ).toEqual(['lang:zh:5', 'refund:3']);

    // Rows with a password column keep theirs; the others get one generated, shown once.
    expect(rows.find((r) => r.email === `temp1@${domain}`)!.initialPassword).toBeUndefined();
    expect(temp5.initialPassword).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    expect((await login(`temp1@${domain}`, 'given-password-1')).statusCode).toBe(200);
    expect((await login(`temp5@${domain}`, temp5.initialPassword!)).statusCode).toBe(200);

    // Deactivated: refused. Expired: refused.
    const temp6 = rows.find((r) => r.email === `temp6@${domain}`)!;
    await call(app, tenant.adminToken, { method: 'POST', url: `/api/v1/users/${temp6.userId}/deactivate` });
    expect((await login(`temp6@${domain}`, temp6.initialPassword!)).statusCode).toBe(401);
    await testDb()
      .updateTable('users')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('tenantId', '=', tenant.id)
      .where('id', '=', temp5.userId!)
      .execute();
    const expired = await login(`temp5@${domain}`, temp5.initialPassword!);
    expect(expired.statusCode).toBe(401);
    expect(expired.data.code).toBe('ACCOUNT_EXPIRED');

    const audit = await testDb()
      .selectFrom('auditLog')
      .select(['details'])
      .where('tenantId', '=', tenant.id)
      .where('action', '=', 'user.imported')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ created: 293, generatedPasswords: 290 });
  });

  it('validates without writing on a dry run, and takes a JSON body too', async () => {
    const csv = `name,email,role\nDry,dry@${domain},agent\nDry2,dry@${domain},agent\n`;
    const dry = await importCsv(csv, tenant.adminToken, '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.data.summary).toEqual({ rows: 2, created: 0, valid: 1, errors: 1 });
    expect(dry.data.rows[0]).toEqual({ row: 2, status: 'valid', email: `dry@${domain}` });
    expect(dry.data.rows[1].error.code).toBe('EMAIL_TAKEN');
    const json = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/users/import',
      payload: { csv },
    });
    expect(json.data.summary).toMatchObject({ created: 1, errors: 1 });
    const again = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/users/import',
      payload: { csv },
    });
    expect(again.data.summary).toMatchObject({ created: 0, errors: 2 });
  });

  it("refuses rows a supervisor may not create, and agents can't import at all", async () => {
    const supervisor = await createTestUser(tenant, 'supervisor');
    const csv = `name,email,role\nBoss,boss@${domain},admin\nTemp,sup-temp@${domain},agent\n`;
    const response = await importCsv(csv, supervisor.token);
    expect((response.data.rows as RowResult[]).map((r) => r.error?.code ?? r.status)).toEqual([
      'FORBIDDEN',
      'created',
    ]);
    const agent = await createTestUser(tenant, 'agent');
    expect((await importCsv(csv, agent.token)).statusCode).toBe(403);
  });

  it.each([
    ['an unclosed quote', 'name,email,role\n"Open,x@y.test,agent\n', 'MALFORMED_CSV'],
    ['an unknown column', 'name,email,role,shoe\n', 'MALFORMED_CSV'],
    ['a missing column', 'name,email\n', 'MALFORMED_CSV'],
    ['an empty file', '', 'MALFORMED_CSV'],
    ['too many rows', `name,email,role\n${'a,b@c.test,agent\n'.repeat(5001)}`, 'VALIDATION_FAILED'],
  ])('rejects %s as a whole', async (_name, csv, code) => {
    const response = await importCsv(csv);
    expect(response.statusCode).toBe(400);
    expect(response.data.code).toBe(code);
  });
});
