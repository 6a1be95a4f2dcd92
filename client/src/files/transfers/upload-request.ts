// One upload request: a PUT of ciphertext at the server's offset (XMLHttpRequest,
// for upload progress), aborted when nothing moves for STALL_MS.

import { ApiError, NETWORK_ERROR_MESSAGE, errorFromResponse, fileContentPath, type ServerFile } from '../api';
import { STALL_MS } from './retry-policy';
import { isServerFile, parseJson } from './server-answers';
import type { Upload } from './types';

/** PUTs `body` at `offset`; `progressed` hears how much of the file has left so far. */
export function putContent(
  upload: Upload,
  body: Uint8Array,
  offset: number,
  progressed: (done: number) => void,
): Promise<ServerFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    upload.xhr = xhr;
    upload.inflight = 0;
    let lastMove = performance.now();
    const watchdog = setInterval(() => {
      if (performance.now() - lastMove > STALL_MS) xhr.abort();
    }, 5_000);
    const done = () => {
      clearInterval(watchdog);
      if (upload.xhr === xhr) upload.xhr = null;
    };
    xhr.open('PUT', `${fileContentPath(upload.fileId!)}?offset=${offset}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      lastMove = performance.now();
      upload.inflight = Math.min(event.loaded, body.length);
      progressed(upload.received + upload.inflight);
    };
    xhr.upload.onload = () => {
      lastMove = performance.now();
    };
    xhr.onload = () => {
      done();
      const data = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        const file = (data as { file?: unknown } | undefined)?.file;
        if (isServerFile(file)) resolve(file);
        else reject(new ApiError(xhr.status, 'bad_response', "The server sent a reply this page can't read."));
        return;
      }
      reject(errorFromResponse(xhr.status, data, xhr.getResponseHeader('Retry-After')));
    };
    const failed = () => {
      done();
      reject(new ApiError(0, 'network', NETWORK_ERROR_MESSAGE));
    };
    xhr.onerror = failed;
    xhr.onabort = failed;
    xhr.ontimeout = failed;
    xhr.send(body as Uint8Array<ArrayBuffer>);
  });
}
