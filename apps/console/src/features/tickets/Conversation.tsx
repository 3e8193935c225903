import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../api/types.ts';

/** Public replies and internal notes in one thread; notes are set apart (dashed, amber) so none is sent by mistake. */
export function Conversation({ messages }: { messages: Message[] }) {
  const { t } = useTranslation();
  return (
    <div aria-live="polite">
      {messages.map((m) => {
        const who = m.authorType === 'customer' ? 'customer' : m.authorType === 'system' ? 'system' : 'agent';
        return (
          <div
            key={m.id}
            className={`message ${m.visibility === 'internal' ? 'internal' : who}`}
            data-visibility={m.visibility}
          >
            <div className="message-meta">
              {t(`ticket.${who}`)} · {dayjs(m.createdAt).format('MM-DD HH:mm')}{' '}
              {m.visibility === 'internal' && <Tag color="gold">{t('ticket.internal')}</Tag>}
            </div>
            {m.body}
          </div>
        );
      })}
    </div>
  );
}
