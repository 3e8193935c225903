import { useCallback } from 'react';

/**
 * A ref for the element around an antd Table with `scroll.y`: its scrolling body gets a tab stop and a name,
 * so that keyboard users can scroll a table that holds nothing focusable (WCAG 2.1.1; axe
 * "scrollable-region-focusable"). antd offers no prop for the body element itself.
 */
export function useKeyboardScroll(label: string) {
  return useCallback(
    (element: HTMLElement | null) => {
      element?.querySelectorAll<HTMLElement>('.ant-table-body').forEach((body) => {
        body.tabIndex = 0;
        body.setAttribute('role', 'region');
        body.setAttribute('aria-label', label);
      });
    },
    [label],
  );
}
