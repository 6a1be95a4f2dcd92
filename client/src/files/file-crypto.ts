// Where file encryption runs: in a dedicated worker (workers/file-crypto.worker.ts), so
// the page stays responsive while megabytes go through tweetnacl (slow without a JIT).
//
// The worker is started on first use. A worker runs under the policy of its own script
// response, so the server sends scripts with script-src 'self' (the bundle loads its
// chunks with importScripts). Where no worker can start, the work runs on the page in
// small slices: slower, but the file still goes out encrypted.

import { EngineError, FileEngine, type EngineRequest, type EngineResult } from './file-engine';

export type CryptoMode = 'worker' | 'page';

/** Loading the worker's scripts over a slow circuit can take a while. */
const BOOT_TIMEOUT_MS = 45_000;
/** On the page: work this long, then let it repaint. */
const PAGE_SLICE_MS = 12;

type Answer =
  { id: number; ok: true; result: EngineResult } | { id: number; ok: false; error: { kind: string; message: string } };

interface Port {
  readonly mode: CryptoMode;
  call(request: EngineRequest, transfer: Transferable[]): Promise<EngineResult>;
  close(): void;
}

export class FileCrypto {
  private port: Promise<Port> | null = null;
  private nextJob = 1;
  private stopped = false;
  private current: Port | null = null;

  /** A fresh job id (one upload or download). */
  job(): number {
    return this.nextJob++;
  }

  /** How the engine runs, once started (for the record; null before). */
  get mode(): CryptoMode | null {
    return this.current?.mode ?? null;
  }

  async call<Op extends EngineResult['op']>(
    request: EngineRequest & { op: Op },
    transfer: Transferable[] = [],
  ): Promise<Extract<EngineResult, { op: Op }>> {
    if (this.stopped) throw new EngineError('internal', 'The page is closing.');
    const port = await this.start();
    const result = await port.call(request, transfer);
    return result as Extract<EngineResult, { op: Op }>;
  }

  /** Forgets a job (its keys are wiped); never fails. */
  close(job: number): void {
    if (!this.current) return;
    this.current.call({ op: 'close', job }, []).catch(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    this.current?.close();
    this.current = null;
  }

  private start(): Promise<Port> {
    if (!this.port) {
      this.port = boot().then((port) => {
        if (this.stopped) port.close();
        this.current = port;
        port.onDeath = () => {
          // Crashed: the next call starts a new one (jobs in it are gone; their owners reopen them).
          if (this.current === port) {
            this.current = null;
            this.port = null;
          }
        };
        return port;
      });
    }
    return this.port;
  }
}

interface BootedPort extends Port {
  onDeath: (() => void) | null;
}

async function boot(): Promise<BootedPort> {
  if (typeof Worker !== 'undefined') {
    try {
      // Turbopack bundles the worker only for this exact form: the global Worker and a
      // new URL of a literal path.
      return new WorkerPort(
        await startWorker(() => new Worker(new URL('../workers/file-crypto.worker.ts', import.meta.url))),
        'worker',
      );
    } catch {
      // No worker here (refused or failed to load): run on the page.
    }
  }
  return new PagePort();
}

/** Starts a worker and waits for its "ready" (it has loaded everything it needs). */
function startWorker(create: () => Worker): Promise<Worker> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = create();
    } catch (error) {
      reject(error);
      return;
    }
    const timer = setTimeout(() => fail(new Error('The file worker did not start in time.')), BOOT_TIMEOUT_MS);
    const onMessage = (event: MessageEvent) => {
      if ((event.data as { ready?: unknown } | null)?.ready !== true) return;
      cleanup();
      resolve(worker);
    };
    const onError = (event: Event) => {
      event.preventDefault();
      fail(new Error((event as ErrorEvent).message || 'The file worker failed to start.'));
    };
    function cleanup() {
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
    }
    function fail(error: Error) {
      cleanup();
      worker.terminate();
      reject(error);
    }
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
  });
}

class WorkerPort implements BootedPort {
  onDeath: (() => void) | null = null;
  private readonly pending = new Map<number, { resolve: (r: EngineResult) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  private dead = false;

  constructor(
    private readonly worker: Worker,
    readonly mode: CryptoMode,
  ) {
    worker.addEventListener('message', (event: MessageEvent) => this.onMessage(event.data as Answer));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.die('The file worker stopped unexpectedly.');
    });
  }

  call(request: EngineRequest, transfer: Transferable[]): Promise<EngineResult> {
    if (this.dead) return Promise.reject(new EngineError('internal', 'The file worker stopped.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ id, request }, transfer);
      } catch (error) {
        this.pending.delete(id);
        reject(new EngineError('internal', error instanceof Error ? error.message : String(error)));
      }
    });
  }

  close(): void {
    this.die('The page is closing.');
  }

  private onMessage(answer: Answer): void {
    if (!answer || typeof answer.id !== 'number') return;
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    if (answer.ok) waiting.resolve(answer.result);
    else waiting.reject(new EngineError(engineKind(answer.error.kind), answer.error.message));
  }

  private die(message: string): void {
    if (this.dead) return;
    this.dead = true;
    this.worker.terminate();
    for (const waiting of this.pending.values()) waiting.reject(new EngineError('internal', message));
    this.pending.clear();
    this.onDeath?.();
  }
}

class PagePort implements BootedPort {
  readonly mode = 'page' as const;
  onDeath: (() => void) | null = null;
  private sliceStart = performance.now();
  private readonly engine = new FileEngine({
    breathe: async () => {
      if (performance.now() - this.sliceStart < PAGE_SLICE_MS) return;
      await new Promise((resolve) => setTimeout(resolve, 0));
      this.sliceStart = performance.now();
    },
  });

  call(request: EngineRequest): Promise<EngineResult> {
    return this.engine.handle(request);
  }

  close(): void {}
}

function engineKind(kind: string): EngineError['kind'] {
  return kind === 'tampered' || kind === 'unreadable' ? kind : 'internal';
}
