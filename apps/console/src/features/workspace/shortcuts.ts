export type ShortcutAction = 'down' | 'up' | 'open' | 'reply' | 'next' | 'help';

/** The workspace's keys; see ShortcutHelp. */
export const SHORTCUTS: ReadonlyArray<[string, ShortcutAction]> = [
  ['j', 'down'],
  ['k', 'up'],
  ['Enter', 'open'],
  ['r', 'reply'],
  ['n', 'next'],
  ['?', 'help'],
];

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/**
 * The action of a key press, or null: never while the user types (inputs, text areas, editable content, an
 * open select) or with Ctrl/Alt/Meta held, so shortcuts do not steal keys from the browser or the composer.
 */
export function shortcutFor(event: {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  target: {
    tagName?: string;
    isContentEditable?: boolean;
    getAttribute?(name: string): string | null;
  } | null;
}): ShortcutAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  const target = event.target;
  if (target?.tagName && TYPING.has(target.tagName)) return null;
  if (target?.isContentEditable) return null;
  if (target?.getAttribute?.('role') === 'combobox') return null;
  return SHORTCUTS.find(([key]) => key === event.key)?.[1] ?? null;
}
