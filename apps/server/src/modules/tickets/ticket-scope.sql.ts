import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../db/tables.ts';
import type { TicketScope } from '../access/permissions.ts';

/**
 * The visibility rule of a TicketScope as a predicate on `tickets`, so that the database never returns a row
 * the actor may not see (outsiders: their teams' tickets; collaborators: tickets shared with their
 * department). Every repository query on tickets goes through it.
 */
export function inScope(scope: TicketScope) {
  return (eb: ExpressionBuilder<Database, 'tickets'>): Expression<SqlBool> => {
    switch (scope.kind) {
      case 'all':
        return sql<SqlBool>`true`;
      case 'teams':
        return scope.teamIds.length ? eb('tickets.teamId', 'in', [...scope.teamIds]) : sql<SqlBool>`false`;
      case 'department':
        return scope.department
          ? eb.exists(
              eb
                .selectFrom('ticketShares')
                .select(sql<number>`1`.as('one'))
                .whereRef('ticketShares.tenantId', '=', 'tickets.tenantId')
                .whereRef('ticketShares.ticketId', '=', 'tickets.id')
                .where('ticketShares.department', '=', scope.department),
            )
          : sql<SqlBool>`false`;
    }
  };
}
