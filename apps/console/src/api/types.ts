/** The shapes the console reads, as in apps/server/src/modules/tickets/ticket.schemas.ts and auth.routes.ts. */

export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Status = (typeof STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];

export interface Me {
  kind: string;
  id: string;
  userId: string | null;
  tenantId: string;
  role: string;
  department: string | null;
  teamIds: string[];
  /** What the API lets this user do (apps/server/src/modules/access/permissions.ts). */
  permissions?: string[];
}

export interface Session {
  csrfToken: string;
  expiresAt: string;
  tenantId: string;
  user: { id: string; email: string; name: string; role: string };
}

export interface Sla {
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
  nextDueAt: string | null;
  state?: 'ok' | 'warning' | 'breached' | 'paused' | 'none';
}

export interface TicketSummary {
  id: string;
  number: number;
  subject: string;
  status: Status;
  priority: Priority;
  category: string | null;
  categoryConfidence?: number | null;
  channel: string;
  tags: string[];
  orderNumber: string | null;
  requesterId: string;
  assigneeId: string | null;
  teamId: string | null;
  sla: Sla;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Message {
  id: string;
  ticketId: string;
  authorType: string;
  authorId: string | null;
  visibility: 'public' | 'internal';
  body: string;
  createdAt: string;
}

export interface TicketDetail extends TicketSummary {
  fields: Record<string, unknown>;
  requester: {
    id: string;
    name: string;
    email: string | null;
    phone: string | null;
    tier: number;
    address: Record<string, string | undefined> | null;
  };
  messages: Message[];
  shares: Array<{ department: string; sharedBy: string | null; createdAt: string }>;
}

export interface TicketEvent {
  id: string;
  actor: { type: string; id: string | null };
  action: string;
  changes: Array<{ field: string; before: unknown; after: unknown }>;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
