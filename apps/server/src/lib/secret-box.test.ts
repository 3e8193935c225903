import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  KEY_FILE_NAME,
  SecretBox,
  SecretBoxError,
  SecretKeyError,
  loadOrCreateKeyFile,
  parseSecretKey,
  secretBoxFromEnvironment,
} from './secret-box.ts';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'secret-box-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SecretBox', () => {
  it('opens what it sealed, with the same context', () => {
    const box = new SecretBox(KEY_A);
    const sealed = box.seal('{"apiKey":"s3cret 密钥"}', 't1/c1/credentials');
    expect(sealed).toMatch(/^pdsb1\.[\w-]{8}\./);
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed, 't1/c1/credentials')).toBe('{"apiKey":"s3cret 密钥"}');
  });

  it('seals the same value differently every time (random IV)', () => {
    const box = new SecretBox(KEY_A);
    expect(box.seal('x', 'c')).not.toBe(box.seal('x', 'c'));
  });

  it.each([
    ['another context', (s: string) => s, 't2/c1/credentials'],
    ['a flipped ciphertext byte', (s: string) => flip(s, 3), 't1/c1/credentials'],
    ['a flipped tag byte', (s: string) => flip(s, 4), 't1/c1/credentials'],
    ['a missing part', (s: string) => s.split('.').slice(0, 4).join('.'), 't1/c1/credentials'],
    ['another format', () => 'plain text', 't1/c1/credentials'],
  ])('refuses %s', (_name, tamper, context) => {
    const box = new SecretBox(KEY_A);
    const sealed = tamper(box.seal('secret', 't1/c1/credentials'));
    expect(() => box.open(sealed, context)).toThrow(SecretBoxError);
  });

  it('opens values sealed with a previous key after a rotation, and says they need resealing', () => {
    const old = new SecretBox(KEY_A);
    const sealed = old.seal('secret', 'ctx');
    const rotated = new SecretBox(KEY_B, [KEY_A]);
    expect(rotated.open(sealed, 'ctx')).toBe('secret');
    expect(rotated.needsReseal(sealed)).toBe(true);
    expect(rotated.needsReseal(rotated.seal('secret', 'ctx'))).toBe(false);
    expect(() => new SecretBox(KEY_B).open(sealed, 'ctx')).toThrow(/unknown key/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(SecretKeyError);
    expect(() => parseSecretKey(Buffer.alloc(31).toString('base64'))).toThrow(/32 bytes/);
    expect(parseSecretKey(KEY_A.toString('base64'))).toEqual(KEY_A);
    expect(parseSecretKey(Buffer.alloc(32, 0xfb).toString('base64url'))).toEqual(Buffer.alloc(32, 0xfb));
  });
});

describe('key sources', () => {
  it('generates the key file once (0600) and reads the same key afterwards', () => {
    const dir = tempDir();
    const first = loadOrCreateKeyFile(dir);
    const second = loadOrCreateKeyFile(dir);
    expect(second).toEqual(first);
    expect(statSync(join(dir, KEY_FILE_NAME)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, KEY_FILE_NAME), 'utf8').trim()).toBe(first.toString('base64'));
  });

  it('prefers PEAKDESK_SECRET_KEY and writes no file then; previous keys still open old values', () => {
    const dir = tempDir();
    const sealedWithA = new SecretBox(KEY_A).seal('v', 'ctx');
    const box = secretBoxFromEnvironment(
      {
        PEAKDESK_SECRET_KEY: KEY_B.toString('base64'),
        PEAKDESK_SECRET_KEYS_PREVIOUS: KEY_A.toString('base64'),
      },
      dir,
    );
    expect(box.currentKeyId).toBe(new SecretBox(KEY_B).currentKeyId);
    expect(box.open(sealedWithA, 'ctx')).toBe('v');
    expect(() => statSync(join(dir, KEY_FILE_NAME))).toThrow();
  });
});

function flip(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0xff;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}
