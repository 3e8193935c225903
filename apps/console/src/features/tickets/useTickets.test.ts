import { describe, expect, it } from 'vitest';
import { queueQuery, type QueueFilters } from './useTickets.ts';
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
