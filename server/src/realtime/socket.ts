// The socket.io server and socket as this server uses them: typed by the wire contract's
// event maps, with what the handshake stores about the caller in `socket.data`.
import type { ClientToServerEvents, ServerToClientEvents } from '@onionchat/contract';
import type { DefaultEventsMap, Server, Socket } from 'socket.io';

/** Set by the handshake (RealtimeGateway) on every socket it lets in. */
export interface SocketData {
  token: string;
  userId: string;
  sessionId: string;
}

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
