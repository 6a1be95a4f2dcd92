// One download request: a GET of the ciphertext from what is held on (a Range request
// when resuming), checked to be the part asked for of a file of the right size, and
// streamed into the worker with at most MAX_UNDECRYPTED_BYTES waiting there.

import { ApiError, NETWORK_ERROR_MESSAGE, errorFromResponse, fileContentPath } from '../api';
import type { FileCrypto } from '../file-crypto';
import { EngineError } from '../file-engine';
import { STALL_MS } from './retry-policy';
import { parseJson } from './server-answers';
import type { Download } from './types';

/** Ciphertext handed to the worker but not yet decrypted. */
const MAX_UNDECRYPTED_BYTES = 8 * 1024 * 1024;

/** One GET from `have` on; returns when the body ends. */
export async function streamDownload(
  download: Download,
  crypto: FileCrypto,
  stale: () => boolean,
  progressed: (done: number) => void,
): Promise<void> {
  const controller = new AbortController();
  download.controller = controller;
  const headers: Record<string, string> = { Accept: 'application/octet-stream' };
  if (download.have > 0) headers.Range = `bytes=${download.have}-`;
  let lastMove = performance.now();
  const watchdog = setInterval(() => {
    if (performance.now() - lastMove > STALL_MS) controller.abort();
  }, 5_000);
  const writes: { promise: Promise<unknown>; bytes: number }[] = [];
  let pendingBytes = 0;
  let writeFailure: unknown = null;
  try {
    let response: Response;
    try {
      response = await fetch(fileContentPath(download.source.fileId), {
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        signal: controller.signal,
      });
    } catch {
      throw new ApiError(0, 'network', NETWORK_ERROR_MESSAGE);
    }
    if (!response.ok) {
      let data: unknown;
      try {
        data = parseJson(await response.text());
      } catch {
        data = undefined;
      }
      throw errorFromResponse(response.status, data, response.headers.get('Retry-After'));
    }
    let skip = checkResponse(download, response);
    if (!response.body) throw new ApiError(0, 'network', NETWORK_ERROR_MESSAGE);
    const reader = response.body.getReader();
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch {
          throw new ApiError(0, 'network', 'The connection dropped.');
        }
        if (chunk.done || stale()) break;
        lastMove = performance.now();
        let bytes = chunk.value;
        if (skip > 0) {
          const dropped = Math.min(skip, bytes.length);
          skip -= dropped;
          bytes = bytes.subarray(dropped);
        }
        if (bytes.length === 0) continue;
        if (download.have + bytes.length > download.encryptedSize) {
          throw new EngineError('tampered', 'The server sent more bytes than this file has.');
        }
        // Hand the bytes over (a copy when they share a buffer with something else).
        const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
        const promise = crypto.call({ op: 'decrypt-write', job: download.job!, bytes: own }, [
          own.buffer as ArrayBuffer,
        ]);
        promise.catch((error: unknown) => {
          writeFailure ??= error;
          controller.abort();
        });
        writes.push({ promise, bytes: own.length });
        pendingBytes += own.length;
        download.have += own.length;
        progressed(download.have);
        while (pendingBytes > MAX_UNDECRYPTED_BYTES && writes.length > 0) {
          const oldest = writes.shift()!;
          await oldest.promise;
          pendingBytes -= oldest.bytes;
        }
        if (writeFailure) throw writeFailure;
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
  } catch (error) {
    // A failed check in the worker explains the abort better than the abort itself.
    await Promise.allSettled(writes.map((write) => write.promise));
    throw writeFailure ?? error;
  } finally {
    clearInterval(watchdog);
    if (download.controller === controller) download.controller = null;
  }
  await Promise.all(writes.map((write) => write.promise));
}

/** Checks that the answer is the part asked for, of a file of the right size; returns bytes to skip. */
function checkResponse(download: Download, response: Response): number {
  const total = download.encryptedSize;
  const encoded = response.headers.get('Content-Encoding');
  if (response.status === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('Content-Range') ?? '');
    if (!range || Number(range[1]) !== download.have) {
      throw new ApiError(0, 'network', 'The server answered with the wrong part of the file.');
    }
    if (Number(range[3]) !== total) throw sizeMismatch();
    return 0;
  }
  const length = response.headers.get('Content-Length');
  if (length !== null && !encoded && Number(length) !== total) throw sizeMismatch();
  // A full answer to a range request: skip what we have.
  return download.have;
}

export function sizeMismatch(): EngineError {
  return new EngineError('tampered', 'The server’s copy is not the size the sender described.');
}
