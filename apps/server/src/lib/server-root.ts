import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@peakdesk/server';

/**
 * The nearest folder at or above `from` holding the server's package.json (apps/server). Files that ship
 * beside the code (the classifier model, the console build, the demo shop) are found from here, because
 * `import.meta.url` points into src/ when run as TypeScript but into dist/<build>/ once bundled.
 */
export function findServerRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${from}`);
  }
}

let root: string | undefined;

/** apps/server, wherever this module runs from (src/lib/ or a bundle under dist/). */
export function serverRoot(): string {
  root ??= findServerRoot(dirname(fileURLToPath(import.meta.url)));
  return root;
}
