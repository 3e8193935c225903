import { Layout, Menu, Result } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/types.ts';
import { AuditSection } from './AuditSection.tsx';
import { ImportSection } from './ImportSection.tsx';
import { RolesSection } from './RolesSection.tsx';
import { RoutingSection } from './RoutingSection.tsx';
import { ShopsSection } from './ShopsSection.tsx';
import { SkillsSection } from './SkillsSection.tsx';
import { SlaSection } from './SlaSection.tsx';
import { TeamsSection } from './TeamsSection.tsx';
import { TokensSection } from './TokensSection.tsx';
import { UsersSection } from './UsersSection.tsx';
import { hasPermission, type AdminPermission } from './useAdmin.ts';

interface Section {
  key: string;
  permission: AdminPermission;
  render: (me: Me) => React.ReactNode;
}

/** Each section appears only for users whose role the API lets do it (permissions from /auth/me). */
const SECTIONS: Section[] = [
  { key: 'users', permission: 'users:read', render: (me) => <UsersSection me={me} /> },
  { key: 'import', permission: 'users:write', render: () => <ImportSection /> },
  { key: 'teams', permission: 'teams:read', render: (me) => <TeamsSection me={me} /> },
  { key: 'skills', permission: 'skills:read', render: (me) => <SkillsSection me={me} /> },
  { key: 'roles', permission: 'users:read', render: () => <RolesSection /> },
  { key: 'routing', permission: 'routing:manage', render: () => <RoutingSection /> },
  { key: 'sla', permission: 'sla:manage', render: () => <SlaSection /> },
  { key: 'shops', permission: 'shops:manage', render: () => <ShopsSection /> },
  { key: 'tokens', permission: 'tokens:manage', render: () => <TokensSection /> },
  { key: 'audit', permission: 'audit:read', render: () => <AuditSection /> },
];

/** The section from the hash: `#/admin/teams` → 'teams'. */
export function adminSectionFromHash(hash: string): string | null {
  return /^#\/admin\/([a-z-]+)/.exec(hash)?.[1] ?? null;
}

function useAdminSection(): string | null {
  const [section, setSection] = useState(() => adminSectionFromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setSection(adminSectionFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return section;
}

/** Administration (`#/admin/<section>`), inside the workspace's header and navigation. */
export function AdminPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const wanted = useAdminSection();
  const allowed = SECTIONS.filter((section) => hasPermission(me, section.permission));
  const current = allowed.find((section) => section.key === wanted) ?? allowed[0];

  return (
    <Layout className="admin-page">
      <Layout.Sider width={210} theme="light" breakpoint="md" collapsedWidth={0}>
        <Menu
          mode="inline"
          aria-label={t('admin.title')}
          selectedKeys={current ? [current.key] : []}
          onClick={({ key }) => {
            window.location.hash = `#/admin/${key}`;
          }}
          items={allowed.map((section) => ({ key: section.key, label: t(`admin.nav.${section.key}`) }))}
        />
      </Layout.Sider>
      <Layout.Content className="admin-content">
        {current ? current.render(me) : <Result status="403" title={t('admin.forbidden')} />}
      </Layout.Content>
    </Layout>
  );
}
