import { Alert, App, Button, Flex, Form, Input, List, Modal, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import type { Me, Page } from '../../api/types.ts';
import {
  hasPermission,
  send,
  useAdminMutation,
  useAdminQuery,
  type TeamRow,
  type UserRow,
} from './useAdmin.ts';

interface TeamDetail extends TeamRow {
  members: Array<{ id: string; name: string; email: string; role: string; isActive: boolean }>;
}

/** Teams: create, rename, deactivate, and their members — supervisors listed first. */
export function TeamsSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mayWrite = hasPermission(me, 'teams:write');
  const teams = useAdminQuery<Page<TeamRow>>(['teams'], '/api/v1/teams', { limit: 200 });
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const toggle = useAdminMutation((team: TeamRow) =>
    send('POST', `/api/v1/teams/${team.id}/${team.isActive ? 'deactivate' : 'reactivate'}`),
  );

  return (
    <section aria-labelledby="admin-teams">
      <Flex justify="space-between" align="center">
        <Typography.Title level={3} id="admin-teams">
          {t('admin.teams.title')}
        </Typography.Title>
        {mayWrite && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('admin.teams.create')}
          </Button>
        )}
      </Flex>
      {teams.error && <Alert type="error" showIcon message={describeError(teams.error, t)} />}
      <Table<TeamRow>
        rowKey="id"
        size="small"
        loading={teams.isPending}
        dataSource={teams.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('admin.empty') }}
        columns={[
          { title: t('admin.teams.name'), dataIndex: 'name' },
          { title: t('admin.teams.description'), dataIndex: 'description' },
          { title: t('admin.teams.members'), dataIndex: 'memberCount', width: 100 },
          {
            title: t('admin.users.state'),
            render: (_, team) =>
              team.isActive ? (
                <Tag color="green">{t('admin.users.active')}</Tag>
              ) : (
                <Tag>{t('admin.users.inactive')}</Tag>
              ),
          },
          {
            title: t('admin.actions'),
            render: (_, team) => (
              <Flex gap={4}>
                <Button size="small" onClick={() => setOpen(team.id)}>
                  {t('admin.teams.manage')}
                </Button>
                {mayWrite && (
                  <Button
                    size="small"
                    danger={team.isActive}
                    onClick={() =>
                      toggle.mutate(team, { onError: (error) => void message.error(describeError(error, t)) })
                    }
                  >
                    {team.isActive ? t('admin.users.deactivate') : t('admin.users.reactivate')}
                  </Button>
                )}
              </Flex>
            ),
          },
        ]}
      />
      {open && <TeamMembers teamId={open} mayWrite={mayWrite} onClose={() => setOpen(null)} />}
      {creating && <CreateTeam onClose={() => setCreating(false)} />}
    </section>
  );
}

function CreateTeam({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; description?: string }>();
  const create = useAdminMutation((values: { name: string; description?: string }) =>
    send('POST', '/api/v1/teams', values),
  );
  return (
    <Modal
      open
      title={t('admin.teams.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okText={t('admin.save')}
      destroyOnHidden
    >
      {create.error && <Alert type="error" showIcon message={describeError(create.error, t)} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => create.mutate(values, { onSuccess: onClose })}
      >
        <Form.Item name="name" label={t('admin.teams.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t('admin.teams.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const ROLE_ORDER: Record<string, number> = {
  admin: 0,
  supervisor: 1,
  agent: 2,
  outsourced_agent: 3,
  collaborator: 4,
};

function TeamMembers({
  teamId,
  mayWrite,
  onClose,
}: {
  teamId: string;
  mayWrite: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const team = useAdminQuery<TeamDetail>(['teams', teamId], `/api/v1/teams/${teamId}`);
  const users = useAdminQuery<Page<UserRow>>(['users', 'pick'], '/api/v1/users', {
    limit: 200,
    isActive: 'true',
  });
  const [adding, setAdding] = useState<string | undefined>();
  const add = useAdminMutation((userId: string) =>
    send('POST', `/api/v1/teams/${teamId}/members`, { userId }),
  );
  const remove = useAdminMutation((userId: string) =>
    send('DELETE', `/api/v1/teams/${teamId}/members/${userId}`),
  );
  const members = [...(team.data?.members ?? [])].sort(
    (a, b) => (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9) || a.name.localeCompare(b.name),
  );
  const memberIds = new Set(members.map((m) => m.id));
  const error = team.error ?? add.error ?? remove.error;

  return (
    <Modal
      open
      title={team.data?.name ?? t('admin.teams.title')}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={describeError(error, t)} />}
      {mayWrite && (
        <Flex gap={8} style={{ marginBottom: 12 }}>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ flex: 1 }}
            aria-label={t('admin.teams.addMember')}
            placeholder={t('admin.teams.addMember')}
            value={adding}
            onChange={setAdding}
            options={(users.data?.items ?? [])
              .filter((u) => !memberIds.has(u.id))
              .map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }))}
          />
          <Button
            disabled={!adding}
            loading={add.isPending}
            onClick={() => adding && add.mutate(adding, { onSuccess: () => setAdding(undefined) })}
          >
            {t('admin.add')}
          </Button>
        </Flex>
      )}
      <List
        loading={team.isPending}
        dataSource={members}
        locale={{ emptyText: t('admin.empty') }}
        renderItem={(member) => (
          <List.Item
            actions={
              mayWrite
                ? [
                    <Button key="remove" size="small" onClick={() => remove.mutate(member.id)}>
                      {t('admin.remove')}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <span>
                  {member.name}{' '}
                  <Tag color={member.role === 'supervisor' ? 'gold' : undefined}>
                    {t(`admin.roles.${member.role}`)}
                  </Tag>
                </span>
              }
              description={member.email}
            />
          </List.Item>
        )}
      />
    </Modal>
  );
}
