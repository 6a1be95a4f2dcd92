// The ciphertext of an upload, one batch of whole chunks at a time: encrypted by the
// file engine (in its worker, or in-process), the next batch prepared while the current one goes up, and batches sized
// so one request takes about TARGET_REQUEST_MS over the circuit.

import { FILE_CHUNK_CIPHER_BYTES, FILE_HEADER_BYTES } from '@onionchat/protocol';
import type { FileCrypto } from '../file-crypto.js';
import type { TransferStore } from './state.js';
import type { Batch, Upload } from './types.js';

/** How long one upload request should take (smaller batches lose less when a circuit drops). */
const TARGET_REQUEST_MS = 8_000;
const MIN_BATCH_CHUNKS = 4; // 256 KiB
export const START_BATCH_CHUNKS = 16; // 1 MiB
const MAX_BATCH_CHUNKS = 64; // 4 MiB

/** The batch holding ciphertext offset `offset`: in memory, prepared ahead, or encrypted now. */
export async function batchAt(store: TransferStore, upload: Upload, offset: number): Promise<Batch> {
  const current = upload.batch;
  if (current && current.start <= offset && offset < current.end) return current;
  const chunk = offset < FILE_HEADER_BYTES ? 0 : Math.floor((offset - FILE_HEADER_BYTES) / FILE_CHUNK_CIPHER_BYTES);
  let batch: Batch;
  const ahead = upload.prefetch;
  upload.prefetch = null;
  if (ahead && ahead.from === chunk) {
    if (upload.phase !== 'uploading') upload.phase = 'encrypting';
    batch = await ahead.promise;
  } else {
    upload.phase = 'encrypting';
    store.changed(upload);
    batch = await encryptBatch(store.crypto, upload, chunk);
  }
  upload.batch = batch;
  // Prepare the next batch while this one goes up.
  if (batch.to < upload.chunks) {
    const promise = encryptBatch(store.crypto, upload, batch.to);
    promise.catch(() => undefined);
    upload.prefetch = { from: batch.to, promise };
  }
  return batch;
}

async function encryptBatch(crypto: FileCrypto, upload: Upload, from: number): Promise<Batch> {
  const header = upload.header!;
  // Whole chunks, and no more than a request may carry (the header rides in the first).
  const fit = Math.floor((upload.maxRequestBytes - (from === 0 ? header.length : 0)) / FILE_CHUNK_CIPHER_BYTES);
  const count = Math.max(1, Math.min(upload.batchChunks, fit));
  const { bytes } = await crypto.call({ op: 'encrypt-read', job: upload.job!, from, count });
  const start = from === 0 ? 0 : FILE_HEADER_BYTES + from * FILE_CHUNK_CIPHER_BYTES;
  let all = bytes;
  if (from === 0) {
    all = new Uint8Array(header.length + bytes.length);
    all.set(header);
    all.set(bytes, header.length);
  }
  return { start, end: start + all.length, from, to: Math.min(upload.chunks, from + count), bytes: all };
}

/** Aim for requests of about TARGET_REQUEST_MS at the speed seen. */
export function adaptBatch(upload: Upload, bytes: number, ms: number): void {
  if (bytes < FILE_CHUNK_CIPHER_BYTES || ms <= 0) return;
  const perChunkMs = (ms * FILE_CHUNK_CIPHER_BYTES) / bytes;
  const wanted = Math.round(TARGET_REQUEST_MS / perChunkMs);
  const next = Math.max(MIN_BATCH_CHUNKS, Math.min(MAX_BATCH_CHUNKS, wanted, upload.batchChunks * 2));
  upload.batchChunks = next;
}
