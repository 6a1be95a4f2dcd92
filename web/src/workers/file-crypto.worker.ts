// The file-crypto worker: runs lib/file-engine.ts off the page, so encrypting and
// decrypting (slow without a JIT) never freezes the conversation. Started by
// lib/file-crypto.ts; says "ready" once loaded, then answers requests by id.

import { EngineError, FileEngine, resultTransfers, type EngineRequest } from '../lib/file-engine';

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const engine = new FileEngine();

scope.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { id?: unknown; request?: EngineRequest } | null;
  if (!data || typeof data.id !== 'number' || !data.request) return;
  const id = data.id;
  engine.handle(data.request).then(
    (result) => scope.postMessage({ id, ok: true, result }, resultTransfers(result)),
    (error: unknown) => {
      const failure = error instanceof EngineError ? error : new EngineError('internal', String(error));
      scope.postMessage({ id, ok: false, error: { kind: failure.kind, message: failure.message } });
    },
  );
});

scope.postMessage({ ready: true });
