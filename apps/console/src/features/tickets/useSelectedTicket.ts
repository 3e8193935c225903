import { useCallback, useEffect, useState } from 'react';

const PATTERN = /^#\/tickets\/([0-9a-f-]{36})$/i;

/** The open ticket lives in the URL hash (#/tickets/<id>), so a reload or a shared link opens it again. */
export function ticketIdFromHash(hash: string): string | null {
  return PATTERN.exec(hash)?.[1] ?? null;
}

export function useSelectedTicket(): [string | null, (id: string) => void] {
  const [id, setId] = useState(() => ticketIdFromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setId(ticketIdFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const select = useCallback((next: string) => {
    window.location.hash = `#/tickets/${next}`;
  }, []);
  return [id, select];
}
