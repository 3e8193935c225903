import { useEffect, useState } from 'react';

/** Whether the URL hash is the tasks page (`#/tasks`); pure. */
export function isTasksHash(hash: string): boolean {
  return /^#\/tasks(\/|$)/.test(hash);
}

/** The tasks page is a hash route, like the ticket (`#/tickets/<id>`) and the supervisor's floor. */
export function useIsTasksPage(): boolean {
  const [onTasks, setOnTasks] = useState(() => isTasksHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setOnTasks(isTasksHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return onTasks;
}
