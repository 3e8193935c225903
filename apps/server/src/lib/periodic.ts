/**
 * Runs `task` every `intervalMs` (jittered by ±20% so that several nodes drift apart), never two at once.
 * Returns `stop`, which cancels the next run and waits for a run in progress. Errors go to `onError`; the
 * schedule goes on.
 */
export function startPeriodic(
  task: () => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void,
): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const jitter = 0.8 + Math.random() * 0.4;
    timer = setTimeout(() => {
      running = task().catch(onError).finally(schedule);
    }, intervalMs * jitter);
    timer.unref();
  };
  schedule();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
