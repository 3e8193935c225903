import { describe, expect, it } from 'vitest';
import type { TokenRole } from '../../db/tables.ts';
import {
  can,
  canManageRole,
  PERMISSIONS,
  seesMaskedPii,
  ticketScope,
  type Actor,
  type Permission,
} from './permissions.ts';

const actor = (role: TokenRole, extra: Partial<Actor> = {}): Actor => ({
  tenantId: 't',
  kind: 'user',
  id: 'u',
  userId: 'u',
  role,
  department: role === 'collaborator' ? 'warehouse' : null,
  teamIds: ['team-a'],
  ...extra,
});

// The role matrix, written out in full so a change to it shows up here as a deliberate edit.
const EXPECTED: Record<TokenRole, Permission[]> = {
  admin: [...PERMISSIONS],
  supervisor: PERMISSIONS.filter(
    (p) =>
      p !== 'tokens:manage' &&
      p !== 'classifier:manage' &&
      p !== 'shops:manage' &&
      p !== 'aftersales:settings',
  ),
  agent: [
    'tickets:read',
    'tickets:create',
    'tickets:update',
    'tickets:reply',
    'tickets:note',
    'tickets:merge',
    'tickets:share',
    'tickets:customer_message',
    'customers:read',
    'customers:write',
    'users:read',
    'teams:read',
    'skills:read',
    'users:self',
    'tasks:read',
    'tasks:create',
    'tasks:work',
    'compensation:grant',
  ],
  outsourced_agent: [
    'tickets:read',
    'tickets:create',
    'tickets:update',
    'tickets:reply',
    'tickets:note',
    'customers:read',
    'users:read',
    'teams:read',
    'skills:read',
    'users:self',
    'tasks:read',
    'tasks:create',
    'tasks:work',
    'compensation:grant',
  ],
  collaborator: ['tickets:read', 'tickets:note', 'users:self', 'tasks:read', 'tasks:work'],
  integration: [
    'tickets:read',
    'tickets:create',
    'tickets:update',
    'tickets:reply',
    'tickets:note',
    'tickets:customer_message',
    'customers:read',
    'customers:write',
    'users:read',
    'teams:read',
    'skills:read',
  ],
};

describe('role matrix', () => {
  for (const [role, allowed] of Object.entries(EXPECTED) as Array<[TokenRole, Permission[]]>) {
    for (const permission of PERMISSIONS) {
      const expected = allowed.includes(permission);
      it(`${role} ${expected ? 'may' : 'may not'} ${permission}`, () => {
        expect(can(actor(role), permission)).toBe(expected);
      });
    }
  }
});

describe('routing and SLA configuration', () => {
  it.each([
    ['admin', true],
    ['supervisor', true],
    ['agent', false],
    ['outsourced_agent', false],
    ['collaborator', false],
    ['integration', false],
  ] as const)('%s may manage routing rules and SLA policies: %s', (role, expected) => {
    expect(can(actor(role), 'routing:manage')).toBe(expected);
    expect(can(actor(role), 'sla:manage')).toBe(expected);
  });
});

describe('money out (issue 6)', () => {
  it.each([
    ['admin', true, true, true],
    ['supervisor', true, true, false],
    ['agent', true, false, false],
    ['outsourced_agent', true, false, false],
    ['collaborator', false, false, false],
    ['integration', false, false, false],
  ] as const)('%s: grant %s, approve %s, change the policy %s', (role, grant, approve, settings) => {
    expect(can(actor(role), 'compensation:grant')).toBe(grant);
    expect(can(actor(role), 'approvals:decide')).toBe(approve);
    expect(can(actor(role), 'price_protection:campaigns')).toBe(approve);
    expect(can(actor(role), 'aftersales:settings')).toBe(settings);
  });
});

describe('ticketScope', () => {
  it.each([
    ['admin', { kind: 'all' }],
    ['supervisor', { kind: 'all' }],
    ['agent', { kind: 'all' }],
    ['integration', { kind: 'all' }],
    ['outsourced_agent', { kind: 'teams', teamIds: ['team-a'] }],
    ['collaborator', { kind: 'department', department: 'warehouse' }],
  ] as const)('%s sees %j', (role, scope) => {
    expect(ticketScope(actor(role))).toEqual(scope);
  });
});

describe('PII masking and role management', () => {
  it.each([
    ['outsourced_agent', true],
    ['collaborator', true],
    ['agent', false],
    ['supervisor', false],
    ['admin', false],
    ['integration', false],
  ] as const)('%s sees masked PII: %s', (role, masked) => {
    expect(seesMaskedPii(actor(role))).toBe(masked);
  });

  it.each([
    ['admin', 'admin', true],
    ['supervisor', 'agent', true],
    ['supervisor', 'outsourced_agent', true],
    ['supervisor', 'supervisor', false],
    ['supervisor', 'admin', false],
    ['agent', 'agent', false],
    ['agent', 'outsourced_agent', false],
  ] as const)('%s may manage %s: %s', (role, target, expected) => {
    expect(canManageRole(actor(role), target)).toBe(expected);
  });
});
