import { Card, Col, Row, Spin, Statistic, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../components/LoadError.tsx';
import { useKeyboardScroll } from '../../components/useKeyboardScroll.ts';
import { AgentsTable } from './AgentsTable.tsx';
import { ArrivalsChart } from './ArrivalsChart.tsx';
import { BulkReassign } from './BulkReassign.tsx';
import { formatDuration, useFloor, type Floor } from './useFloor.ts';

/** The supervisor's floor: live numbers, arrivals by category, backlog by team, agents, bulk reassignment. */
export function SupervisorPage() {
  const { t } = useTranslation();
  const floor = useFloor();
  if (floor.isPending) return <Spin style={{ display: 'block', marginTop: 120 }} />;
  if (floor.isError)
    return (
      <main className="supervisor-page">
        <LoadError error={floor.error} onRetry={() => void floor.refetch()} isRetrying={floor.isFetching} />
      </main>
    );
  const f = floor.data;
  const arrivedLastHour = f.arrivals.series.reduce((n, s) => n + s.counts.reduce((a, b) => a + b, 0), 0);

  return (
    <main className="supervisor-page" data-testid="supervisor-page">
      <Row gutter={[12, 12]}>
        <Col xs={12} lg={4}>
          <Card size="small">
            <Statistic
              title={t('supervisor.arrivedLastHour')}
              value={arrivedLastHour}
              data-testid="arrived"
            />
          </Card>
        </Col>
        <Col xs={12} lg={4}>
          <Card size="small">
            <Statistic
              title={t('supervisor.atRisk')}
              value={f.sla.atRisk}
              valueStyle={{ color: '#d46b08' }}
            />
          </Card>
        </Col>
        <Col xs={12} lg={4}>
          <Card size="small">
            <Statistic
              title={t('supervisor.breached')}
              value={f.sla.breached}
              valueStyle={{ color: '#cf1322' }}
            />
          </Card>
        </Col>
        <Col xs={12} lg={4}>
          <Card size="small">
            <Statistic
              title={t('supervisor.online')}
              value={f.agentsOnline}
              suffix={`/ ${f.agents.length}`}
            />
          </Card>
        </Col>
        <Col xs={12} lg={4}>
          <Card size="small">
            <Statistic
              title={t('supervisor.firstResponse')}
              value={formatDuration(f.firstResponse.medianSeconds)}
              suffix={<span className="stat-p90">p90 {formatDuration(f.firstResponse.p90Seconds)}</span>}
            />
          </Card>
        </Col>
        <Col xs={12} lg={4}>
          <Card size="small">
            <Statistic
              title={t('supervisor.resolution')}
              value={formatDuration(f.resolution.medianSeconds)}
              suffix={<span className="stat-p90">p90 {formatDuration(f.resolution.p90Seconds)}</span>}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('supervisor.arrivals')}>
            <ArrivalsChart arrivals={f.arrivals} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('supervisor.backlog')}>
            <BacklogTable backlog={f.backlog} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t('supervisor.agents')}>
            <AgentsTable agents={f.agents} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t('supervisor.bulk')}>
            <BulkReassign agents={f.agents} />
          </Card>
        </Col>
      </Row>
    </main>
  );
}

function BacklogTable({ backlog }: { backlog: Floor['backlog'] }) {
  const { t } = useTranslation();
  const scrollable = useKeyboardScroll(t('supervisor.backlog'));
  return (
    <div ref={scrollable}>
      <Table
        size="small"
        rowKey={(r) => r.teamId ?? 'none'}
        dataSource={backlog}
        pagination={false}
        scroll={{ y: 230 }}
        locale={{ emptyText: t('supervisor.noBacklog') }}
        columns={[
          // Widths that hold the English headers on one line; the backlog card is half the floor so the team's
          // name keeps the rest at 1280 px.
          { title: t('supervisor.team'), render: (_, r) => r.teamName ?? t('supervisor.noTeam') },
          { title: t('supervisor.open'), dataIndex: 'open', width: 72 },
          { title: t('queue.unassigned'), dataIndex: 'unassigned', width: 104 },
          { title: t('supervisor.waiting'), dataIndex: 'waiting', width: 84 },
          { title: t('supervisor.atRisk'), dataIndex: 'atRisk', width: 76 },
          { title: t('supervisor.breached'), dataIndex: 'breached', width: 84 },
        ]}
      />
    </div>
  );
}
