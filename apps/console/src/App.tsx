import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LoginPage } from './auth/LoginPage.tsx';
import { describeError } from './api/errors.ts';
import { useMe } from './auth/useSession.ts';
import { Workspace } from './components/Workspace.tsx';
import { isPortalPath } from './features/portal/portal-access.ts';
import { useIsTasksPage } from './features/tasks/useTasksRoute.ts';

// Customers never load the agent console and agents never load the portal; the tasks page is its own chunk.
const PortalApp = lazy(() =>
  import('./features/portal/PortalApp.tsx').then((m) => ({ default: m.PortalApp })),
);
const TasksPage = lazy(() =>
  import('./features/tasks/TasksPage.tsx').then((m) => ({ default: m.TasksPage })),
);

export function App() {
  const { i18n } = useTranslation();
  const isEnglish = i18n.language === 'en-US';

  useEffect(() => {
    dayjs.locale(isEnglish ? 'en' : 'zh-cn');
    document.documentElement.lang = i18n.language;
  }, [isEnglish, i18n.language]);

  return (
    <ConfigProvider locale={isEnglish ? enUS : zhCN} theme={{ token: { colorPrimary: '#d4380d' } }}>
      <AntApp>
        <Root />
      </AntApp>
    </ConfigProvider>
  );
}

function Root() {
  // The customer portal (/portal/<shop>) is public: customers have no account and never see the sign-in.
  const path = window.location.pathname;
  return (
    <Suspense fallback={<Spin fullscreen />}>
      {isPortalPath(path) ? <PortalApp path={path} /> : <Console />}
    </Suspense>
  );
}

function Console() {
  const me = useMe();
  const onTasks = useIsTasksPage();
  const { t } = useTranslation();
  if (me.isPending) return <Spin fullscreen />;
  // The server is down or unreachable: say so calmly and offer a retry, not a sign-in form that cannot work.
  if (me.isError)
    return (
      <main>
        <Result
          status="warning"
          title={t('app.unavailable')}
          subTitle={describeError(me.error, t)}
          extra={
            <Button type="primary" onClick={() => void me.refetch()} loading={me.isFetching}>
              {t('app.retry')}
            </Button>
          }
        />
      </main>
    );
  if (!me.data) return <LoginPage />;
  if (onTasks) return <TasksPage me={me.data} />;
  return <Workspace me={me.data} />;
}
