// One upload request: a PUT of ciphertext at the server's offset, through the HTTP
// transport (which reports upload progress where the platform can), aborted when
// nothing moves for STALL_MS. The answer is decoded with the wire contract.

import type { ServerFile } from '@onionchat/contract';
import { networkError, parseJson } from '../../transport/api-error.js';
import { fileContentPath } from '../../transport/api.js';
import { STALL_CHECK_MS, STALL_MS } from './retry-policy.js';
import type { TransferStore } from './state.js';
import type { Upload } from './types.js';

/** PUTs `body` at `offset`; `progressed` hears how much of the file has left so far. */
export async function putContent(
  store: TransferStore,
  upload: Upload,
  body: Uint8Array,
  offset: number,
  progressed: (done: number) => void,
): Promise<ServerFile> {
  const { api, platform } = store;
  const controller = new AbortController();
  upload.controller = controller;
  upload.inflight = 0;
  let lastMove = platform.monotonic();
  const watchdog = setInterval(() => {
    if (platform.monotonic() - lastMove > STALL_MS) controller.abort();
  }, STALL_CHECK_MS);
  try {
    const path = `${fileContentPath(upload.fileId!)}?offset=${offset}`;
    const request = api.http.put(
      path,
      body,
      (sent) => {
        if (controller.signal.aborted) return;
        lastMove = platform.monotonic();
        upload.inflight = Math.min(sent, body.length);
        progressed(upload.received + upload.inflight);
      },
      controller.signal,
    );
    const answer = await untilAborted(request, controller.signal);
    const data = parseJson(answer.text);
    if (answer.status < 200 || answer.status >= 300) throw api.failure(answer.status, data, answer.retryAfter);
    return api.decode('fileInfo', answer.status, data).file;
  } finally {
    clearInterval(watchdog);
    if (upload.controller === controller) upload.controller = null;
  }
}

/**
 * The request's answer, or a network error as soon as the signal aborts (whether or
 * not the transport itself stops the request: the server counts only whole requests
 * at the offset it expects, and the next run asks it where it is).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(networkError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(networkError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : networkError());
      },
    );
  });
}
