import { AppError } from '../../errors.ts';
import type { RateLimiter } from '../../lib/rate-limiter.ts';
import { DUMMY_PASSWORD_HASH, hashSecret, randomSecret, verifyPassword } from '../../lib/secrets.ts';
import type { Actor } from '../access/permissions.ts';
import type { AuthRepository } from './auth.repository.ts';
import type { CachedPrincipal, PrincipalCache, PrincipalLookup } from './principal-cache.ts';
import { formatSessionCookie, parseApiToken, parseSessionCookie } from './credentials.ts';

export interface LoginInput {
  email: string;
  password: string;
  tenant?: string;
  ip: string;
  userAgent: string | null;
}

export interface LoginResult {
  cookieValue: string;
  csrfToken: string;
  expiresAt: Date;
  tenantId: string;
  user: { id: string; email: string; name: string; role: string };
}

export type AuditHook = (entry: {
  tenantId: string;
  actor: Actor | null;
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  details?: Record<string, unknown>;
}) => Promise<void>;

// Per email+address: slows guessing one account; per address: slows spraying many accounts.
const LOGIN_LIMIT_PER_ACCOUNT = { limit: 10, windowSeconds: 300 };
const LOGIN_LIMIT_PER_IP = { limit: 100, windowSeconds: 300 };

/** What the principal cache keeps per credential: the actor, and a session's CSRF token. */
export interface CachedAuth {
  actor: Actor;
  csrfToken: string | null;
}

function earliestMs(...dates: Array<Date | null | undefined>): number | null {
  const times = dates.filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return times.length ? Math.min(...times) : null;
}

function isExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

export class AuthService {
  private readonly tokenTouchedAt = new Map<string, number>();

  constructor(
    private readonly repo: AuthRepository,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditHook,
    private readonly sessionTtlSeconds: number,
    private readonly now: () => Date = () => new Date(),
    /** Served only while its listener hears invalidations (see principal-cache.ts); none: every request reads. */
    private readonly cache?: PrincipalCache<CachedAuth>,
  ) {}

  async login(input: LoginInput): Promise<LoginResult> {
    const email = input.email.trim().toLowerCase();
    const accountKey = `login:${email}:${input.ip}`;
    for (const [key, rule] of [
      [accountKey, LOGIN_LIMIT_PER_ACCOUNT],
      [`login-ip:${input.ip}`, LOGIN_LIMIT_PER_IP],
    ] as const) {
      const verdict = await this.limiter.hit(key, rule.limit, rule.windowSeconds);
      if (!verdict.allowed) {
        throw new AppError('RATE_LIMITED', 'Too many login attempts; wait before trying again', {
          retryAfter: verdict.retryAfterSeconds,
        });
      }
    }

    const candidates = await this.repo.findLoginTenants(email);
    const matching = input.tenant ? candidates.filter((c) => c.slug === input.tenant) : candidates;
    if (matching.length > 1) {
      throw new AppError('TENANT_REQUIRED', 'Add "tenant" with the slug of the workspace to sign in to', {
        extra: { tenants: matching.map((c) => c.slug) },
      });
    }
    const entry = matching[0];
    const user = entry ? await this.repo.findUserForLogin(entry.tenantId, entry.userId) : undefined;
    // Verify even when there is no such user, so timing does not reveal which emails exist.
    const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!entry || !user || !user.passwordHash || !passwordOk) {
      if (entry) {
        await this.audit({
          tenantId: entry.tenantId,
          actor: null,
          action: 'auth.login_failed',
          targetType: 'user',
          targetId: entry.userId,
          ip: input.ip,
        });
      }
      throw new AppError('INVALID_CREDENTIALS');
    }
    const now = this.now();
    if (!user.isActive || isExpired(user.expiresAt, now)) {
      await this.audit({
        tenantId: entry.tenantId,
        actor: null,
        action: 'auth.login_refused',
        targetType: 'user',
        targetId: user.id,
        ip: input.ip,
        details: { reason: user.isActive ? 'expired' : 'deactivated' },
      });
      throw new AppError(user.isActive ? 'ACCOUNT_EXPIRED' : 'INVALID_CREDENTIALS');
    }

