import { describe, expect, it } from 'vitest';
import { newForQueue, reconnectDelay, type LiveEvent } from './live-events.ts';

const created: LiveEvent = {
  type: 'ticket.created',
  at: '2026-11-11T00:00:00Z',
  tickets: [
    { id: '1', teamId: 'a', assigneeId: 'me' },
    { id: '2', teamId: 'a', assigneeId: null },
    { id: '3', teamId: 'b', assigneeId: null },
  ],
};

describe('newForQueue', () => {
  const cases: Array<[string, string | undefined, number]> = [
    ['mine', undefined, 1],
    ['team', 'a', 2],
    ['team', 'c', 0],
    ['unassigned', undefined, 2],
    ['all', undefined, 3],
    ['breaching', undefined, 0],
  ];
  for (const [view, teamId, expected] of cases) {
    it(`counts ${expected} new for ${view} ${teamId ?? ''}`, () => {
      expect(newForQueue(created, { view, userId: 'me', teamId })).toBe(expected);
    });
  }
  it('counts nothing for other events', () => {
    expect(newForQueue({ ...created, type: 'ticket.updated' }, { view: 'all', userId: null })).toBe(0);
  });
});

describe('reconnectDelay', () => {
  it('doubles from 1 s up to 30 s', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 4, 5, 9].map((a) => reconnectDelay(a, mid))).toEqual([
      1000, 2000, 4000, 16000, 30000, 30000,
    ]);
  });
  it('jitters within ±20%', () => {
    expect(reconnectDelay(0, () => 0)).toBe(800);
    expect(reconnectDelay(0, () => 1)).toBe(1200);
  });
});
