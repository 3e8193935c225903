import { describe, expect, it } from 'vitest';
import { ConfigError, loadShopConfig } from './config.ts';

describe('loadShopConfig', () => {
  it('falls back from DEMO_SHOP_DATABASE_URL to DATABASE_URL and defaults the rest', () => {
    const config = loadShopConfig({ DATABASE_URL: 'postgres://db/peakdesk' });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://db/peakdesk',
      schema: 'demo_shop',
      port: 3100,
      piiMasked: false,
    });
    expect(
      loadShopConfig({ DATABASE_URL: 'postgres://a/x', DEMO_SHOP_DATABASE_URL: 'postgres://b/y' })
        .databaseUrl,
    ).toBe('postgres://b/y');
  });

  it.each([
    ['DEMO_SHOP_DATABASE_URL', 'mysql://x'],
    ['DEMO_SHOP_SCHEMA', 'demo; DROP TABLE x'],
    ['DEMO_SHOP_WEBHOOK_URL', 'ftp://x'],
    ['PORT', '70000'],
    ['DEMO_SHOP_DUPLICATE_RATE', '2'],
  ])('refuses %s=%s with a clear message', (name, value) => {
    expect(() => loadShopConfig({ [name]: value })).toThrow(ConfigError);
  });
});
