import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { describeError } from '../api/errors.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { useLogin, type LoginInput } from './useSession.ts';

export function LoginPage() {
  const { t } = useTranslation();
  const login = useLogin();
  // The tenant field appears only once the server says the email belongs to several tenants (409).
  const [needsTenant, setNeedsTenant] = useState(false);

  const onFinish = (values: LoginInput) => {
    login.mutate(
      {
        email: values.email.trim(),
        password: values.password,
        ...(values.tenant ? { tenant: values.tenant.trim() } : {}),
      },
      {
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'TENANT_REQUIRED') setNeedsTenant(true);
        },
      },
    );
  };

  return (
    <main className="login-page">
      <Card title={t('login.title')} extra={<LanguageSwitch />} style={{ width: 380 }}>
        <Form<LoginInput>
          layout="vertical"
          onFinish={onFinish}
          requiredMark={false}
          aria-label={t('login.title')}
        >
          <Form.Item
            name="email"
            label={t('login.email')}
            rules={[{ required: true, message: t('login.required') }]}
          >
            <Input type="email" autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.required') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {needsTenant && (
            <Form.Item
              name="tenant"
              label={t('login.tenant')}
              extra={t('login.tenantHint')}
              rules={[{ required: true, message: t('login.required') }]}
            >
              <Input autoComplete="organization" />
            </Form.Item>
          )}
          {login.isError && (
            <Form.Item>
              <Alert type="error" showIcon message={describeError(login.error, t)} role="alert" />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
