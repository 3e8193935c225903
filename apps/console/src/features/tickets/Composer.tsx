import { App, Button, Input, Segmented, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { useAddMessage } from './useTickets.ts';

type Visibility = 'public' | 'internal';

export function Composer({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [body, setBody] = useState('');
  const add = useAddMessage(ticketId);

  const send = () => {
    if (!body.trim()) return;
    add.mutate(
      { body, visibility },
      {
        onSuccess: () => {
          setBody('');
          void message.success(t(visibility === 'public' ? 'ticket.sent' : 'ticket.noteAdded'));
        },
        onError: (error) => void message.error(describeError(error, t)),
      },
    );
  };

  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
      <Segmented<Visibility>
        value={visibility}
        onChange={setVisibility}
        options={[
          { value: 'public', label: t('ticket.public') },
          { value: 'internal', label: t('ticket.internal') },
        ]}
      />
      <Input.TextArea
        id="reply-composer"
        aria-label={t(visibility === 'public' ? 'ticket.replyPlaceholder' : 'ticket.notePlaceholder')}
        placeholder={t(visibility === 'public' ? 'ticket.replyPlaceholder' : 'ticket.notePlaceholder')}
        autoSize={{ minRows: 3, maxRows: 10 }}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send();
        }}
        style={visibility === 'internal' ? { background: '#fffbe6' } : undefined}
      />
      <Button type="primary" onClick={send} loading={add.isPending} disabled={!body.trim()}>
        {t(visibility === 'public' ? 'ticket.sendReply' : 'ticket.addNote')}
      </Button>
    </Space>
  );
}
