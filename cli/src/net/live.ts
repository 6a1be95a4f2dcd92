// The live connection: the core's Realtime, through the same SOCKS agent as HTTP and
// with the session cookie and Origin the server's handshake checks. WebSocket only:
// long-polling would need the cookie jar on every poll, and tor carries WebSockets fine.

import type { Agent } from 'node:http';
import { Realtime, type LiveConnection, type Platform } from '@onionchat/client';
import type { CookieJar } from './cookie-jar.js';

export interface LiveOptions {
  origin: string;
  agent?: Agent;
  jar: CookieJar;
  platform: Platform;
}

/** A factory for ClientOptions.live: called once logged in, so the cookie is there. */
export function nodeLive(options: LiveOptions): (onSessionLost: () => void) => LiveConnection {
  return (onSessionLost) => {
    const extraHeaders: Record<string, string> = { origin: options.origin };
    const cookie = options.jar.header();
    if (cookie) extraHeaders.cookie = cookie;
    return new Realtime({
      platform: options.platform,
      onSessionLost,
      origin: options.origin,
      socket: {
        transports: ['websocket'],
        tryAllTransports: false,
        extraHeaders,
        ...(options.agent ? { agent: options.agent as unknown as string } : {}),
      },
    });
  };
}
