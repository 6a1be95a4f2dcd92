// socket.io settings that depend on configuration: path under /api, frame size limit,
// no client script served, and no cross-origin handshakes.
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { INestApplicationContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';
import type { Config } from '../config/config.js';

export const SOCKET_PATH = '/api/socket';

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser page, or a same-origin GET
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export class ConfiguredIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: Config,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, {
      ...(options as ServerOptions),
      path: SOCKET_PATH,
      serveClient: false,
      maxHttpBufferSize: this.config.WS_MAX_FRAME_BYTES,
      allowRequest: (req, callback) => callback(sameOrigin(req) ? null : 'bad_origin', sameOrigin(req)),
    }) as Server;
  }
}
