// Raw HTTP for what the JSON test client does not do: byte bodies, Range headers and
// byte-exact responses (uploads and downloads).
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  body: Buffer;
  headers: Record<string, unknown>;
}

export function rawRequest(
  baseUrl: string,
  cookie: string | undefined,
  method: string,
  pathname: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(baseUrl);
    const req = request(
      { host: '127.0.0.1', port, method, path: pathname, headers: { cookie: cookie ?? '', ...headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * An upload request that dies half-way: it announces `declared` bytes at `offset`,
 * sends only `sent`, then drops the connection (as a Tor circuit does).
 */
export function cutUpload(
  baseUrl: string,
  cookie: string,
  fileId: string,
  offset: number,
  declared: number,
  sent: Buffer,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const { port } = new URL(baseUrl);
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'PUT',
      path: `/api/files/${fileId}/content?offset=${offset}`,
      headers: { cookie, 'content-type': 'application/octet-stream', 'content-length': String(declared) },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(sent, () => setTimeout(() => req.destroy(), 100));
  });
}

/**
 * Sends an upload request again while the server answers 409 `busy` (it is still
 * finishing a request that was cut off), as the web client does. Bounded: 100 tries.
 */
export async function whenNotBusy(send: () => Promise<RawResponse>): Promise<RawResponse> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const res = await send();
    if (res.status !== 409 || !res.body.toString().includes('"busy"')) return res;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server still reported the file busy after 100 tries');
}
