/**
 * The console's one way to call the PeakDesk API: same-origin, session cookie, the CSRF token echoed on every
 * write, and RFC 9457 problem+json answers turned into ApiError (with the server's stable `code`).
 */

export interface Problem {
  type?: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }
}

export const CSRF_COOKIE = 'peakdesk_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of one cookie in a `document.cookie` string, or undefined. */
export function readCookie(cookies: string, name: string): string | undefined {
  for (const part of cookies.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/** An answer that is not problem+json (a proxy's HTML page, a dropped connection) still becomes an ApiError. */
export async function toApiError(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      if (typeof body.code === 'string') {
        return new ApiError({
          ...body,
          title: body.title ?? response.statusText,
          status: response.status,
          code: body.code,
        });
      }
    } catch {
      // fall through to the generic error below
    }
  }
  return new ApiError({
    title: response.statusText || 'Error',
    status: response.status,
    code: `HTTP_${response.status}`,
  });
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | readonly string[] | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Where the CSRF token comes from; the document's cookie in the browser. */
  csrfToken?: () => string | undefined;
}

export function buildQuery(query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const csrf =
    options.csrfToken ??
    (() => (typeof document === 'undefined' ? undefined : readCookie(document.cookie, CSRF_COOKIE)));

  async function send<T>(path: string, request: RequestOptions = {}): Promise<ApiResponse<T>> {
    const method = request.method ?? 'GET';
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (!SAFE_METHODS.has(method)) {
      const token = csrf();
      if (token) headers['x-csrf-token'] = token;
    }
    const response = await doFetch(`${baseUrl}${path}${buildQuery(request.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: request.body === undefined ? null : JSON.stringify(request.body),
      signal: request.signal ?? null,
    });
    if (!response.ok) throw await toApiError(response);
    const data = (response.status === 204 ? null : await response.json()) as T;
    return { data, etag: response.headers.get('etag') };
  }

  return {
    send,
    get: async <T>(path: string, query?: RequestOptions['query']) => (await send<T>(path, { query })).data,
    post: async <T>(path: string, body?: unknown) => (await send<T>(path, { method: 'POST', body })).data,
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

export const api = createApiClient();
