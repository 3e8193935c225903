import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LoginPage } from './auth/LoginPage.tsx';
import { useMe } from './auth/useSession.ts';
import { Workspace } from './components/Workspace.tsx';
import { PortalApp } from './features/portal/PortalApp.tsx';
import { isPortalPath } from './features/portal/portal-access.ts';
import { TasksPage } from './features/tasks/TasksPage.tsx';
import { useIsTasksPage } from './features/tasks/useTasksRoute.ts';

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
  if (isPortalPath(path)) return <PortalApp path={path} />;
  return <Console />;
}

function Console() {
  const me = useMe();
  const onTasks = useIsTasksPage();
  if (me.isPending) return <Spin fullscreen />;
  if (!me.data) return <LoginPage />;
  if (onTasks) return <TasksPage me={me.data} />;
  return <Workspace me={me.data} />;
}
