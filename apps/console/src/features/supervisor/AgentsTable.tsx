import { App, InputNumber, Progress, Select, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { useUpdateAgent, type FloorAgent } from './useFloor.ts';

const PRESENCES = ['online', 'away', 'offline'] as const;

/** Agents with their load against capacity; a supervisor changes presence and capacity in place. */
export function AgentsTable({ agents }: { agents: FloorAgent[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateAgent();
  const save = (input: Parameters<typeof update.mutate>[0]) =>
    update.mutate(input, {
      onSuccess: () => void message.success(t('supervisor.saved')),
      onError: (error) => void message.error(describeError(error, t)),
    });

  return (
    <Table<FloorAgent>
      size="small"
      rowKey="id"
      dataSource={agents}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      locale={{ emptyText: t('supervisor.noAgents') }}
      columns={[
        { title: t('supervisor.agent'), dataIndex: 'name' },
        {
          title: t('supervisor.role'),
          dataIndex: 'role',
          render: (role: string) => t(`supervisor.roles.${role}`),
        },
        {
          title: t('supervisor.presence'),
          render: (_, agent) => (
            <Select
              size="small"
              style={{ width: 110 }}
              aria-label={`${t('supervisor.presence')} ${agent.name}`}
              value={agent.presence}
              onChange={(presence) => save({ id: agent.id, presence })}
              options={PRESENCES.map((p) => ({ value: p, label: t(`supervisor.presences.${p}`) }))}
            />
          ),
        },
        {
          title: t('supervisor.load'),
          render: (_, agent) => (
            <Progress
              aria-label={t('supervisor.load')}
              size="small"
              style={{ width: 140, margin: 0 }}
              percent={agent.capacity ? Math.round((agent.load / agent.capacity) * 100) : 0}
              format={() => `${agent.load} / ${agent.capacity}`}
              status={agent.load >= agent.capacity ? 'exception' : 'normal'}
            />
          ),
        },
        {
          title: t('supervisor.capacity'),
          render: (_, agent) => (
            <InputNumber
              size="small"
              min={0}
              max={1000}
              aria-label={`${t('supervisor.capacity')} ${agent.name}`}
              defaultValue={agent.capacity}
              key={`${agent.id}-${agent.capacity}`}
              onBlur={(e) => {
                const capacity = Number(e.target.value);
                if (Number.isInteger(capacity) && capacity !== agent.capacity)
                  save({ id: agent.id, capacity });
              }}
            />
          ),
        },
      ]}
    />
  );
}
