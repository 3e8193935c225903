import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../db/tables.ts';
import { canTransition, isOpenStatus, timestampsAfter } from './ticket-status.ts';

const ALL: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];

describe('canTransition', () => {
  it.each([
    ['new', 'open', true],
    ['new', 'solved', true],
    ['open', 'pending', true],
    ['pending', 'open', true],
    ['on_hold', 'solved', true],
    ['solved', 'open', true],
    ['solved', 'closed', true],
    ['open', 'new', false],
    ['solved', 'new', false],
    ['closed', 'open', false],
    ['closed', 'solved', false],
  ] as const)('%s → %s is %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('lets every status stay as it is and closes nothing back open', () => {
    for (const status of ALL) expect(canTransition(status, status)).toBe(true);
    for (const to of ALL) expect(canTransition('closed', to)).toBe(to === 'closed');
  });

  it('counts only solved and closed as not open', () => {
    expect(ALL.filter(isOpenStatus)).toEqual(['new', 'open', 'pending', 'on_hold']);
  });
});

describe('timestampsAfter', () => {
  const now = new Date('2026-11-11T00:00:00Z');
  const earlier = new Date('2026-11-10T00:00:00Z');

  it.each([
    ['solved', { solvedAt: null, closedAt: null }, { solvedAt: now, closedAt: null }],
    ['solved', { solvedAt: earlier, closedAt: null }, { solvedAt: now, closedAt: null }],
    ['open', { solvedAt: earlier, closedAt: null }, { solvedAt: null, closedAt: null }],
    ['closed', { solvedAt: earlier, closedAt: null }, { solvedAt: earlier, closedAt: now }],
    ['closed', { solvedAt: null, closedAt: null }, { solvedAt: now, closedAt: now }],
  ] as const)('moving to %s from %o gives %o', (to, current, expected) => {
    expect(timestampsAfter(to, current, now)).toEqual(expected);
  });
});
