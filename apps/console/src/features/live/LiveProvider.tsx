import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { LIVE_EVENT_TYPES, reconnectDelay, type LiveEvent } from './live-events.ts';

export type LiveStatus = 'connecting' | 'open' | 'reconnecting';

interface LiveContextValue {
  status: LiveStatus;
  /** Listens to every event until the returned function is called. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
}

const LiveContext = createContext<LiveContextValue>({
  status: 'connecting',
  subscribe: () => () => undefined,
});

/** How long list refetches wait to gather a burst of events into one refetch (ms). */
const LIST_DEBOUNCE_MS = 1500;

/**
 * One EventSource per signed-in tab on GET /api/v1/live. Ticket events refresh what they touch in the
 * TanStack Query cache: the open ticket at once, the lists (and counts, floor numbers) debounced, so a surge
 * of events costs one refetch per view, not one per event. New tickets are not pushed into the list under
 * the agent's cursor: queues show an "N new" badge instead (useLive().subscribe). After a dropped stream it
 * reconnects with backoff and refetches everything, since events missed meanwhile are not replayed.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const listeners = useRef(new Set<(event: LiveEvent) => void>());

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let listTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let everOpened = false;
    let closed = false;

    const refreshLists = () => {
      listTimer ??= setTimeout(() => {
        listTimer = undefined;
        void client.invalidateQueries({ queryKey: ['tickets', 'list'] });
        void client.invalidateQueries({ queryKey: ['queues'] });
        void client.invalidateQueries({ queryKey: ['floor'] });
      }, LIST_DEBOUNCE_MS);
    };

    const onEvent = (message: MessageEvent<string>) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(message.data) as LiveEvent;
      } catch {
        return;
      }
      if ('tickets' in event) {
        for (const ticket of event.tickets) {
          void client.invalidateQueries({ queryKey: ['tickets', 'detail', ticket.id] });
          void client.invalidateQueries({ queryKey: ['tickets', 'history', ticket.id] });
        }
      }
      // New tickets wait for the agent ("N new"); changes to listed tickets refresh the lists.
      if (event.type !== 'ticket.created') refreshLists();
      else {
        void client.invalidateQueries({ queryKey: ['queues'] });
        void client.invalidateQueries({ queryKey: ['floor'] });
      }
      for (const listener of listeners.current) listener(event);
    };

    const connect = () => {
      source = new EventSource('/api/v1/live');
      for (const type of LIVE_EVENT_TYPES) source.addEventListener(type, onEvent);
      source.addEventListener('ready', () => {
        if (everOpened) void client.invalidateQueries();
        everOpened = true;
        failures = 0;
        setStatus('open');
      });
      source.onerror = () => {
        // The browser retries a dropped stream by itself; we take over so that a refused or broken one
        // (401, 503) backs off instead of hammering the server.
        source?.close();
        if (closed) return;
        setStatus('reconnecting');
        retry = setTimeout(connect, reconnectDelay(failures++));
      };
    };
    connect();
    return () => {
      closed = true;
      source?.close();
      clearTimeout(retry);
      clearTimeout(listTimer);
    };
  }, [client]);

  const subscribe = useCallback((listener: (event: LiveEvent) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const value = useMemo(() => ({ status, subscribe }), [status, subscribe]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveContextValue {
  return useContext(LiveContext);
}
