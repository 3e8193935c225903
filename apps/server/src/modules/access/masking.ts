import type { CustomerAddress } from '../../db/tables.ts';

/** `13800000001` → `138****0001`; short numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length >= 7) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length <= 2) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/** `zhang.san@example.com` → `z***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** Keeps the region (enough to reason about shipping) and hides the street, the name and the phone. */
export function maskAddress(address: CustomerAddress): CustomerAddress {
  const masked: CustomerAddress = { ...address };
  if (masked.name) masked.name = `${[...masked.name][0] ?? ''}**`;
  if (masked.phone) masked.phone = maskPhone(masked.phone);
  if (masked.line1) masked.line1 = '****';
  if (masked.postalCode) masked.postalCode = '****';
  return masked;
}

// Mainland mobile numbers and email addresses inside free text (message bodies, subjects).
const PHONE_IN_TEXT = /(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
const EMAIL_IN_TEXT = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/g;

/** Masks phone numbers and email addresses a customer wrote into a message. */
export function maskPiiInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, '$1****$3').replace(EMAIL_IN_TEXT, '$1***$2');
}
