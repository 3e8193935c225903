import { describe, expect, it } from 'vitest';
import type { TicketSummary } from '../../api/types.ts';
import { cutAtHorizon, queueQuery, type QueueFilters } from './useTickets.ts';
import { ticketIdFromHash } from './useSelectedTicket.ts';

const base: QueueFilters = { view: 'all', status: [], priority: [], q: '' };
const TEAM = '0190a6d2-7c1e-7000-8000-000000000001';

describe('queueQuery', () => {
  it.each<[string, QueueFilters, Record<string, unknown>]>([
    ['mine: my tickets in SLA order', { ...base, view: 'mine' }, { assigneeId: 'me', sort: 'nextDueAt' }],
    [
      'team: the team in SLA order',
      { ...base, view: 'team', teamId: TEAM },
      { teamId: TEAM, sort: 'nextDueAt' },
    ],
    [
      'unassigned: nobody’s tickets',
      { ...base, view: 'unassigned' },
      { assigneeId: 'none', sort: 'nextDueAt' },
    ],
    [
      'breaching: new and open tickets in SLA order',
      { ...base, view: 'breaching' },
      { sort: 'nextDueAt', status: ['new', 'open'] },
    ],
    ['all: newest first', base, { sort: '-createdAt' }],
    [
      'filters and a trimmed search',
      { ...base, status: ['open', 'pending'], priority: ['urgent'], q: '  退款 ' },
      { sort: '-createdAt', status: ['open', 'pending'], priority: ['urgent'], q: '退款' },
    ],
    ['a blank search is no search', { ...base, q: '   ' }, { sort: '-createdAt' }],
  ])('%s', (_name, filters, expected) => {
    const query = Object.fromEntries(Object.entries(queueQuery(filters)).filter(([, v]) => v !== undefined));
    expect(query).toEqual({ ...expected, limit: '50' });
  });
});

describe('ticketIdFromHash', () => {
  it.each([
    [`#/tickets/${TEAM}`, TEAM],
    ['#/tickets/123', null],
    ['', null],
    [`#/tickets/${TEAM}/history`, null],
  ])('%s → %s', (hash, expected) => {
    expect(ticketIdFromHash(hash)).toBe(expected);
  });
});

describe('cutAtHorizon', () => {
  const ticket = (id: string, due: string | null) =>
    ({ id, sla: { nextDueAt: due } }) as unknown as TicketSummary;
  const horizon = Date.parse('2026-11-11T02:00:00Z');

  it('keeps due tickets and asks for more while the whole page is due', () => {
    const page = { items: [ticket('a', '2026-11-11T01:00:00Z')], nextCursor: 'c' };
    expect(cutAtHorizon([page], horizon)).toEqual({ items: [page.items[0]], more: true });
  });

  it('stops at the first ticket past the horizon (or without a due time)', () => {
    const page = {
      items: [ticket('a', '2026-11-11T01:00:00Z'), ticket('b', '2026-11-11T03:00:00Z'), ticket('c', null)],
      nextCursor: 'c',
    };
    expect(cutAtHorizon([page], horizon)).toEqual({ items: [page.items[0]], more: false });
  });
});
