import { Type } from '@fastify/type-provider-typebox';
import { IsoDateTime, Limit, Uuid } from '../../http/schemas.ts';

/** TypeBox schemas of departments, tasks and task threads. */
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
export const DepartmentKindSchema = Type.Union([
  Type.Literal('warehouse'),
  Type.Literal('logistics'),
  Type.Literal('purchasing'),
  Type.Literal('other'),
]);
export const LastTaskPolicySchema = Type.Union(
  [Type.Literal('none'), Type.Literal('note'), Type.Literal('reopen')],
  {
    description:
      'When a ticket’s last open task closes: nothing, an internal note, or the note and pending/on-hold/solved → open',
  },
);
export const TaskStatusSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('in_progress'),
  Type.Literal('done'),
  Type.Literal('cancelled'),
]);

const DepartmentFields = {
  name: Name,
  kind: DepartmentKindSchema,
  leadId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  memberIds: Type.Optional(Type.Array(Uuid, { maxItems: 500, uniqueItems: true })),
  olaMinutes: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 525_600, description: 'Business minutes to a new task’s due time' }),
  ),
  calendarId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  onLastTaskClosed: Type.Optional(LastTaskPolicySchema),
  isActive: Type.Optional(Type.Boolean()),
};
export const DepartmentBody = Type.Object(DepartmentFields, { additionalProperties: false });
export const DepartmentPatch = Type.Object(
  {
    name: Type.Optional(Name),
    kind: Type.Optional(DepartmentKindSchema),
    leadId: DepartmentFields.leadId,
    memberIds: DepartmentFields.memberIds,
    olaMinutes: DepartmentFields.olaMinutes,
    calendarId: DepartmentFields.calendarId,
    onLastTaskClosed: DepartmentFields.onLastTaskClosed,
    isActive: DepartmentFields.isActive,
  },
  { additionalProperties: false, minProperties: 1 },
);
export const DepartmentView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  leadId: Type.Union([Type.String(), Type.Null()]),
  memberIds: Type.Array(Type.String()),
  olaMinutes: Type.Integer(),
  calendarId: Type.Union([Type.String(), Type.Null()]),
  onLastTaskClosed: Type.String(),
  isActive: Type.Boolean(),
  updatedAt: Type.String(),
});

export const NewTaskBody = Type.Object(
  {
    departmentId: Uuid,
    title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    dueAt: Type.Optional(IsoDateTime),
  },
  { additionalProperties: false },
);
export const TaskPatch = Type.Object(
  {
    status: Type.Optional(TaskStatusSchema),
    ownerId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const TaskMessageBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 20_000, pattern: '\\S' }) },
  { additionalProperties: false },
);
export const TaskQuerySchema = Type.Object(
  {
    departmentId: Type.Optional(Uuid),
    status: Type.Optional(Type.Array(TaskStatusSchema, { maxItems: 4 })),
    mine: Type.Optional(Type.Boolean()),
    escalated: Type.Optional(
      Type.Boolean({
        description: 'true: only tasks escalated past their OLA (the lead’s view); false: only others',
      }),
    ),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export const PageQuery = Type.Object(
  { limit: Type.Optional(Limit), cursor: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);

const Nullable = Type.Union([Type.String(), Type.Null()]);
export const TaskView = Type.Object({
  id: Type.String(),
  ticket: Type.Object({
    id: Type.String(),
    number: Type.Integer(),
    subject: Type.String(),
    status: Type.String(),
  }),
  departmentId: Type.String(),
  title: Type.String(),
  description: Type.String(),
  status: Type.String(),
  ownerId: Nullable,
  createdBy: Nullable,
  dueAt: Type.String(),
  dueState: Type.String({ description: 'closed | ok | due_soon (within an hour) | overdue | escalated' }),
  escalatedAt: Nullable,
  closedAt: Nullable,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
});
export const TaskMessageView = Type.Object({
  id: Type.String(),
  taskId: Type.String(),
  authorType: Type.String(),
  authorId: Nullable,
  body: Type.String(),
  createdAt: Type.String(),
});
