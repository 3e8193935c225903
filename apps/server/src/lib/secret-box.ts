import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encryption of secrets at rest (shop credentials, webhook secrets): AES-256-GCM with a random 96-bit IV per
 * value. A sealed value reads `pdsb1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts): the key id travels
 * with the ciphertext, so the key can be rotated — a new current key seals, older keys still open what they
 * sealed, and `needsReseal` tells which values to re-encrypt. The caller's `context` (e.g.
 * `<tenant>/<connection>/credentials`) is bound as additional authenticated data, so a ciphertext copied into
 * another row or field does not open there.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  /** `current` seals and opens; `previous` keys only open (rotation). Every key is 32 bytes. */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new SecretKeyError('a secret key must be 32 bytes');
      this.keys.set(keyIdOf(key), key);
    }
    this.currentKeyId = keyIdOf(current);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [PREFIX, this.currentKeyId, iv, body, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws `SecretBoxError` when the value is malformed, sealed with an unknown key, or tampered with. */
  open(sealed: string, context: string): string {
    const [prefix, keyId, iv, body, tag] = sealed.split('.');
    if (prefix !== PREFIX || !keyId || iv === undefined || body === undefined || tag === undefined) {
      throw new SecretBoxError('not a sealed value');
    }
    const key = this.keys.get(keyId);
    if (!key)
      throw new SecretBoxError(`sealed with an unknown key (${keyId}): is PEAKDESK_SECRET_KEY right?`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch (error) {
      throw new SecretBoxError('the sealed value does not open with its key and context', { cause: error });
    }
  }

  /** True when the value was sealed with an older key and should be sealed again with the current one. */
  needsReseal(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentKeyId;
  }
}

const PREFIX = 'pdsb1';

export class SecretBoxError extends Error {}
export class SecretKeyError extends Error {}

/** A short public fingerprint of a key (never the key): 8 base64url characters of SHA-256. */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('peakdesk-secret-box').update(key).digest('base64url').slice(0, 8);
}

/** A base64 (or base64url) encoded 32-byte key, as `PEAKDESK_SECRET_KEY` holds it. */
export function parseSecretKey(text: string, name = 'PEAKDESK_SECRET_KEY'): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, /[-_]/.test(trimmed) ? 'base64url' : 'base64');
  if (key.length !== 32) {
    throw new SecretKeyError(
      `${name} must be 32 bytes in base64 (openssl rand -base64 32), got ${key.length}`,
    );
  }
  return key;
}

export const KEY_FILE_NAME = 'secret-box.key';

/**
 * The key for the embedded setup without `PEAKDESK_SECRET_KEY`: generated once into `<dataDir>/secret-box.key`
 * (mode 0600) and read from there afterwards. Creation is exclusive (`wx`), so two processes starting at once
 * end up with the same key. Several machines sharing one database must set `PEAKDESK_SECRET_KEY` instead.
 */
export function loadOrCreateKeyFile(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE_NAME);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(path, 0o600);
  return parseSecretKey(readFileSync(path, 'utf8'), path);
}

/**
 * The box from the environment: `PEAKDESK_SECRET_KEY` (current) and `PEAKDESK_SECRET_KEYS_PREVIOUS`
 * (comma-separated, for values sealed before a rotation); without a current key, the data directory's key file.
 */
export function secretBoxFromEnvironment(env: NodeJS.ProcessEnv, dataDir: string): SecretBox {
  const previous = (env.PEAKDESK_SECRET_KEYS_PREVIOUS ?? '')
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => parseSecretKey(part, 'PEAKDESK_SECRET_KEYS_PREVIOUS'));
  const current = env.PEAKDESK_SECRET_KEY
    ? parseSecretKey(env.PEAKDESK_SECRET_KEY)
    : loadOrCreateKeyFile(dataDir);
  return new SecretBox(current, previous);
}
