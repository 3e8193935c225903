import { describe, expect, it } from 'vitest';
import type { Me } from '../../api/types.ts';
import { mayAdminister, mayManageRole } from './useAdmin.ts';

const me = (role: string, permissions: string[]): Me => ({
  kind: 'user',
  id: 'u',
  userId: 'u',
  tenantId: 't',
  role,
  department: null,
  teamIds: [],
  permissions,
});
const admin = me('admin', ['users:write', 'tokens:manage']);
const supervisor = me('supervisor', ['users:write', 'routing:manage']);
const agent = me('agent', ['users:read']);

describe('what the administration screens offer', () => {
  it.each([
    ['admin', 'admin', true],
    ['admin', 'supervisor', true],
    ['supervisor', 'agent', true],
    ['supervisor', 'outsourced_agent', true],
    ['supervisor', 'supervisor', false],
    ['supervisor', 'admin', false],
    ['agent', 'collaborator', false],
  ])('a %s may manage a %s: %s', (who, role, expected) => {
    expect(mayManageRole({ admin, supervisor, agent }[who]!, role)).toBe(expected);
  });

  it('opens administration for admins and supervisors, not for agents who only read the directory', () => {
    expect(mayAdminister(admin)).toBe(true);
    expect(mayAdminister(supervisor)).toBe(true);
    expect(mayAdminister(agent)).toBe(false);
    expect(mayAdminister(me('agent', []))).toBe(false);
  });
});
