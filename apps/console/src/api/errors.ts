import type { TFunction } from 'i18next';
import { ApiError } from './client.ts';

/** What to tell the user about a failed call: our own words for known codes, else the server's detail. */
export function describeError(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    const known = t(key);
    return known === key ? error.message || t('error.generic') : known;
  }
  if (error instanceof TypeError) return t('error.network');
  return t('error.generic');
}
