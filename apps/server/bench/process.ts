import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU milliseconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms; Linux). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by these processes together (a process that has gone counts 0). */
export function cpuSeconds(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0) / 1000;
}

/** A process and its descendants. */
export function processTree(root: number): number[] {
  const all = [root];
  for (const pid of all) {
    try {
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      if (children) all.push(...children.split(/\s+/).map(Number));
    } catch {
      /* gone */
    }
  }
  return all;
}

/** Asks an instrumented bench server (a forked child) for `op` over IPC and waits for its reply to that op. */
export function ask<T>(child: ChildProcess, op: string, extra: Record<string, unknown> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: { op: string; result?: unknown; error?: string }) => {
      if (reply.op !== op) return;
      child.off('message', onMessage);
      if (reply.error) reject(new Error(reply.error));
      else resolve(reply.result as T);
    };
    child.on('message', onMessage);
    child.send({ op, ...extra });
  });
}
