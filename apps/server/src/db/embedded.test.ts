import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstUnenterable } from './embedded.ts';

describe('firstUnenterable', () => {
  const root = mkdtempSync(join(tmpdir(), 'peakdesk-enter-'));
  const me = process.getuid!();
  const stranger = 2_000_000_000;
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    { mode: 0o755, uid: stranger, gids: [], blocked: false },
    { mode: 0o711, uid: stranger, gids: [], blocked: false },
    { mode: 0o700, uid: stranger, gids: [], blocked: true },
    { mode: 0o750, uid: stranger, gids: [], blocked: true },
    { mode: 0o700, uid: me, gids: [], blocked: false },
  ])('mode $mode for uid $uid: blocked $blocked', ({ mode, uid, gids, blocked }) => {
    const dir = mkdtempSync(join(root, 'd-'));
    chmodSync(root, 0o755);
    mkdirSync(join(dir, 'inner'));
    chmodSync(dir, mode);
    expect(firstUnenterable(join(dir, 'inner', 'not-yet'), uid, gids)).toBe(blocked ? dir : undefined);
  });
});
