import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Kysely's view of the schema (camelCase through CamelCasePlugin; the database itself is snake_case).
 * Keep in step with migrations/.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, T | string | undefined, T | string>;

export type Role = 'admin' | 'supervisor' | 'agent' | 'outsourced_agent' | 'collaborator';
export type TokenRole = Role | 'integration';
export type Department = 'warehouse' | 'logistics' | 'purchasing';
export type Presence = 'online' | 'away' | 'offline';
export type TicketStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type Channel = 'web' | 'email' | 'api' | 'im' | 'phone' | 'platform';
export type ActorType = 'user' | 'token' | 'customer' | 'system';

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  settings: Json<Record<string, unknown>>;
  createdAt: Timestamp;
}

export interface LoginDirectoryTable {
  email: string;
  tenantId: string;
  userId: string;
}

export interface TenantCountersTable {
  tenantId: string;
  name: string;
  value: ColumnType<string, number | string | undefined, number | string>;
}

export interface UsersTable {
  tenantId: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  department: Department | null;
  passwordHash: string | null;
  capacity: Generated<number>;
  presence: Generated<Presence>;
  isActive: Generated<boolean>;
  expiresAt: NullableTimestamp;
  deactivatedAt: NullableTimestamp;
  lastLoginAt: NullableTimestamp;
  /** When assignment last gave this agent a ticket (0006b): round-robin among equals. */
  lastAssignedAt: NullableTimestamp;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface TeamsTable {
  tenantId: string;
  id: string;
  name: string;
  description: Generated<string>;
  isActive: Generated<boolean>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface TeamMembersTable {
  tenantId: string;
  teamId: string;
  userId: string;
  createdAt: Timestamp;
}

export interface SkillsTable {
  tenantId: string;
  id: string;
  code: string;
  name: string;
  kind: Generated<'category' | 'language' | 'vip' | 'channel' | 'other'>;
  isActive: Generated<boolean>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface UserSkillsTable {
  tenantId: string;
  userId: string;
  skillId: string;
  level: number;
}

export interface CustomerAddress {
  name?: string;
  phone?: string;
  province?: string;
  city?: string;
  district?: string;
  line1?: string;
  postalCode?: string;
  country?: string;
}

export interface CustomersTable {
  tenantId: string;
  id: string;
  name: Generated<string>;
  email: string | null;
  phone: string | null;
  tier: Generated<number>;
  address: Json<CustomerAddress | null>;
  notes: Generated<string>;
  isActive: Generated<boolean>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface CustomerIdentitiesTable {
  tenantId: string;
  kind: 'platform' | 'email' | 'phone';
  value: string;
  customerId: string;
  createdAt: Timestamp;
}

export interface TicketsTable {
  tenantId: string;
  id: string;
  number: ColumnType<string, number | string, never>;
  subject: string;
  status: Generated<TicketStatus>;
  priority: Generated<TicketPriority>;
  category: string | null;
  categoryConfidence: number | null;
  channel: Channel;
  tags: Generated<string[]>;
  fields: Json<Record<string, unknown>>;
  orderNumber: string | null;
  requesterId: string;
  assigneeId: string | null;
  teamId: string | null;
  slaPolicyId: string | null;
  firstResponseDueAt: NullableTimestamp;
  nextResponseDueAt: NullableTimestamp;
  resolutionDueAt: NullableTimestamp;
  nextDueAt: NullableTimestamp;
  firstRespondedAt: NullableTimestamp;
  solvedAt: NullableTimestamp;
  closedAt: NullableTimestamp;
  mergedIntoId: string | null;
  /** When the SLA warning is due; NULL once warned or without an SLA (0006c). */
  slaWarningAt: NullableTimestamp;
  /** When the sweep escalated the breach; NULL until then (0006c). */
  slaBreachedAt: NullableTimestamp;
  /** The shop the ticket's `orderNumber` belongs to (0011); with it, the ticket ↔ order link. */
  shopConnectionId: string | null;
  /** A tsvector literal on write (see search/cjk-tokenizer.ts); never selected by the API. */
  searchVector: ColumnType<string, string | undefined, string>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

export interface TicketMessagesTable {
  tenantId: string;
  id: string;
  ticketId: string;
  authorType: 'customer' | 'agent' | 'system';
  authorId: string | null;
  visibility: 'public' | 'internal';
  body: string;
  /** The channel's id of a customer message (0008), so a retried delivery is not added twice. */
  externalId: ColumnType<string | null, string | null | undefined, never>;
  createdAt: Timestamp;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface TicketEventsTable {
  tenantId: string;
  id: string;
  ticketId: string;
  actorType: ActorType;
  actorId: string | null;
  action: string;
  changes: Json<FieldChange[]>;
  createdAt: Timestamp;
}

export interface TicketSharesTable {
  tenantId: string;
  ticketId: string;
  department: Department;
  sharedBy: string | null;
  createdAt: Timestamp;
}

export interface AuditLogTable {
  tenantId: string;
  id: string;
  actorType: 'user' | 'token' | 'system' | 'anonymous';
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Json<Record<string, unknown>>;
  createdAt: Timestamp;
}

export interface SessionsTable {
  tenantId: string;
  idHash: string;
  userId: string;
  csrfToken: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: Timestamp;
  expiresAt: Timestamp;
}

export interface ApiTokensTable {
  tenantId: string;
  id: string;
  name: string;
  role: TokenRole;
  department: Department | null;
  userId: string | null;
  tokenHash: string;
  createdBy: string | null;
  createdAt: Timestamp;
  expiresAt: NullableTimestamp;
  revokedAt: NullableTimestamp;
  lastUsedAt: NullableTimestamp;
}

/** An idempotency key of intake (0004); status/response are NULL only inside the claiming transaction. */
export interface IdempotencyKeysTable {
  tenantId: string;
  key: string;
  requestHash: string;
  ticketId: string | null;
  status: number | null;
  response: Json<unknown>;
  createdAt: Timestamp;
}

/** Durable follow-up work written in the same transaction as its ticket (0004). */
export interface OutboxJobsTable {
  tenantId: string;
  id: string;
  kind: string;
  ticketId: string | null;
  payload: Json<Record<string, unknown>>;
  runAfter: Timestamp;
  attempts: Generated<number>;
  lastError: string | null;
  result: Json<Record<string, unknown> | null>;
  doneAt: NullableTimestamp;
  createdAt: Timestamp;
}

/** Customer portal access links: the secret's SHA-256 only; ticketId null = all the customer's tickets (0013). */
export interface PortalLinksTable {
  tenantId: string;
  id: string;
  customerId: string;
  ticketId: string | null;
  secretHash: string;
  expiresAt: Timestamp;
  createdAt: Timestamp;
  lastUsedAt: NullableTimestamp;
}

/** "Send me a link to my tickets", waiting for a mailer (0013). */
export interface PortalAccessRequestsTable {
  tenantId: string;
  id: string;
  customerId: string;
  email: string;
  createdAt: Timestamp;
  sentAt: NullableTimestamp;
}

/** Routing and SLA configuration (0006b). */
export interface BusinessCalendarsTable {
  tenantId: string;
  id: string;
  name: string;
  timeZone: string;
  hours: Json<'always' | Record<string, { start: string; end: string }[]>>;
  holidays: string[];
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface SlaTargetRow {
  priority: TicketPriority;
  minTier: number;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
}

export interface SlaPoliciesTable {
  tenantId: string;
  id: string;
  name: string;
  calendarId: string | null;
  warningRatio: Generated<number>;
  targets: Json<SlaTargetRow[]>;
  isDefault: Generated<boolean>;
  escalation: Json<SlaEscalation>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** What the SLA sweep does when a ticket breaches (0006c). */
export interface SlaEscalation {
  teamId?: string;
  assigneeId?: string;
  raisePriority?: boolean;
  tags?: string[];
}

export interface RoutingRulesTable {
  tenantId: string;
  id: string;
  name: string;
  position: number;
  enabled: Generated<boolean>;
  stopProcessing: Generated<boolean>;
  conditions: Json<Record<string, unknown>>;
  actions: Json<Record<string, unknown>>;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** The classifier per tenant (0010): override rules, agents' corrections, retrained tenant layers. */
export interface ClassifierRulesTable {
  tenantId: string;
  id: string;
  position: number;
  kind: 'keyword' | 'pattern';
  pattern: string;
  category: string;
  enabled: Generated<boolean>;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ClassifierExamplesTable {
  tenantId: string;
  id: string;
  ticketId: string;
  text: string;
  oldCategory: string | null;
  newCategory: string;
  actorType: ActorType;
  actorId: string | null;
  createdAt: Timestamp;
}

export interface ClassifierTenantModelsTable {
  tenantId: string;
  version: number;
  featureSpec: string;
  model: Json<Record<string, unknown>>;
  examples: number;
  lastExampleId: string | null;
  metrics: Json<Record<string, unknown>>;
  trainedAt: Timestamp;
}

export type ShopConnectionStatus = 'active' | 'disabled';

/** Per-shop knobs (0011); every one optional, defaults in shops/shop-settings.ts. */
export interface ShopSettings {
  /** How long the order panel serves a fetched order before asking the shop again. */
  cacheTtlSeconds?: number;
  /** Per shop call. */
  timeoutMs?: number;
  /** Reply to the customer when the order behind a shipping ticket ships or is delivered. */
  autoReplyOnShipment?: boolean;
}

/** A connected shop (0011). `credentials` and `webhookSecret` are SecretBox values, never plaintext. */
export interface ShopConnectionsTable {
  tenantId: string;
  id: string;
  kind: string;
  name: string;
  baseUrl: string;
  credentials: string;
  webhookSecret: string | null;
  settings: Json<ShopSettings>;
  status: Generated<ShopConnectionStatus>;
  isDefault: Generated<boolean>;
  lastTestedAt: NullableTimestamp;
  lastTestError: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

/** The last fetched state of a shop order (0011); `version`/`orderUpdatedAt` are the shop's. */
export interface OrderSnapshotsTable {
  tenantId: string;
  connectionId: string;
  orderId: string;
  orderNumber: string;
  customerExternalId: string | null;
  status: string;
  version: number;
  orderUpdatedAt: Timestamp;
  /** The normalised `Order` of @peakdesk/commerce. */
  snapshot: Json<Record<string, unknown>>;
  fetchedAt: Timestamp;
  isStale: Generated<boolean>;
  updatedAt: Timestamp;
}

/** Order events (0015): event ids taken per connection (duplicates drop out by the primary key). */
export interface ShopEventsTable {
  tenantId: string;
  connectionId: string;
  eventId: string;
  receivedAt: Timestamp;
}

/** One automatic shipment answer per ticket and shipment state (`<shipment id>:shipped|delivered`). */
export interface OrderAutoRepliesTable {
  tenantId: string;
  ticketId: string;
  shipmentKey: string;
  messageId: string;
  createdAt: Timestamp;
}

/** A return or exchange opened from a ticket (0017); status only moves forward (returns-progress.ts). */
export interface TicketReturnsTable {
  tenantId: string;
  id: string;
  ticketId: string;
  connectionId: string;
  orderId: string;
  orderNumber: string;
  kind: 'return' | 'exchange';
  mode: 'shop_return' | 'cancel_refund';
  idempotencyKey: string;
  externalId: string | null;
  status: string;
  lines: Json<{ lineId: string; quantity: number }[]>;
  reason: string;
  note: string | null;
  history: Json<{ status: string; at: string }[]>;
  error: string | null;
  actorType: ActorType;
  actorId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** How far reconciliation (`listChangedOrders(since)`) has read, per connection. */
export interface ShopSyncCursorsTable {
  tenantId: string;
  connectionId: string;
  since: Timestamp;
  lastRunAt: NullableTimestamp;
  lastError: string | null;
  updatedAt: Timestamp;
}

/** Department tasks (0012): departments with a lead, members, an OLA and a calendar; tasks and their threads. */
export type DepartmentKind = 'warehouse' | 'logistics' | 'purchasing' | 'other';

export interface DepartmentsTable {
  tenantId: string;
  id: string;
  name: string;
  kind: DepartmentKind;
  leadId: string | null;
  olaMinutes: Generated<number>;
  calendarId: string | null;
  onLastTaskClosed: Generated<'none' | 'note' | 'reopen'>;
  isActive: Generated<boolean>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface DepartmentMembersTable {
  tenantId: string;
  departmentId: string;
  userId: string;
  createdAt: Timestamp;
}

export interface TasksTable {
  tenantId: string;
  id: string;
  ticketId: string;
  departmentId: string;
  title: string;
  description: Generated<string>;
  status: Generated<'open' | 'in_progress' | 'done' | 'cancelled'>;
  ownerId: string | null;
  createdBy: string | null;
  dueAt: Timestamp;
  escalatedAt: NullableTimestamp;
  closedAt: NullableTimestamp;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

export interface TaskMessagesTable {
  tenantId: string;
  id: string;
  taskId: string;
  authorType: 'user' | 'token' | 'system';
  authorId: string | null;
  body: string;
  createdAt: Timestamp;
}

/** The payout ledger (0016): one row per refund/coupon/points/store-credit grant, inserted before the shop call. */
export interface PayoutsTable {
  tenantId: string;
  id: string;
  idempotencyKey: string;
  purpose: 'price_protection' | 'compensation';
  kind: 'refund' | 'coupon' | 'points' | 'store_credit';
  connectionId: string;
  ticketId: string | null;
  orderId: string | null;
  orderLineId: string | null;
  customerExternalId: string | null;
  /** Minor units of `currency`; a count for points (no currency). */
  amount: ColumnType<number, number, number>;
  currency: string | null;
  reason: string;
  status: Generated<'pending' | 'succeeded' | 'failed'>;
  shopReference: string | null;
  couponCode: string | null;
  error: string | null;
  actorType: 'user' | 'token' | 'system';
  actorId: string | null;
  approvalId: string | null;
  /** The claim on the shop call; NULL when nobody holds it. */
  attemptAt: NullableTimestamp;
  attempts: Generated<number>;
  createdAt: Timestamp;
  completedAt: NullableTimestamp;
}

export interface ApprovalRequestsTable {
  tenantId: string;
  id: string;
  kind: 'price_protection' | 'compensation';
  ticketId: string | null;
  teamId: string | null;
  requestedBy: string | null;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  amount: ColumnType<number, number, number>;
  currency: string | null;
  reason: string;
  payload: Json<Record<string, unknown>>;
  decidedBy: string | null;
  decidedAt: NullableTimestamp;
  decisionNote: string | null;
  createdAt: Timestamp;
}

export interface PriceProtectionChecksTable {
  tenantId: string;
  ticketId: string;
  connectionId: string;
  orderId: string;
  orderNumber: string;
  outcome: string;
  payable: ColumnType<number, number, number>;
  currency: string;
  lines: Json<unknown[]>;
  policy: Json<Record<string, unknown>>;
  approvalId: string | null;
  calculatedAt: Timestamp;
}

export interface PriceProtectionCampaignsTable {
  tenantId: string;
  id: string;
  connectionId: string;
  skus: string[];
  since: Timestamp;
  scope: 'requested' | 'all_affected';
  status: Generated<'running' | 'done' | 'failed'>;
  total: number | null;
  processed: Generated<number>;
  paid: Generated<number>;
  awaitingApproval: Generated<number>;
  failed: Generated<number>;
  error: string | null;
  createdBy: string | null;
  createdAt: Timestamp;
  finishedAt: NullableTimestamp;
}

export interface PriceProtectionCampaignItemsTable {
  tenantId: string;
  campaignId: string;
  orderId: string;
  orderNumber: string;
  ticketId: string | null;
  outcome: string;
  payable: Generated<number>;
  currency: string | null;
  error: string | null;
  completedAt: Timestamp;
}

export interface Database {
  tenants: TenantsTable;
  loginDirectory: LoginDirectoryTable;
  tenantCounters: TenantCountersTable;
  users: UsersTable;
  teams: TeamsTable;
  teamMembers: TeamMembersTable;
  skills: SkillsTable;
  userSkills: UserSkillsTable;
  customers: CustomersTable;
  customerIdentities: CustomerIdentitiesTable;
  tickets: TicketsTable;
  ticketMessages: TicketMessagesTable;
  ticketEvents: TicketEventsTable;
  ticketShares: TicketSharesTable;
  auditLog: AuditLogTable;
  sessions: SessionsTable;
  apiTokens: ApiTokensTable;
  idempotencyKeys: IdempotencyKeysTable;
  outboxJobs: OutboxJobsTable;
  businessCalendars: BusinessCalendarsTable;
  slaPolicies: SlaPoliciesTable;
  routingRules: RoutingRulesTable;
  departments: DepartmentsTable;
  departmentMembers: DepartmentMembersTable;
  tasks: TasksTable;
  taskMessages: TaskMessagesTable;
  shopConnections: ShopConnectionsTable;
  orderSnapshots: OrderSnapshotsTable;
  shopEvents: ShopEventsTable;
  orderAutoReplies: OrderAutoRepliesTable;
  shopSyncCursors: ShopSyncCursorsTable;
  ticketReturns: TicketReturnsTable;
  classifierRules: ClassifierRulesTable;
  classifierExamples: ClassifierExamplesTable;
  classifierTenantModels: ClassifierTenantModelsTable;
  portalLinks: PortalLinksTable;
  portalAccessRequests: PortalAccessRequestsTable;
  payouts: PayoutsTable;
  approvalRequests: ApprovalRequestsTable;
  priceProtectionChecks: PriceProtectionChecksTable;
  priceProtectionCampaigns: PriceProtectionCampaignsTable;
  priceProtectionCampaignItems: PriceProtectionCampaignItemsTable;
}

export type UserRow = Selectable<UsersTable>;
export type TicketRow = Selectable<TicketsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type TicketUpdate = Updateable<TicketsTable>;
export type CustomerRow = Selectable<CustomersTable>;
