import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Input, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import type { Page } from '../../api/types.ts';
import { When } from './Dates.tsx';
import { ADMIN_KEY } from './useAdmin.ts';

interface AuditEntry {
  id: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The audit log, newest first, filtered by action and actor, in pages of 50. */
export function AuditSection() {
  const { t } = useTranslation();
  const [action, setAction] = useState<string | undefined>();
  const [actorId, setActorId] = useState<string | undefined>();
  const log = useInfiniteQuery({
    queryKey: [...ADMIN_KEY, 'audit', action, actorId],
    queryFn: ({ pageParam }) =>
      api.get<Page<AuditEntry>>('/api/v1/audit-log', { action, actorId, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

  return (
    <section aria-labelledby="admin-audit">
      <Typography.Title level={3} id="admin-audit">
        {t('admin.audit.title')}
      </Typography.Title>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          style={{ width: 260 }}
          placeholder="user.deactivated"
          aria-label={t('admin.audit.action')}
          onSearch={(value) => setAction(value.trim() || undefined)}
        />
        <Input.Search
          allowClear
          style={{ width: 340 }}
          placeholder={t('admin.audit.actorId')}
          aria-label={t('admin.audit.actorId')}
          onSearch={(value) => setActorId(UUID.test(value.trim()) ? value.trim() : undefined)}
        />
      </Flex>
      {log.error && <Alert type="error" showIcon message={describeError(log.error, t)} />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={log.isPending}
        pagination={false}
        scroll={{ x: 900 }}
        dataSource={log.data?.pages.flatMap((page) => page.items) ?? []}
        locale={{ emptyText: t('admin.empty') }}
        columns={[
          {
            title: t('admin.audit.when'),
            dataIndex: 'createdAt',
            width: 150,
            render: (v: string) => <When value={v} />,
          },
          {
            title: t('admin.audit.action'),
            dataIndex: 'action',
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            title: t('admin.audit.actor'),
            render: (_, e) => `${e.actorType}${e.actorId ? ` ${e.actorId.slice(-8)}` : ''}`,
          },
          {
            title: t('admin.audit.target'),
            render: (_, e) => (e.targetType ? `${e.targetType} ${e.targetId?.slice(-8) ?? ''}` : '—'),
          },
          { title: 'IP', dataIndex: 'ip', width: 120 },
          {
            title: t('admin.audit.details'),
            dataIndex: 'details',
            render: (details: Record<string, unknown>) => (
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }}>
                {JSON.stringify(details)}
              </Typography.Text>
            ),
          },
        ]}
      />
      {log.hasNextPage && (
        <Button block onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
          {t('admin.loadMore')}
        </Button>
      )}
    </section>
  );
}
