// What a benchmark ran on, printed and saved beside its figures.
import os from 'node:os';

/** Tor Browser's "Safer" level turns the JIT off; `node --jitless` stands in for it. */
export const JITLESS = process.execArgv.includes('--jitless') || /--jitless\b/.test(process.env.NODE_OPTIONS ?? '');

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    logicalCpus: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    jitless: JITLESS,
  };
}
