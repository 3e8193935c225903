import type { Db } from '../db/database.ts';
import type { Actor } from '../modules/access/permissions.ts';
import { DepartmentService } from '../modules/tasks/department.service.ts';
import { TaskService } from '../modules/tasks/task.service.ts';

/**
 * The demo's departments and a few open tasks, so the ticket view's Tasks panel and the department queue show
 * something on first start: the warehouse (lead: the warehouse collaborator, on the 9–21 calendar), logistics
 * and purchasing, and tasks on the first seeded tickets. Deterministic: the oldest tickets by number.
 */
export async function seedDemoDepartments(db: Db, tenantId: string, adminUserId: string): Promise<void> {
  const admin: Actor = {
    tenantId,
    kind: 'user',
    id: adminUserId,
    userId: adminUserId,
    role: 'admin',
    department: null,
    teamIds: [],
  };
  const users = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('tenantId', '=', tenantId)
    .execute();
  const byEmail = (prefix: string) => users.find((u) => u.email.startsWith(prefix))?.id ?? null;
  const calendar = await db
    .selectFrom('businessCalendars')
    .select('id')
    .where('tenantId', '=', tenantId)
    .orderBy('name')
    .executeTakeFirst();
  const departments = new DepartmentService(db);
  const warehouseLead = byEmail('warehouse@');
  const warehouse = await departments.create(
    admin,
    {
      name: '仓库 Warehouse',
      kind: 'warehouse',
      leadId: warehouseLead,
      memberIds: warehouseLead ? [warehouseLead] : [],
      olaMinutes: 240,
      calendarId: calendar?.id ?? null,
      onLastTaskClosed: 'reopen',
    },
    null,
  );
  const logistics = await departments.create(
    admin,
    { name: '物流 Logistics', kind: 'logistics', leadId: byEmail('zhang.wei@'), olaMinutes: 120 },
    null,
  );
  await departments.create(
    admin,
    { name: '采购 Purchasing', kind: 'purchasing', leadId: byEmail('lead@'), olaMinutes: 480 },
    null,
  );
  const tickets = await db
    .selectFrom('tickets')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('status', 'in', ['new', 'open', 'pending'])
    .orderBy('number')
    .limit(2)
    .execute();
  const tasks = new TaskService(db);
  const [first, second] = tickets;
  if (first) {
    await tasks.create(admin, first.id, {
      departmentId: warehouse.id,
      title: '核对包裹重量 Check the package weight',
      description: '顾客说收到的包裹比订单轻，请称重并拍照。',
    });
  }
  if (second) {
    await tasks.create(admin, second.id, {
      departmentId: logistics.id,
      title: '向承运商发起理赔 File a claim with the carrier',
    });
  }
}
