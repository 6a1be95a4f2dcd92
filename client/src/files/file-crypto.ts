// Where file encryption runs. In a page: in a dedicated worker the app creates (its
// entry calls serveFileEngine, ./file-engine-worker.ts), so the page stays responsive
// while megabytes are encrypted and hashed (new files in WebCrypto's AES-GCM; version 1
// files still downloaded go through tweetnacl, slow without a JIT). A worker runs under the
// policy of its own script response, so the server sends scripts with script-src
// 'self' (the bundle loads its chunks with importScripts).
//
// Without a worker (Node, unit tests, or a page where none could start) the engine
// runs in-process in small slices, letting the platform breathe between them: slower
// in a page, but the file still goes out encrypted.

import type { Platform } from '../platform.js';
import { EngineError, FileEngine, type EngineRequest, type EngineResult } from './file-engine.js';
import type { EngineAnswer } from './file-engine-worker.js';

export type CryptoMode = 'worker' | 'in-process';

/**
 * What FileCrypto needs of a Worker (a DOM `Worker` fits). Its script must call
 * serveFileEngine.
 */
export interface FileWorker {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'error', listener: (event: Event) => void): void;
  removeEventListener(type: 'message' | 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

export interface FileCryptoOptions {
  /**
   * Starts the file worker: in a page, the app's own
   * `() => new Worker(new URL('<its worker entry>', import.meta.url))`. Left out (Node,
   * tests): the engine runs in-process.
   */
  createWorker?: () => FileWorker;
  platform: Platform;
}

/** Loading the worker's scripts over a slow circuit can take a while. */
export const BOOT_TIMEOUT_MS = 45_000;
/** In-process: work this long, then let the platform breathe (a page repaints). */
const SLICE_MS = 12;

interface Port {
  readonly mode: CryptoMode;
  call(request: EngineRequest, transfer: Transferable[]): Promise<EngineResult>;
  close(): void;
  onDeath: (() => void) | null;
}

export class FileCrypto {
  private port: Promise<Port> | null = null;
  private nextJob = 1;
  private stopped = false;
  private current: Port | null = null;

  constructor(private readonly options: FileCryptoOptions) {}

  /** A fresh job id (one upload or download). */
  job(): number {
    return this.nextJob++;
  }

  /** How the engine runs, once started (null before). */
  get mode(): CryptoMode | null {
    return this.current?.mode ?? null;
  }

  async call<Op extends EngineResult['op']>(
    request: EngineRequest & { op: Op },
    transfer: Transferable[] = [],
  ): Promise<Extract<EngineResult, { op: Op }>> {
    if (this.stopped) throw new EngineError('internal', 'File transfers have stopped.');
    const port = await this.start();
    const result = await port.call(request, transfer);
    return result as Extract<EngineResult, { op: Op }>;
  }

  /** Forgets a job (its keys are wiped); never fails. */
  close(job: number): void {
    if (!this.current) return;
    this.current.call({ op: 'close', job }, []).catch(() => undefined);
  }

  /** Ends the worker (or wipes the in-process jobs); calls after this fail. */
  stop(): void {
    this.stopped = true;
    this.current?.close();
    this.current = null;
  }

  private start(): Promise<Port> {
    if (!this.port) {
      const booting = boot(this.options).then((port) => {
        if (this.stopped) {
          port.close();
          throw new EngineError('internal', 'File transfers have stopped.');
        }
        this.current = port;
        port.onDeath = () => {
          // Crashed: the next call starts a new one (jobs in it are gone; their owners reopen them).
          if (this.current === port) this.current = null;
          if (this.port === booting) this.port = null;
        };
        return port;
      });
      this.port = booting;
    }
    return this.port;
  }
}

async function boot(options: FileCryptoOptions): Promise<Port> {
  if (options.createWorker) {
    try {
      return new WorkerPort(await startWorker(options.createWorker));
    } catch {
      // No worker here (refused or failed to load): run in-process.
    }
  }
  return new InProcessPort(options.platform);
}

/** Starts a worker and waits for its "ready" (it has loaded everything it needs). */
function startWorker(create: () => FileWorker): Promise<FileWorker> {
  return new Promise((resolve, reject) => {
    let worker: FileWorker;
    try {
      worker = create();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const timer = setTimeout(() => fail(new Error('The file worker did not start in time.')), BOOT_TIMEOUT_MS);
    const onMessage = (event: Event) => {
      if (((event as MessageEvent).data as { ready?: unknown } | null)?.ready !== true) return;
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

class WorkerPort implements Port {
  readonly mode = 'worker' as const;
  onDeath: (() => void) | null = null;
  private readonly pending = new Map<number, { resolve: (r: EngineResult) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  private dead = false;

  constructor(private readonly worker: FileWorker) {
    worker.addEventListener('message', (event) => this.onMessage((event as MessageEvent).data as EngineAnswer));
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
    this.die('File transfers have stopped.');
  }

  private onMessage(answer: EngineAnswer): void {
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

/** The engine in this thread, working in slices of SLICE_MS between breaths. */
class InProcessPort implements Port {
  readonly mode = 'in-process' as const;
  onDeath: (() => void) | null = null;
  private sliceStart: number;
  private readonly engine: FileEngine;

  constructor(platform: Platform) {
    this.sliceStart = platform.monotonic();
    this.engine = new FileEngine({
      breathe: async () => {
        if (platform.monotonic() - this.sliceStart < SLICE_MS) return;
        await platform.breathe();
        this.sliceStart = platform.monotonic();
      },
    });
  }

  call(request: EngineRequest): Promise<EngineResult> {
    return this.engine.handle(request);
  }

  close(): void {
    this.engine.closeAll();
  }
}

function engineKind(kind: string): EngineError['kind'] {
  return kind === 'tampered' || kind === 'unreadable' ? kind : 'internal';
}
