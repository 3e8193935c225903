import type { Db } from '../db/database.ts';
import type { Department, Role } from '../db/tables.ts';
import { uuidv7 } from '../lib/ids.ts';
import { hashPassword } from '../lib/secrets.ts';
import { createTenant, findTenantBySlug } from '../modules/tenants/tenant.service.ts';
import { insertUser } from '../modules/users/user.repository.ts';
import { seedDemoDepartments } from './demo-departments.seed.ts';
import { seedDemoRouting } from './demo-routing.seed.ts';
import { seedDemoTickets } from './demo-tickets.seed.ts';
import { DEMO_SLUG, DEMO_STAFF_PASSWORD } from './demo.constants.ts';

export { DEMO_SLUG, DEMO_STAFF_PASSWORD };

interface DemoStaff {
  email: string;
  name: string;
  role: Role;
  department?: Department;
  teams: string[];
  skills: Array<[string, number]>;
}

const TEAMS = ['售前咨询 Pre-sales', '售后服务 After-sales', '物流专线 Logistics', 'VIP 专席'];
const SKILLS: Array<[code: string, name: string, kind: 'category' | 'language' | 'vip']> = [
  ['shipping_eta', '发货时效', 'category'],
  ['logistics', '物流查询', 'category'],
  ['price_protection', '价保', 'category'],
  ['refund', '退款', 'category'],
  ['return_exchange', '退换货', 'category'],
  ['lang:zh', '中文', 'language'],
  ['lang:en', 'English', 'language'],
  ['vip', 'VIP 接待', 'vip'],
];
const STAFF: DemoStaff[] = [
  {
    email: 'lead@demo.peakdesk.local',
    name: '王主管',
    role: 'supervisor',
    teams: [TEAMS[0]!, TEAMS[1]!],
    skills: [
      ['vip', 5],
      ['lang:zh', 5],
    ],
  },
  {
    email: 'li.na@demo.peakdesk.local',
    name: '李娜',
    role: 'agent',
    teams: [TEAMS[1]!],
    skills: [
      ['refund', 4],
      ['return_exchange', 4],
      ['lang:zh', 5],
    ],
  },
  {
    email: 'zhang.wei@demo.peakdesk.local',
    name: '张伟',
    role: 'agent',
    teams: [TEAMS[0]!, TEAMS[2]!],
    skills: [
      ['shipping_eta', 5],
      ['logistics', 4],
      ['lang:zh', 5],
      ['lang:en', 3],
    ],
  },
  {
    email: 'emma@demo.peakdesk.local',
    name: 'Emma Chen',
    role: 'agent',
    teams: [TEAMS[3]!],
    skills: [
      ['vip', 5],
      ['price_protection', 4],
      ['lang:en', 5],
      ['lang:zh', 4],
    ],
  },
  {
    email: 'temp01@outsource.example',
    name: '外包-小刘',
    role: 'outsourced_agent',
    teams: [TEAMS[0]!],
    skills: [
      ['shipping_eta', 3],
      ['lang:zh', 4],
    ],
  },
  {
    email: 'warehouse@demo.peakdesk.local',
    name: '仓库-老陈',
    role: 'collaborator',
    department: 'warehouse',
    teams: [],
    skills: [],
  },
];

/**
 * Seeds the demo tenant on first start: the admin, a supervisor, agents, an outsourced agent, a warehouse
 * collaborator, teams and skills, then ~300 tickets (demo-tickets.seed.ts) and the departments with a few
 * tasks (demo-departments.seed.ts). Does nothing when the demo tenant exists. Returns whether it seeded.
 */
export async function seedDemoTenant(db: Db, admin: { email: string; password: string }): Promise<boolean> {
  if (await findTenantBySlug(db, DEMO_SLUG)) return false;
  const { tenantId, adminUserId } = await createTenant(db, {
    slug: DEMO_SLUG,
    name: '峰值旗舰店 PeakDesk Demo',
    adminEmail: admin.email,
    adminPassword: admin.password,
    adminName: '管理员 Admin',
  });
  const staffHash = await hashPassword(DEMO_STAFF_PASSWORD);
  await db.transaction().execute(async (tx) => {
    const now = new Date();
    const teamIds = new Map<string, string>();
    for (const name of TEAMS) {
      const id = uuidv7();
      teamIds.set(name, id);
      await tx.insertInto('teams').values({ tenantId, id, name, createdAt: now, updatedAt: now }).execute();
    }
    await seedDemoRouting(tx, tenantId, {
      preSales: teamIds.get(TEAMS[0]!)!,
      afterSales: teamIds.get(TEAMS[1]!)!,
      logistics: teamIds.get(TEAMS[2]!)!,
      vip: teamIds.get(TEAMS[3]!)!,
    });
    const skillIds = new Map<string, string>();
    for (const [code, name, kind] of SKILLS) {
      const id = uuidv7();
      skillIds.set(code, id);
      await tx
        .insertInto('skills')
        .values({ tenantId, id, code, name, kind, createdAt: now, updatedAt: now })
        .execute();
    }
    for (const person of STAFF) {
      const id = uuidv7();
      await insertUser(tx, {
        tenantId,
        id,
        email: person.email,
        name: person.name,
        role: person.role,
        department: person.department ?? null,
        passwordHash: staffHash,
      });
      for (const team of person.teams) {
        await tx
          .insertInto('teamMembers')
          .values({ tenantId, teamId: teamIds.get(team)!, userId: id, createdAt: now })
          .execute();
      }
      for (const [code, level] of person.skills) {
        await tx
          .insertInto('userSkills')
          .values({ tenantId, userId: id, skillId: skillIds.get(code)!, level })
          .execute();
      }
    }
  });
  await seedDemoTickets(db, tenantId, adminUserId);
  await seedDemoDepartments(db, tenantId, adminUserId);
  return true;
}
