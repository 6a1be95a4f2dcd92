// How the gateway says no: JSON in the API's error shape for programs, a short page for a
// person who opened an /api address in a tab, a raw HTTP answer on a WebSocket handshake.
// Every one carries the sandboxing API headers: nothing in it can run.
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { API_RESPONSE_HEADERS } from './forwarded-headers.js';
import type { Refusal } from './request-policy.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function body(refusal: Refusal): { type: string; text: string } {
  if (refusal.page)
    return {
      type: 'text/html; charset=utf-8',
      text: `<!doctype html><meta charset="utf-8"><title>Refused</title><p>${escapeHtml(refusal.message)}</p>\n`,
    };
  const { status, code, message } = refusal;
  return {
    type: 'application/json; charset=utf-8',
    text: JSON.stringify({ statusCode: status, error: STATUS_CODES[status] ?? 'Refused', code, message }),
  };
}

export function refuse(res: ServerResponse, refusal: Refusal): void {
  const { type, text } = body(refusal);
  res.writeHead(refusal.status, { ...API_RESPONSE_HEADERS, 'content-type': type });
  res.end(text);
}

/** On a socket whose handshake was refused: a complete HTTP answer, then close. */
export function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  const { type, text } = body(refusal);
  const head = [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Refused'}`,
    ...Object.entries({ ...API_RESPONSE_HEADERS, 'content-type': type }).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${Buffer.byteLength(text)}`,
    'connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${text}`);
}
