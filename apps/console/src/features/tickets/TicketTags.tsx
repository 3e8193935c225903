import { Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Priority, Status } from '../../api/types.ts';

const STATUS_COLORS: Record<Status, string> = {
  new: 'blue',
  open: 'volcano',
  pending: 'gold',
  on_hold: 'purple',
  solved: 'green',
  closed: 'default',
};
const PRIORITY_COLORS: Record<Priority, string> = {
  low: 'default',
  normal: 'cyan',
  high: 'orange',
  urgent: 'red',
};

export function StatusTag({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]}>{t(`status.${status}`)}</Tag>;
}

export function PriorityTag({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return <Tag color={PRIORITY_COLORS[priority]}>{t(`priority.${priority}`)}</Tag>;
}

/** The next SLA due time, relative ("in 2 hours"), red once it has passed. */
export function DueTime({ at, now = new Date() }: { at: string | null; now?: Date }) {
  const { t } = useTranslation();
  if (!at) return <span style={{ color: '#595959' }}>{t('queue.noDue')}</span>;
  const due = dayjs(at);
  return (
    <Tooltip title={due.format('YYYY-MM-DD HH:mm')}>
      <span className={due.isBefore(now) ? 'overdue' : undefined}>
        {t('queue.due')} {due.format('MM-DD HH:mm')}
      </span>
    </Tooltip>
  );
}
