/**
 * A minimal GraphQL-over-fetch client for the fixture's seeding: bearer tokens, as Vendure issues them in the
 * `vendure-auth-token` response header (Shop API sessions and Admin API logins alike).
 */
export class GraphqlClient {
  private token: string | undefined;

  constructor(private readonly url: string) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const token = response.headers.get('vendure-auth-token');
    if (token) this.token = token;
    const json = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (json.errors?.length)
      throw new Error(`GraphQL error: ${json.errors.map((e) => e.message).join('; ')}`);
    return json.data as T;
  }

  /** Mutations answer error results as data (`errorCode`); the fixture treats any of them as a bug. */
  async mutate<T>(field: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const data = await this.request<Record<string, T & { errorCode?: string; message?: string }>>(
      query,
      variables,
    );
    const result = data[field]!;
    if (result && typeof result === 'object' && 'errorCode' in result && result.errorCode) {
      throw new Error(`${field}: ${result.errorCode} ${result.message ?? ''}`);
    }
    return result;
  }
}
