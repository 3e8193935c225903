import { Alert, Button, Card, Collapse, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { useOpenTicket, useRequestLink, type OpenTicketInput } from './usePortal.ts';

interface Values {
  name: string;
  email?: string;
  phone?: string;
  orderNumber?: string;
  subject: string;
  body: string;
}

const ORDER_NUMBER = /^[A-Za-z0-9_-]{1,64}$/;

/** A new ticket: name, email or phone, optional order number, subject and message. */
export function OpenTicketForm({
  shop,
  onOpened,
  onCancel,
}: {
  shop: string;
  onOpened: (accessToken: string) => void;
  onCancel?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const open = useOpenTicket(shop);

  function submit(values: Values) {
    const input: OpenTicketInput = {
      name: values.name.trim(),
      subject: values.subject.trim(),
      body: values.body.trim(),
      ...(values.email?.trim() ? { email: values.email.trim() } : {}),
      ...(values.phone?.trim() ? { phone: values.phone.trim() } : {}),
      ...(values.orderNumber?.trim() ? { orderNumber: values.orderNumber.trim() } : {}),
    };
    open.mutate(input, { onSuccess: (result) => onOpened(result.accessToken) });
  }

  return (
    <>
      <Card title={t('portal.open.title')}>
        <Typography.Paragraph type="secondary">{t('portal.open.help')}</Typography.Paragraph>
        {open.error && (
          <Alert type="error" showIcon message={describeError(open.error, t)} style={{ marginBottom: 12 }} />
        )}
        <Form<Values> form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            name="name"
            label={t('portal.open.name')}
            rules={[{ required: true, whitespace: true, max: 200 }]}
          >
            <Input autoComplete="name" />
          </Form.Item>
          <Form.Item
            name="email"
            label={t('portal.open.email')}
            rules={[
              { type: 'email', message: t('portal.open.badEmail') },
              ({ getFieldValue }) => ({
                validator: (_, value: string | undefined) =>
                  value?.trim() || (getFieldValue('phone') as string | undefined)?.trim()
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('portal.open.contactNeeded'))),
              }),
            ]}
          >
            <Input type="email" inputMode="email" autoComplete="email" autoCapitalize="none" />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('portal.open.phone')}
            rules={[{ pattern: /^\+?[0-9][0-9 ()-]{4,38}$/, message: t('portal.open.badPhone') }]}
          >
            <Input type="tel" inputMode="tel" autoComplete="tel" />
          </Form.Item>
          <Form.Item
            name="orderNumber"
            label={t('portal.open.orderNumber')}
            extra={t('portal.open.orderHint')}
            rules={[{ pattern: ORDER_NUMBER, message: t('portal.open.badOrder') }]}
          >
            <Input autoCapitalize="characters" />
          </Form.Item>
          <Form.Item
            name="subject"
            label={t('portal.open.subject')}
            rules={[{ required: true, whitespace: true, max: 200 }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="body"
            label={t('portal.open.body')}
            rules={[{ required: true, whitespace: true, max: 10000 }]}
          >
            <Input.TextArea rows={5} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={open.isPending}>
            {t('portal.open.submit')}
          </Button>
          {onCancel && (
            <Button block type="link" onClick={onCancel}>
              {t('portal.open.back')}
            </Button>
          )}
        </Form>
      </Card>
      <RequestLink shop={shop} />
    </>
  );
}

/** "Send me a link to my tickets": the answer is the same for known and unknown addresses. */
function RequestLink({ shop }: { shop: string }) {
  const { t } = useTranslation();
  const request = useRequestLink(shop);
  return (
    <Collapse
      style={{ marginTop: 16 }}
      items={[
        {
          key: 'link',
          label: t('portal.link.title'),
          children: request.isSuccess ? (
            <Alert type="success" showIcon message={t('portal.link.sent')} />
          ) : (
            <Form
              layout="vertical"
              onFinish={(values: { email: string }) => request.mutate(values.email.trim())}
            >
              {request.error && <Alert type="error" showIcon message={describeError(request.error, t)} />}
              <Form.Item
                name="email"
                label={t('portal.open.email')}
                rules={[{ required: true, type: 'email' }]}
              >
                <Input type="email" inputMode="email" autoCapitalize="none" />
              </Form.Item>
              <Button htmlType="submit" block loading={request.isPending}>
                {t('portal.link.submit')}
              </Button>
            </Form>
          ),
        },
      ]}
    />
  );
}
