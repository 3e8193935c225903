import { Button, Layout } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api/types.ts';
import { useLogout } from '../auth/useSession.ts';
import { TicketQueue } from '../features/tickets/TicketQueue.tsx';
import { TicketView } from '../features/tickets/TicketView.tsx';
import { useSelectedTicket } from '../features/tickets/useSelectedTicket.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** The agent workspace: the queue on the left, the open ticket on the right. */
export function Workspace({ me }: { me: Me }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const [ticketId, selectTicket] = useSelectedTicket();

  return (
    <Layout style={{ height: '100vh' }}>
      <Layout.Header className="workspace-header">
        <span className="title">{t('app.title')}</span>
        <span>{me.role}</span>
        <LanguageSwitch />
        <Button size="small" onClick={() => logout.mutate()} loading={logout.isPending}>
          {t('app.logout')}
        </Button>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={420} theme="light">
          <TicketQueue me={me} selectedId={ticketId} onSelect={selectTicket} />
        </Layout.Sider>
        <Layout.Content className="ticket-pane">
          <TicketView ticketId={ticketId} />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
