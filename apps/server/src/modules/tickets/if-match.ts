import { AppError } from '../../errors.ts';

/**
 * The ticket version an `If-Match` header names. Accepts `3`, `"3"` and `W/"3"` (clients and proxies differ
 * in how they echo an ETag). No header is 428; a tag that is not a version, `*`, or a list can never match
 * the current version and is 412, as RFC 9110 has it for an If-Match that does not match.
 */
export function parseIfMatch(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.trim() === '') {
    throw new AppError('PRECONDITION_REQUIRED', 'Send If-Match with the version you read (its ETag)');
  }
  const match = /^\s*(?:W\/)?("?)([1-9]\d{0,9})\1\s*$/.exec(value);
  const version = match ? Number(match[2]) : NaN;
  if (!Number.isSafeInteger(version) || version > 2_147_483_647) {
    throw new AppError('VERSION_MISMATCH', `If-Match ${JSON.stringify(value)} names no version`);
  }
  return version;
}

/** The ETag of a ticket version, strong and quoted as RFC 9110 requires. */
export function etagOf(version: number): string {
  return `"${version}"`;
}
