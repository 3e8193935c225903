import { Button, Card, Form, Input, Layout, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { OpenTicketForm } from './OpenTicketForm.tsx';
import { PortalTickets } from './PortalTickets.tsx';
import { parsePortalPath, portalStorage, tokenFromFragment } from './portal-access.ts';

/**
 * The customer portal at /portal/<shop>: no account. A customer opens a ticket (and gets a link to it), or
 * comes back through their link, sees status and public replies, and answers. Laid out for a phone first.
 */
export function PortalApp({ path }: { path: string }) {
  const { t } = useTranslation();
  const place = parsePortalPath(path);
  const shop = place?.shop ?? null;
  const [token, setToken] = useState<string | null>(() => (shop ? takeToken(shop) : null));
  const [writing, setWriting] = useState(false);

  function signOut() {
    if (shop) portalStorage.clear(shop);
    setToken(null);
  }

  return (
    <Layout className="portal">
      <header className="portal-header">
        <Typography.Text strong className="portal-title">
          {t('portal.title')}
        </Typography.Text>
        <LanguageSwitch />
      </header>
      <main className="portal-main">
        {!place ? (
          <Result status="404" title={t('portal.notFound')} />
        ) : !shop ? (
          <ChooseShop />
        ) : token && !writing ? (
          <PortalTickets shop={shop} token={token} onNew={() => setWriting(true)} onForget={signOut} />
        ) : (
          <OpenTicketForm
            shop={shop}
            onOpened={(accessToken) => {
              portalStorage.write(shop, accessToken);
              setToken(accessToken);
              setWriting(false);
            }}
            onCancel={token ? () => setWriting(false) : undefined}
          />
        )}
      </main>
    </Layout>
  );
}

/**
 * The token of an access link (`#access=…`) is stored for this shop and taken out of the address bar and
 * its history entry; otherwise the one stored earlier on this device, if any. The path is fixed for the
 * page's life (moving to another shop is a page load), so this runs once.
 */
function takeToken(shop: string): string | null {
  const fromLink = tokenFromFragment(window.location.hash);
  if (!fromLink) return portalStorage.read(shop);
  portalStorage.write(shop, fromLink);
  window.history.replaceState(null, '', window.location.pathname);
  return fromLink;
}

function ChooseShop() {
  const { t } = useTranslation();
  return (
    <Card title={t('portal.chooseShop')}>
      <Form
        layout="vertical"
        onFinish={(values: { shop: string }) =>
          window.location.assign(`/portal/${values.shop.trim().toLowerCase()}`)
        }
      >
        <Form.Item
          name="shop"
          label={t('portal.shopCode')}
          rules={[{ required: true, pattern: /^[a-zA-Z0-9-]+$/ }]}
        >
          <Input placeholder="demo" autoCapitalize="none" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block>
          {t('portal.continue')}
        </Button>
      </Form>
    </Card>
  );
}
