import type { FastifyInstance } from 'fastify';
import type { CachedAuth } from './auth.service.ts';
import { AuthInvalidationListener } from './auth-invalidation.ts';
import { PrincipalCache } from './principal-cache.ts';
import type { TenantConfigCache } from '../routing/tenant-config.cache.ts';

/**
 * The auth cache of this process and the LISTEN connection that keeps it honest; stopped when the app
 * closes. Without a database URL there is no cache (every request reads its credential).
 */
export async function setUpPrincipalCache(
  app: FastifyInstance,
  databaseUrl: string | undefined,
  given?: PrincipalCache<CachedAuth>,
  /** Fed by the same listener (channel `peakdesk_config`). */
  configCache?: TenantConfigCache,
): Promise<PrincipalCache<CachedAuth> | undefined> {
  if (!databaseUrl) return undefined;
  const cache = given ?? new PrincipalCache<CachedAuth>();
  const listener = new AuthInvalidationListener(databaseUrl, {
    onChange: (tenantId, id) => cache.invalidate(tenantId, id),
    onListening: (listening) => {
      cache.setListening(listening);
      configCache?.setListening(listening);
    },
    ...(configCache ? { onConfigChange: (tenantId: string) => configCache.invalidate(tenantId) } : {}),
    log: (message, error) => app.log.warn({ err: error }, message),
  });
  await listener.start();
  app.addHook('onClose', () => listener.stop());
  return cache;
}
