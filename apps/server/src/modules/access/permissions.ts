import type { Department, TokenRole } from '../../db/tables.ts';

/**
 * The role matrix: which role may do what. Pure, so the whole matrix is tested table-driven. Which *rows* an
 * actor sees is the other half (ticketScope); both are enforced on the server for every route.
 */
export const PERMISSIONS = [
  'tickets:read',
  'tickets:create',
  'tickets:update',
  'tickets:reply',
  'tickets:note',
  'tickets:merge',
  'tickets:share',
  /** Add a customer's follow-up message to a ticket (channels, integrations, an agent relaying a call). */
  'tickets:customer_message',
  'customers:read',
  'customers:write',
  'users:read',
  'users:write',
  /** Read your own account and set your own presence; every role with a user behind it. */
  'users:self',
  'teams:read',
  'teams:write',
  'skills:read',
  'skills:write',
  'tokens:manage',
  'audit:read',
  /** Routing rules (and trying them on a sample ticket). */
  'routing:manage',
  /** SLA policies and business calendars. */
  'sla:manage',
  /** Connected shops: credentials, webhook secrets, settings, connection tests (admins only). */
  'shops:manage',
  /** The supervisor's floor: live numbers (GET /stats/floor) and bulk reassignment (POST /tickets/bulk). */
  'floor:manage',
  /** Department tasks: staff see those of tickets they see, members their departments' (task.policy.ts). */
  'tasks:read',
  /** Ask a department for something from a ticket. */
  'tasks:create',
  /** Status, owner, claim and the thread; task.policy.ts narrows it to members (the ticket's side may cancel). */
  'tasks:work',
  /** Departments: lead, members, OLA, calendar, what closing a ticket's last task does. */
  'departments:manage',
  /** Classifier override rules and tenant retraining (admins only). */
  'classifier:manage',
  /** Grant compensation from a ticket: at once within the role's caps, else it asks for approval (issue 6). */
  'compensation:grant',
  /** See and decide approval requests for money out (supervisors: their teams'; admins: all). */
  'approvals:decide',
  /** Price-protection runs after a campaign price drop. */
  'price_protection:campaigns',
  /** The tenant's price-protection policy and compensation caps (admins only). */
  'aftersales:settings',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;
const DIRECTORY_READ: readonly Permission[] = ['users:read', 'teams:read', 'skills:read'];
const TICKET_WORK: readonly Permission[] = [
  'tickets:read',
  'tickets:create',
  'tickets:update',
  'tickets:reply',
  'tickets:note',
];

const TASK_WORK: readonly Permission[] = ['tasks:read', 'tasks:create', 'tasks:work'];

const MATRIX: Record<TokenRole, ReadonlySet<Permission>> = {
  admin: new Set(ALL),
  supervisor: new Set(
    ALL.filter(
      (p) =>
        p !== 'tokens:manage' &&
        p !== 'classifier:manage' &&
        p !== 'shops:manage' &&
        p !== 'aftersales:settings',
    ),
  ),
  agent: new Set([
    ...TICKET_WORK,
    'tickets:merge',
    'tickets:share',
    'tickets:customer_message',
    'customers:read',
    'customers:write',
    ...DIRECTORY_READ,
    'users:self',
    ...TASK_WORK,
    'compensation:grant',
  ]),
  // Outsourced agents grant only on their teams' tickets (ticket scope) and within their own, lower caps.
  outsourced_agent: new Set([
    ...TICKET_WORK,
    'customers:read',
    ...DIRECTORY_READ,
    'users:self',
    ...TASK_WORK,
    'compensation:grant',
  ]),
  // Department members work their departments' tasks (task.policy.ts), never tickets beyond what is shared.
  collaborator: new Set(['tickets:read', 'tickets:note', 'users:self', 'tasks:read', 'tasks:work']),
  integration: new Set([
    ...TICKET_WORK,
    'tickets:customer_message',
    'customers:read',
    'customers:write',
    ...DIRECTORY_READ,
  ]),
};

/** Who is calling: a signed-in user, or an API token (which may act for a user). */
export interface Actor {
  tenantId: string;
  kind: 'user' | 'token';
  /** The user id for a session, the token id for a token. */
  id: string;
  /** The user a session or a user-bound token acts for. */
  userId: string | null;
  role: TokenRole;
  department: Department | null;
  /** Teams of the acting user; empty for a standalone token. */
  teamIds: readonly string[];
}

export function can(actor: Pick<Actor, 'role'>, permission: Permission): boolean {
  return MATRIX[actor.role].has(permission);
}

export const ROLES: readonly TokenRole[] = Object.keys(MATRIX) as TokenRole[];

/** What a role may do, in PERMISSIONS order (the console shows only what these allow). */
export function permissionsOf(role: TokenRole): Permission[] {
  return PERMISSIONS.filter((permission) => MATRIX[role].has(permission));
}

export type TicketScope =
  | { kind: 'all' }
  | { kind: 'teams'; teamIds: readonly string[] }
  | { kind: 'department'; department: Department | null };

/** Which tickets an actor may see at all. Outsiders see their teams' tickets; collaborators what was shared. */
export function ticketScope(actor: Actor): TicketScope {
  switch (actor.role) {
    case 'admin':
    case 'supervisor':
    case 'agent':
    case 'integration':
      return { kind: 'all' };
    case 'outsourced_agent':
      return { kind: 'teams', teamIds: actor.teamIds };
    case 'collaborator':
      return { kind: 'department', department: actor.department };
  }
}

/** Outsourced agents and department collaborators see customers' contact data masked. */
export function seesMaskedPii(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'outsourced_agent' || actor.role === 'collaborator';
}

const ROLE_RANK: Record<TokenRole, number> = {
  collaborator: 1,
  integration: 1,
  outsourced_agent: 1,
  agent: 2,
  supervisor: 3,
  admin: 4,
};

/** A supervisor manages agents and outsiders but not admins or other supervisors; an admin manages all. */
export function canManageRole(actor: Pick<Actor, 'role'>, targetRole: TokenRole): boolean {
  if (actor.role === 'admin') return true;
  return can(actor, 'users:write') && ROLE_RANK[targetRole] < ROLE_RANK[actor.role];
}
