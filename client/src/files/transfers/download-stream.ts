// One download request: a GET of the ciphertext from what is held on (a Range request
// when resuming) through the HTTP transport, checked to be the part asked for of a file
// of the right size, and streamed into the file engine with at most
// MAX_UNDECRYPTED_BYTES waiting there. Aborted when nothing moves for STALL_MS.

import { ApiError, networkError, parseJson } from '../../transport/api-error.js';
import { fileContentPath } from '../../transport/api.js';
import { EngineError } from '../file-engine.js';
import { FILE_PHRASES } from '../file-phrases.js';
import { sayer } from '../../present/phrasebook.js';
import { STALL_CHECK_MS, STALL_MS } from './retry-policy.js';
import type { TransferStore } from './state.js';
import type { Download } from './types.js';
import { untilAborted } from './upload-request.js';

const say = sayer(FILE_PHRASES);

/** Ciphertext handed to the engine but not yet decrypted. */
const MAX_UNDECRYPTED_BYTES = 8 * 1024 * 1024;

/** One GET from `have` on; returns when the body ends. */
export async function streamDownload(
  store: TransferStore,
  download: Download,
  stale: () => boolean,
  progressed: (done: number) => void,
): Promise<void> {
  const { api, platform, crypto } = store;
  const controller = new AbortController();
  download.controller = controller;
  const headers: Record<string, string> = { Accept: 'application/octet-stream' };
  if (download.have > 0) headers.Range = `bytes=${download.have}-`;
  let lastMove = platform.monotonic();
  const watchdog = setInterval(() => {
    if (platform.monotonic() - lastMove > STALL_MS) controller.abort();
  }, STALL_CHECK_MS);
  const writes: { promise: Promise<unknown>; bytes: number }[] = [];
  let pendingBytes = 0;
  let writeFailure: unknown = null;
  try {
    const response = await untilAborted(
      api.http.stream(fileContentPath(download.source.fileId), headers, controller.signal),
      controller.signal,
    );
    if (!response.ok) {
      let data: unknown;
      try {
        data = parseJson(await response.text());
      } catch {
        data = undefined;
      }
      throw api.failure(response.status, data, response.headers.get('Retry-After'));
    }
    let skip = checkResponse(download, response);
    if (!response.body) throw networkError();
    const reader = response.body.getReader();
    // Whatever the transport does with the signal, an abort ends the reading here.
    const onAbort = () => void reader.cancel().catch(() => undefined);
    controller.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch {
          throw new ApiError(0, 'network', 'The connection dropped.');
        }
        if (controller.signal.aborted && !writeFailure) throw new ApiError(0, 'network', 'The connection stalled.');
        if (chunk.done || stale()) break;
        lastMove = platform.monotonic();
        let bytes = chunk.value;
        if (skip > 0) {
          const dropped = Math.min(skip, bytes.length);
          skip -= dropped;
          bytes = bytes.subarray(dropped);
        }
        if (bytes.length === 0) continue;
        if (download.have + bytes.length > download.encryptedSize) {
          throw new EngineError('tampered', say('files.note.tooManyBytes'));
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
      controller.signal.removeEventListener('abort', onAbort);
      reader.cancel().catch(() => undefined);
    }
  } catch (error) {
    // A failed check in the engine explains the abort better than the abort itself.
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
  return new EngineError('tampered', say('files.note.sizeMismatch'));
}
