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
  const [tokens, setTokens] = useState<string[]>(() => (shop ? takeTokens(shop) : []));
  const [writing, setWriting] = useState(false);

  function signOut() {
    if (shop) portalStorage.clear(shop);
    setTokens([]);
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
        ) : tokens.length && !writing ? (
          <PortalTickets shop={shop} tokens={tokens} onNew={() => setWriting(true)} onForget={signOut} />
        ) : (
          <OpenTicketForm
            shop={shop}
            onOpened={(accessToken) => {
              setTokens(portalStorage.add(shop, accessToken));
              setWriting(false);
            }}
            onCancel={tokens.length ? () => setWriting(false) : undefined}
          />
        )}
      </main>
    </Layout>
  );
}

/**
 * The token of an access link (`#access=…`) joins those kept for this shop and leaves the address bar and
 * its history entry. The path is fixed for the page's life (another shop is a page load), so this runs once.
 */
function takeTokens(shop: string): string[] {
  const fromLink = tokenFromFragment(window.location.hash);
  if (!fromLink) return portalStorage.read(shop);
  window.history.replaceState(null, '', window.location.pathname);
  return portalStorage.add(shop, fromLink);
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
