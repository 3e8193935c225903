import { Alert, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { useAdminQuery } from './useAdmin.ts';

interface RoleRow {
  role: string;
  permissions: string[];
}

/** The role matrix as the server enforces it (GET /roles); roles are fixed, a user's role is set under Users. */
export function RolesSection() {
  const { t } = useTranslation();
  const roles = useAdminQuery<{ items: RoleRow[] }>(['roles'], '/api/v1/roles');
  return (
    <section aria-labelledby="admin-roles">
      <Typography.Title level={3} id="admin-roles">
        {t('admin.roles.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.roles.help')}</Typography.Paragraph>
      {roles.error && <Alert type="error" showIcon message={describeError(roles.error, t)} />}
      <Table<RoleRow>
        rowKey="role"
        size="small"
        loading={roles.isPending}
        pagination={false}
        dataSource={roles.data?.items ?? []}
        columns={[
          {
            title: t('admin.roles.role'),
            dataIndex: 'role',
            width: 160,
            render: (role: string) => t(`admin.roles.${role}`),
          },
          {
            title: t('admin.roles.permissions'),
            dataIndex: 'permissions',
            render: (permissions: string[]) => permissions.map((p) => <Tag key={p}>{p}</Tag>),
          },
        ]}
      />
    </section>
  );
}
