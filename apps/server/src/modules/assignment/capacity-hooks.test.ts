import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../db/tables.ts';
import { freedAssignee } from './capacity-hooks.ts';

describe('freedAssignee', () => {
  const t = (assigneeId: string | null, status: TicketStatus) => ({ assigneeId, status });
  it.each([
    { name: 'the assignee solves it', before: t('a', 'open'), after: t('a', 'solved'), freed: 'a' },
    { name: 'the assignee closes it', before: t('a', 'pending'), after: t('a', 'closed'), freed: 'a' },
    { name: 'the assignee is removed', before: t('a', 'open'), after: t(null, 'open'), freed: 'a' },
    { name: 'the ticket moves to someone else', before: t('a', 'open'), after: t('b', 'open'), freed: 'a' },
    {
      name: 'a status change that keeps it open',
      before: t('a', 'open'),
      after: t('a', 'pending'),
      freed: null,
    },
    { name: 'nobody was assigned', before: t(null, 'open'), after: t('b', 'open'), freed: null },
    {
      name: 'already solved: it never counted',
      before: t('a', 'solved'),
      after: t('a', 'closed'),
      freed: null,
    },
  ])('$name', ({ before, after, freed }) => expect(freedAssignee(before, after)).toBe(freed));
});
