import { Button, Layout, Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api/types.ts';
import { useLogout } from '../auth/useSession.ts';
import { mayAdminister } from '../features/admin/useAdmin.ts';
import { LiveProvider } from '../features/live/LiveProvider.tsx';
import { seesFloor } from '../features/supervisor/floor-access.ts';
import { TicketQueue } from '../features/tickets/TicketQueue.tsx';
import { TicketView } from '../features/tickets/TicketView.tsx';
import { useSelectedTicket } from '../features/tickets/useSelectedTicket.ts';
import { useHashPage } from '../features/workspace/useHashPage.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

// Pages an agent rarely opens load on demand: the floor brings ECharts, administration a dozen forms.
const SupervisorPage = lazy(() =>
  import('../features/supervisor/SupervisorPage.tsx').then((m) => ({ default: m.SupervisorPage })),
);
const AdminPage = lazy(() =>
  import('../features/admin/AdminPage.tsx').then((m) => ({ default: m.AdminPage })),
);

/** The signed-in console: the agent workspace (queue | ticket) or, from the header, the other pages. */
export function Workspace({ me }: { me: Me }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const [ticketId, selectTicket] = useSelectedTicket();
  const page = useHashPage();
  // The UI offers what the API allows: the floor is for the roles GET /stats/floor admits.
  const floor = seesFloor(me);

  return (
    <LiveProvider>
      <Layout style={{ height: '100vh' }}>
        <Layout.Header className="workspace-header">
          <span className="title">{t('app.title')}</span>
          <nav className="workspace-nav" aria-label={t('workspace.nav')}>
            <a href="#/" aria-current={page === 'workspace' ? 'page' : undefined}>
              {t('workspace.tickets')}
            </a>
            {floor && (
              <a href="#/supervisor" aria-current={page === 'supervisor' ? 'page' : undefined}>
                {t('supervisor.title')}
              </a>
            )}
            {mayAdminister(me) && (
              <a href="#/admin" aria-current={page === 'admin' ? 'page' : undefined}>
                {t('admin.open')}
              </a>
            )}
            <a href="#/tasks">{t('tasks.nav')}</a>
          </nav>
          <span>{me.role}</span>
          <LanguageSwitch />
          <Button size="small" onClick={() => logout.mutate()} loading={logout.isPending}>
            {t('app.logout')}
          </Button>
        </Layout.Header>
        {page === 'supervisor' && floor ? (
          <Suspense fallback={<PageLoading />}>
            <SupervisorPage />
          </Suspense>
        ) : page === 'admin' && mayAdminister(me) ? (
          <Suspense fallback={<PageLoading />}>
            <AdminPage me={me} />
          </Suspense>
        ) : (
          <Layout>
            <Layout.Sider width={420} theme="light">
              <TicketQueue me={me} selectedId={ticketId} onSelect={selectTicket} />
            </Layout.Sider>
            <Layout.Content className="ticket-pane">
              <TicketView ticketId={ticketId} />
            </Layout.Content>
          </Layout>
        )}
      </Layout>
    </LiveProvider>
  );
}

function PageLoading() {
  return <Spin style={{ display: 'block', marginTop: 120 }} />;
}
