import { Alert, Empty, Spin, Timeline } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { useTicketHistory } from './useTickets.ts';

const show = (value: unknown) =>
  value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

export function TicketHistory({ ticketId, active }: { ticketId: string; active: boolean }) {
  const { t } = useTranslation();
  const history = useTicketHistory(ticketId, active);
  if (history.isPending) return <Spin />;
  if (history.isError) return <Alert type="error" showIcon message={describeError(history.error, t)} />;
  if (!history.data.items.length) return <Empty description={t('ticket.noHistory')} />;
  return (
    <Timeline
      items={history.data.items.map((event) => ({
        key: event.id,
        children: (
          <div>
            <strong>{event.action}</strong> · {dayjs(event.createdAt).format('MM-DD HH:mm:ss')} ·{' '}
            {t('ticket.changedBy')} {event.actor.type}
            {event.changes.map((c) => (
              <div key={c.field} style={{ color: '#595959' }}>
                {c.field}: {show(c.before)} → {show(c.after)}
              </div>
            ))}
          </div>
        ),
      }))}
    />
  );
}
