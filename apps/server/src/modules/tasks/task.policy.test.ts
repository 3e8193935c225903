import { describe, expect, it } from 'vitest';
import type { TokenRole } from '../../db/tables.ts';
import type { Actor } from '../access/permissions.ts';
import { assertMayChangeTask, assertMayClaim, taskScope } from './task.policy.ts';

const actor = (role: TokenRole, userId: string | null = 'u1'): Actor => ({
  tenantId: 't',
  kind: userId ? 'user' : 'token',
  id: userId ?? 'tok',
  userId,
  role,
  department: role === 'collaborator' ? 'warehouse' : null,
  teamIds: ['team-a'],
});

describe('taskScope', () => {
  const table: Array<[TokenRole, ReturnType<typeof taskScope>]> = [
    ['admin', { tickets: { kind: 'all' }, memberId: 'u1' }],
    ['agent', { tickets: { kind: 'all' }, memberId: 'u1' }],
    ['outsourced_agent', { tickets: { kind: 'teams', teamIds: ['team-a'] }, memberId: 'u1' }],
    // A collaborator sees its departments' tasks only, never tasks through a shared ticket.
    ['collaborator', { tickets: null, memberId: 'u1' }],
  ];
  for (const [role, expected] of table) {
    it(`${role}`, () => expect(taskScope(actor(role))).toEqual(expected));
  }
});

describe('who may change a task', () => {
  const table: Array<
    [string, TokenRole, boolean, { status?: 'done' | 'cancelled'; ownerId?: string }, boolean]
  > = [
    ['a member finishes it', 'collaborator', true, { status: 'done' }, true],
    ['a member hands it on', 'collaborator', true, { ownerId: 'u2' }, true],
    ['a supervisor reassigns outside the department', 'supervisor', false, { ownerId: 'u2' }, true],
    ['the ticket’s agent cancels it', 'agent', false, { status: 'cancelled' }, true],
    ['the ticket’s agent may not mark it done', 'agent', false, { status: 'done' }, false],
    ['the ticket’s agent may not assign it', 'agent', false, { ownerId: 'u2' }, false],
    [
      'a collaborator of another department may not cancel',
      'collaborator',
      false,
      { status: 'cancelled' },
      false,
    ],
  ];
  for (const [name, role, isMember, change, allowed] of table) {
    it(name, () => {
      const run = () => assertMayChangeTask(actor(role), isMember, change);
      if (allowed) expect(run).not.toThrow();
      else expect(run).toThrow();
    });
  }

  it('claims only for members with a user behind them', () => {
    expect(assertMayClaim(actor('collaborator'), true)).toBe('u1');
    expect(() => assertMayClaim(actor('agent'), false)).toThrow();
    expect(() => assertMayClaim(actor('integration', null), true)).toThrow();
  });
});
