// Last-resort cleanup when the Node process ends while tor children still run:
// normal exit, or SIGINT/SIGTERM (Ctrl-C on a test run). Without it every
// interrupted run would leave tor processes behind. SIGKILL cannot be caught;
// for that case tor watches our PID itself (__OwningControllerProcess).

type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `cleanup` (synchronously; it must not rely on the event loop) if the
 * process exits or receives SIGINT/SIGTERM/SIGHUP. Returns a function that
 * unregisters it, to call once the resources were released normally.
 */
export function onProcessExit(cleanup: Cleanup): () => void {
  if (cleanups.size === 0) install();
  cleanups.add(cleanup);
  return () => {
    if (cleanups.delete(cleanup) && cleanups.size === 0) uninstall();
  };
}

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Keep going: the remaining children must still be killed.
    }
  }
  uninstall();
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  // Our listener suppressed Node's default "die on signal"; restore it unless
  // someone else handles the signal (they then decide whether to exit).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', runAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', runAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}