    const secret = randomSecret();
    const csrfToken = randomSecret(24);
    const expiresAt = new Date(now.getTime() + this.sessionTtlSeconds * 1000);
    await this.repo.insertSession({
      tenantId: entry.tenantId,
      idHash: hashSecret(secret),
      userId: user.id,
      csrfToken,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      expiresAt,
    });
    await this.limiter.reset(accountKey);
    await this.audit({
      tenantId: entry.tenantId,
      actor: {
        tenantId: entry.tenantId,
        kind: 'user',
        id: user.id,
        userId: user.id,
        role: user.role,
        department: null,
        teamIds: [],
      },
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      ip: input.ip,
    });
    return {
      cookieValue: formatSessionCookie(entry.tenantId, secret),
      csrfToken,
      expiresAt,
      tenantId: entry.tenantId,
      user: { id: user.id, email: user.email, name: user.name, role: user.role },
    };
  }

  async logout(cookieValue: string, actor: Actor, ip: string): Promise<void> {
    const parsed = parseSessionCookie(cookieValue);
    if (!parsed) return;
    await this.repo.deleteSession(parsed.tenantId, hashSecret(parsed.secret));
    await this.audit({
      tenantId: actor.tenantId,
      actor,
      action: 'auth.logout',
      targetType: 'user',
      targetId: actor.id,
      ip,
    });
  }

  /** The actor behind a session cookie, with the CSRF token the session expects; null when not valid. */
  async authenticateSession(cookieValue: string): Promise<{ actor: Actor; csrfToken: string } | null> {
    const parsed = parseSessionCookie(cookieValue);
    if (!parsed) return null;
    const idHash = hashSecret(parsed.secret);
    const found = await this.resolve(`session:${parsed.tenantId}:${idHash}`, parsed.tenantId, () =>
      this.lookUpSession(parsed.tenantId, idHash),
    );
    return found ? { actor: found.actor, csrfToken: found.csrfToken! } : null;
  }

  async authenticateToken(bearer: string): Promise<Actor | null> {
    const parsed = parseApiToken(bearer);
    if (!parsed) return null;
    const tokenHash = hashSecret(parsed.secret);
    const found = await this.resolve(`token:${parsed.tenantId}:${tokenHash}`, parsed.tenantId, () =>
      this.lookUpToken(parsed.tenantId, tokenHash),
    );
    if (!found) return null;
    this.touch(found.actor, this.now());
    return found.actor;
  }

  /** Through the cache when there is one (one shared lookup per key, see principal-cache.ts). */
  private async resolve(
    key: string,
    tenantId: string,
    lookup: PrincipalLookup<CachedAuth>,
  ): Promise<CachedAuth | null> {
    if (this.cache) return this.cache.resolve(key, tenantId, lookup, () => this.now().getTime());
    return (await lookup())?.value ?? null;
  }

  private async lookUpSession(tenantId: string, idHash: string): Promise<CachedPrincipal<CachedAuth> | null> {
    const session = await this.repo.findSession(tenantId, idHash);
    const now = this.now();
    if (!session || session.expiresAt <= now || !session.isActive || isExpired(session.userExpiresAt, now)) {
      return null;
    }
    const actor: Actor = {
      tenantId,
      kind: 'user',
      id: session.id,
      userId: session.id,
      role: session.role,
      department: session.department,
      teamIds: session.teamIds,
    };
    return {
      value: { actor, csrfToken: session.csrfToken },
      tenantId,
      ids: [session.id, idHash],
      endsAtMs: earliestMs(session.expiresAt, session.userExpiresAt),
    };
  }

  private async lookUpToken(
    tenantId: string,
    tokenHash: string,
  ): Promise<CachedPrincipal<CachedAuth> | null> {
    const token = await this.repo.findToken(tenantId, tokenHash);
    const now = this.now();
    if (!token || token.revokedAt || isExpired(token.expiresAt, now)) return null;
    // A token acting for a user stops with that user: deactivation and expiry revoke it too.
    if (token.userId && (!token.user || !token.user.isActive || isExpired(token.user.expiresAt, now)))
      return null;
    const actor: Actor = {
      tenantId,
      kind: 'token',
      id: token.id,
      userId: token.userId,
      role: token.role,
      department: token.department ?? token.user?.department ?? null,
      teamIds: token.user?.teamIds ?? [],
    };
    return {
      value: { actor, csrfToken: null },
      tenantId,
      ids: token.userId ? [token.id, token.userId] : [token.id],
      endsAtMs: earliestMs(token.expiresAt, token.user?.expiresAt),
    };
  }

  /** Writing last-used on every call would turn reads into writes; a minute's precision is plenty. */
  private touch(actor: Actor, now: Date): void {
    const lastTouched = this.tokenTouchedAt.get(actor.id) ?? 0;
    if (now.getTime() - lastTouched <= 60_000) return;
    this.tokenTouchedAt.set(actor.id, now.getTime());
    if (this.tokenTouchedAt.size > 10_000) this.tokenTouchedAt.clear();
    void this.repo.touchToken(actor.tenantId, actor.id).catch(() => undefined);
  }
}
