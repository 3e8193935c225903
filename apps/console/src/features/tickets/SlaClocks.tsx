import { Card, Descriptions, Progress, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketDetail } from '../../api/types.ts';

dayjs.extend(relativeTime);

const STATE_COLORS = { ok: 'green', warning: 'orange', breached: 'red', paused: 'default', none: 'default' };

/** Ticks once a minute so that "in 12 minutes" stays true while the ticket is open. */
function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function Clock({ at, now }: { at: string | null; now: Date }) {
  if (!at) return <span>—</span>;
  const due = dayjs(at);
  return (
    <Tooltip title={due.format('YYYY-MM-DD HH:mm')}>
      <span className={due.isBefore(now) ? 'overdue' : undefined}>{due.from(now)}</span>
    </Tooltip>
  );
}

/** The ticket's SLA clocks (first response, next response, resolution) with their state, and its category. */
export function SlaClocks({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation();
  const now = useMinuteClock();
  const state = ticket.sla.state ?? 'none';
  const confidence = ticket.categoryConfidence;
  return (
    <Card size="small" style={{ marginTop: 12 }} title={t('workspace.sla.title')} data-testid="sla-clocks">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('workspace.sla.state')}>
          <Tag color={STATE_COLORS[state]}>{t(`workspace.sla.states.${state}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('workspace.sla.firstResponse')}>
          <Clock at={ticket.sla.firstResponseDueAt} now={now} />
        </Descriptions.Item>
        <Descriptions.Item label={t('workspace.sla.nextResponse')}>
          <Clock at={ticket.sla.nextResponseDueAt} now={now} />
        </Descriptions.Item>
        <Descriptions.Item label={t('workspace.sla.resolution')}>
          <Clock at={ticket.sla.resolutionDueAt} now={now} />
        </Descriptions.Item>
        <Descriptions.Item label={t('ticket.category')}>
          {ticket.category ? t(`category.${ticket.category}`) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('workspace.confidence')}>
          {typeof confidence === 'number' ? (
            <Progress
              aria-label={t('workspace.confidence')}
              percent={Math.round(confidence * 100)}
              size="small"
              style={{ width: 120, margin: 0 }}
            />
          ) : (
            t('workspace.setByHand')
          )}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
