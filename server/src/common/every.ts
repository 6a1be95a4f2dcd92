// A background job that runs every so often on each instance (sweeps, purges). The timer
// never keeps the process alive, and a failed run is logged and left to the next one.
import type { Logger } from '@nestjs/common';

/** Runs `job` every `ms`; returns what stops it. Failures are logged as `what failed: …`. */
export function every(ms: number, job: () => Promise<unknown>, logger: Logger, what: string): () => void {
  const timer = setInterval(() => void runLogged(job, logger, what), ms);
  timer.unref();
  return () => clearInterval(timer);
}

/** Runs `job` once, logging (not throwing) a failure. */
export async function runLogged(job: () => Promise<unknown>, logger: Logger, what: string): Promise<void> {
  try {
    await job();
  } catch (err) {
    logger.error(`${what} failed: ${(err as Error).message}`);
  }
}
