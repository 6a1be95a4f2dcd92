// Pushes events to connected clients. Each socket joins a channel for its user and one
// for its session, so events reach every session of a user and ending a session can
// close exactly its sockets. Everything here addresses channels, never socket objects,
// so with the Redis adapter it reaches sockets on every instance.
import { Injectable } from '@nestjs/common';
import type { ServerToClientEvents } from '@onionchat/contract';
import type { AppServer } from './socket.js';

export const userChannel = (userId: string) => `user:${userId}`;
export const sessionChannel = (sessionId: string) => `session:${sessionId}`;

@Injectable()
export class RealtimeService {
  private server: AppServer | null = null;

  attach(server: AppServer): void {
    this.server = server;
  }

  /** Sends the contract's `event` with its payload to every session of the users. */
  toUsers<E extends keyof ServerToClientEvents>(
    userIds: string[],
    event: E,
    ...payload: Parameters<ServerToClientEvents[E]>
  ): void {
    if (!this.server || userIds.length === 0) return;
    this.server.to(userIds.map(userChannel)).emit(event, ...payload);
  }

  /** As toUsers, but not to the socket `exceptSocketId` (the one an event came from), when given. */
  toUsersExcept<E extends keyof ServerToClientEvents>(
    exceptSocketId: string | undefined,
    userIds: string[],
    event: E,
    ...payload: Parameters<ServerToClientEvents[E]>
  ): void {
    if (!this.server || userIds.length === 0) return;
    const to = this.server.to(userIds.map(userChannel));
    (exceptSocketId ? to.except(exceptSocketId) : to).emit(event, ...payload);
  }

  disconnectSession(sessionId: string): void {
    this.server?.in(sessionChannel(sessionId)).disconnectSockets(true);
  }

  /** Disconnects every socket of the user except those of `keepSessionId`. */
  disconnectUser(userId: string, keepSessionId?: string): Promise<void> {
    if (!this.server) return Promise.resolve();
    const sockets = this.server.in(userChannel(userId));
    (keepSessionId ? sockets.except(sessionChannel(keepSessionId)) : sockets).disconnectSockets(true);
    return Promise.resolve();
  }
}
