import { ShopError, type ShopErrorCode } from './errors.ts';
import { LOGIN } from './vendure.graphql.ts';

export type VendureAuth =
  /**
   * An Admin API key (Vendure 3.x), sent in the `vendure-api-key` header; the server's
   * `authOptions.tokenMethod` must include `'api-key'`.
   */
  | { apiKey: string }
  /** An administrator's login; the adapter logs in and keeps the bearer session token Vendure returns. */
  | { username: string; password: string };

export interface VendureClientOptions {
  /** e.g. http://127.0.0.1:3000/admin-api */
  adminApiUrl: string;
  auth: VendureAuth;
  /** Per call; a slow shop must never hold a caller longer than this. */
  timeoutMs: number;
  /** Selects a channel other than the default one (`vendure-token` header). */
  channelToken?: string;
}

/** Vendure's GraphQL error codes (`extensions.code`) → what a caller can do about them. */
const ERROR_CODES: Record<string, ShopErrorCode> = {
  FORBIDDEN: 'UNAUTHORIZED',
  ENTITY_NOT_FOUND: 'NOT_FOUND',
  USER_INPUT_ERROR: 'INVALID_REQUEST',
  BAD_USER_INPUT: 'INVALID_REQUEST',
  GRAPHQL_VALIDATION_FAILED: 'INVALID_REQUEST',
  ILLEGAL_OPERATION: 'REJECTED',
};

interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}

/**
 * GraphQL over fetch to the Vendure Admin API: a timeout on every call, Vendure's errors as `ShopError`s, and
 * one fresh login when a session token has expired.
 */
export class VendureClient {
  private sessionToken: string | undefined;
  private login: Promise<void> | undefined;

  constructor(private readonly options: VendureClientOptions) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    if ('username' in this.options.auth && !this.sessionToken) await this.logIn();
    try {
      return await this.send<T>(query, variables);
    } catch (error) {
      if (error instanceof ShopError && error.code === 'UNAUTHORIZED' && 'username' in this.options.auth) {
        this.sessionToken = undefined;
        await this.logIn();
        return this.send<T>(query, variables);
      }
      throw error;
    }
  }

  /**
   * Mutations answer business failures as data (`ErrorResult` with `errorCode`, e.g. a refund above the
   * payment): those are the shop refusing the action by its rules.
   */
  async mutate<T>(field: string, query: string, variables: Record<string, unknown>): Promise<T> {
    const data = await this.request<Record<string, T & { errorCode?: string; message?: string }>>(
      query,
      variables,
    );
    const result = data[field];
    if (result && typeof result === 'object' && 'errorCode' in result && result.errorCode) {
      throw new ShopError('REJECTED', result.message ?? result.errorCode, { rawCode: result.errorCode });
    }
    return result as T;
  }

  private logIn(): Promise<void> {
    this.login ??= (async () => {
      const auth = this.options.auth as { username: string; password: string };
      const result = await this.send<{ login: { id?: string; errorCode?: string; message?: string } }>(
        LOGIN,
        {
          username: auth.username,
          password: auth.password,
        },
      );
      if (!result.login.id) {
        throw new ShopError('UNAUTHORIZED', `Vendure refused the login: ${result.login.message ?? ''}`, {
          ...(result.login.errorCode ? { rawCode: result.login.errorCode } : {}),
        });
      }
    })().finally(() => (this.login = undefined));
    return this.login;
  }

  private async send<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const { auth, channelToken, timeoutMs } = this.options;
    let response: Response;
    try {
      response = await fetch(this.options.adminApiUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...('apiKey' in auth ? { 'vendure-api-key': auth.apiKey } : {}),
          ...(this.sessionToken ? { authorization: `Bearer ${this.sessionToken}` } : {}),
          ...(channelToken ? { 'vendure-token': channelToken } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw transportError(error, timeoutMs);
    }
    // Only a login session is kept: a bearer token would shadow the API key (Vendure reads bearer first).
    const token = response.headers.get('vendure-auth-token');
    if (token && 'username' in auth) this.sessionToken = token;
    let json: { data?: T; errors?: GraphqlError[] };
    try {
      json = (await response.json()) as typeof json;
    } catch (error) {
      if (!response.ok) throw httpError(response.status);
      throw transportError(error, timeoutMs);
    }
    if (json.errors?.length) {
      const first = json.errors[0]!;
      const rawCode = first.extensions?.code;
      const code: ShopErrorCode = (rawCode && ERROR_CODES[rawCode]) || 'UNAVAILABLE';
      throw new ShopError(code, `Vendure: ${first.message}`, {
        status: response.status,
        ...(rawCode ? { rawCode } : {}),
      });
    }
    if (!response.ok || json.data === undefined) throw httpError(response.status);
    return json.data;
  }
}

function httpError(status: number): ShopError {
  const code: ShopErrorCode =
    status === 429 ? 'RATE_LIMITED' : status === 401 || status === 403 ? 'UNAUTHORIZED' : 'UNAVAILABLE';
  return new ShopError(code, `Vendure answered HTTP ${status}`, { status });
}

function transportError(error: unknown, timeoutMs: number): ShopError {
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ShopError('TIMEOUT', `Vendure did not answer within ${timeoutMs} ms`, { cause: error });
  }
  return new ShopError('UNAVAILABLE', `Vendure cannot be reached: ${(error as Error).message}`, {
    cause: error,
  });
}
