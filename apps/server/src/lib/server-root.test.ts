import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONSOLE_DIR } from '../http/console.plugin.ts';
import { DEFAULT_MODEL_PATH } from '../modules/classifier/classifier.ts';
import { HANDWRITTEN_CORPUS_PATH } from '../modules/classifier/corpus/corpus.ts';
import { findServerRoot, serverRoot } from './server-root.ts';

const SERVER = resolve(import.meta.dirname, '../..');

describe('findServerRoot', () => {
  it.each([
    ['a module in src/', join(SERVER, 'src/modules/classifier')],
    ['a chunk of a build under dist/', join(SERVER, 'dist/mxc0abcd-1234')],
    ['a folder with another package.json on the way', join(SERVER, 'node_modules/ajv/lib')],
    ['the package itself', SERVER],
  ])('finds apps/server from %s', (_, from) => {
    expect(findServerRoot(from)).toBe(SERVER);
  });

  it('refuses a folder outside the server package', () => {
    expect(() => findServerRoot(resolve(SERVER, '../console/src'))).toThrow(/@peakdesk\/server/);
  });
});

describe('files found from the server root', () => {
  it('name the same files as from src/', () => {
    expect(serverRoot()).toBe(SERVER);
    expect(existsSync(DEFAULT_MODEL_PATH)).toBe(true);
    expect(existsSync(HANDWRITTEN_CORPUS_PATH)).toBe(true);
    expect(DEFAULT_CONSOLE_DIR).toBe(resolve(SERVER, '../console/dist'));
  });
});
