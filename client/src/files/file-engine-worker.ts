// The file worker's message loop: the app's worker entry is only
//
//   import { serveFileEngine } from '@onionchat/client';
//   serveFileEngine(self);
//
// (the app creates the worker itself, because a bundler only bundles a worker it sees
// written as `new Worker(new URL('<literal path>', import.meta.url))` in the app's own
// source). Says "ready" once loaded, then answers FileCrypto's requests by id.

import { EngineError, FileEngine, resultTransfers, type EngineRequest, type EngineResult } from './file-engine.js';

/** What the loop needs of a worker's global scope (`self` in a dedicated worker). */
export interface FileEngineScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** What a worker says once it has loaded. */
export interface EngineReady {
  ready: true;
}

/** A request to the worker, and its answer (`id` pairs them). */
export interface EngineCall {
  id: number;
  request: EngineRequest;
}

export type EngineAnswer =
  { id: number; ok: true; result: EngineResult } | { id: number; ok: false; error: { kind: string; message: string } };

/**
 * Serves the file engine in this worker. `scope`: the worker's global scope (`self`;
 * typed as a Window where the app's code is checked with the DOM library only).
 */
export function serveFileEngine(scope: FileEngineScope | Window): void {
  const port = scope as unknown as FileEngineScope;
  const engine = new FileEngine();
  port.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as Partial<EngineCall> | null;
    if (!data || typeof data.id !== 'number' || !data.request) return;
    const id = data.id;
    engine.handle(data.request).then(
      (result) => port.postMessage({ id, ok: true, result } satisfies EngineAnswer, resultTransfers(result)),
      (error: unknown) => {
        const failure = error instanceof EngineError ? error : new EngineError('internal', String(error));
        port.postMessage(
          { id, ok: false, error: { kind: failure.kind, message: failure.message } } satisfies EngineAnswer,
          [],
        );
      },
    );
  });
  port.postMessage({ ready: true } satisfies EngineReady, []);
}
