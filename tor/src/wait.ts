// Polling helpers: tor offers no push notification for the states we wait on
// (a file appearing, a consensus listing flags, an onion answering).

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `attempt` every `intervalMs` until it returns a value other than
 * undefined, `abort` returns an error message, or `deadline` (epoch ms) passes.
 */
export async function pollUntil<T>(options: {
  attempt: () => Promise<T | undefined>;
  intervalMs: number;
  deadline: number;
  abort?: () => string | undefined;
  timeoutMessage: () => string;
}): Promise<T> {
  const { attempt, intervalMs, deadline, abort, timeoutMessage } = options;
  for (;;) {
    const aborted = abort?.();
    if (aborted !== undefined) throw new Error(aborted);
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() + intervalMs > deadline) throw new Error(timeoutMessage());
    await sleep(intervalMs);
  }
}
