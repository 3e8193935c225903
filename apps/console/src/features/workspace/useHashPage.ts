import { useEffect, useState } from 'react';

/** The top-level page from the URL hash: `#/supervisor` → 'supervisor'; tickets (`#/tickets/…`) → 'workspace'. */
export function pageFromHash(hash: string): string {
  const first = /^#\/([a-z-]+)/.exec(hash)?.[1];
  return !first || first === 'tickets' ? 'workspace' : first;
}

export function useHashPage(): string {
  const [page, setPage] = useState(() => pageFromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setPage(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return page;
}
