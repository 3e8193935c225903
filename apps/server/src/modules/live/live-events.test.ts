import { describe, expect, it } from 'vitest';
import type { TokenRole } from '../../db/tables.ts';
import { ticketEvent, visibleTo, type LiveEvent } from './live-events.ts';

const AT = new Date('2026-11-11T00:00:00Z');
const event = ticketEvent(
  'ticket.created',
  [
    { id: 't1', teamId: 'a', assigneeId: null },
    { id: 't2', teamId: 'b', assigneeId: null },
    { id: 't3', teamId: null, assigneeId: null },
  ],
  AT,
);
const presence: LiveEvent = { type: 'agent.presence', userId: 'u', presence: 'online', at: AT.toISOString() };

const ids = (e: LiveEvent | null) => (e && 'tickets' in e ? e.tickets.map((t) => t.id) : null);

describe('visibleTo', () => {
  const cases: Array<[TokenRole, string[], string[] | null, boolean]> = [
    // role, teams, ticket ids seen, sees presence
    ['admin', [], ['t1', 't2', 't3'], true],
    ['supervisor', [], ['t1', 't2', 't3'], true],
    ['agent', ['a'], ['t1', 't2', 't3'], true],
    ['integration', [], ['t1', 't2', 't3'], false],
    ['outsourced_agent', ['a'], ['t1'], true],
    ['outsourced_agent', ['a', 'b'], ['t1', 't2'], true],
    ['outsourced_agent', ['c'], null, true],
    ['outsourced_agent', [], null, true],
    ['collaborator', [], null, false],
  ];
  for (const [role, teamIds, seen, seesPresence] of cases) {
    it(`${role} in [${teamIds.join(',')}] sees ${seen ? seen.join(',') : 'no ticket event'}`, () => {
      expect(ids(visibleTo({ role, teamIds }, event))).toEqual(seen);
      expect(visibleTo({ role, teamIds }, presence) !== null).toBe(seesPresence);
    });
  }
});
