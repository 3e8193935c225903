import { App as AntApp, Button, ConfigProvider, Result, Spin, type ThemeConfig } from 'antd';
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

/**
 * antd's secondary, tertiary and placeholder greys (45% and 25% black) and its blue links fall below the WCAG AA
 * contrast of 4.5:1 on white; these are the lightest that pass (axe checks them in test/a11y.e2e.test.ts).
 */
const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#d4380d',
    colorTextSecondary: 'rgba(0, 0, 0, 0.62)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.58)',
    colorTextDescription: 'rgba(0, 0, 0, 0.58)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    colorLink: '#0958d9',
    colorError: '#cf1322',
  },
  // The brand orange on a selected item's pale orange or a card tab's grey is 4.4:1; one shade darker passes.
  components: {
    Menu: { itemSelectedColor: '#ad2102' },
    Tabs: { itemSelectedColor: '#ad2102' },
  },
};

export function App() {
  const { i18n } = useTranslation();
  const isEnglish = i18n.language === 'en-US';

  useEffect(() => {
    dayjs.locale(isEnglish ? 'en' : 'zh-cn');
    document.documentElement.lang = i18n.language;
  }, [isEnglish, i18n.language]);

  return (
    <ConfigProvider locale={isEnglish ? enUS : zhCN} theme={THEME}>
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
