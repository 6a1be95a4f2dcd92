// The live connection to the server (docs/API.md, "WebSocket"): socket.io at the
// contract's SOCKET_PATH, authenticated by the HttpOnly session cookie. WebSocket first,
// HTTP long-polling if the WebSocket can't be opened. Reconnects for ever with
// exponential backoff and jitter (Tor circuits drop), and tells its owner on every
// (re)connection so it can catch up on what it missed.

import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type SendMessagePayload,
  type ServerToClientEvents,
} from '@onionchat/contract';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { SENDING_PHRASES } from '../chat/sending-phrases.js';
import type { Platform } from '../platform.js';
import { sayer } from '../present/phrasebook.js';
import { isSessionLostCode } from './api-error.js';

const say = sayer(SENDING_PHRASES);

export type ConnectionState = 'connecting' | 'connected' | 'offline';

const RECONNECT_DELAY_MS = 1_000;
const RECONNECT_DELAY_MAX_MS = 30_000;
/** Tor circuits are slow to build: give a connection attempt time before calling it failed. */
const CONNECT_TIMEOUT_MS = 45_000;

/** Why an acknowledged emit did not get its answer. */
export class RealtimeError extends Error {
  readonly reason: 'disconnected' | 'timeout';

  constructor(reason: 'disconnected' | 'timeout') {
    super(say(reason === 'timeout' ? 'sending.connection.timeout' : 'sending.connection.lost'));
    this.name = 'RealtimeError';
    this.reason = reason;
  }
}

export type ServerEvent = keyof ServerToClientEvents;

/** What the chat needs of a live connection (the fake in unit tests implements it too). */
export interface LiveConnection {
  readonly status: ConnectionState;
  /** Why the server refused the last connection attempt, in its own words, or null. */
  readonly refusal: string | null;
  readonly connected: boolean;
  start(): void;
  /** For good: closes the connection and forgets every listener. */
  stop(): void;
  /** Retry right away (the "Try again now" button, or the network coming back). */
  reconnectNow(): void;
  onStatus(listener: (state: ConnectionState) => void): () => void;
  /** Called after every successful connection, the first one included. */
  onConnect(listener: () => void): () => void;
  /** Server events; payloads are untrusted and decoded by the listener. */
  on(event: ServerEvent, handler: (payload: unknown) => void): () => void;
  /** Sends a message and waits for the acknowledgement (rejects with RealtimeError). */
  sendMessage(payload: SendMessagePayload, timeoutMs: number): Promise<unknown>;
}

export interface RealtimeOptions {
  platform: Platform;
  /** The server refused the handshake because the session is gone: reconnecting is pointless. */
  onSessionLost: () => void;
  /** Where the server is ('' or absent: this page's origin). */
  origin?: string;
  /** More socket.io options (an agent for socks5h in Node, extra headers). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

type Handler = (payload: unknown) => void;

export class Realtime implements LiveConnection {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly options: RealtimeOptions;
  private state: ConnectionState = 'connecting';
  /** A connection attempt failed since the last successful connection. */
  private failing = false;
  private started = false;
  private stopped = false;
  /** Our own backoff, for when socket.io gives up by design (refused handshake, server-side disconnect). */
  private manualAttempts = 0;
  private manualTimer: ReturnType<typeof setTimeout> | null = null;
  /** The server's own sentence for a refused handshake (e.g. too many open connections). */
  private refusalText: string | null = null;
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly connectListeners = new Set<() => void>();
  private readonly unwatch: (() => void)[] = [];

  constructor(options: RealtimeOptions) {
    this.options = options;
    const settings: Partial<ManagerOptions & SocketOptions> = {
      path: SOCKET_PATH,
      autoConnect: false,
      // WebSocket first; if it can't be opened, fall back to long-polling.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: RECONNECT_DELAY_MS,
      reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
      randomizationFactor: 0.5,
      timeout: CONNECT_TIMEOUT_MS,
      ...options.socket,
    };
    this.socket = options.origin ? io(options.origin, settings) : io(settings);

    this.socket.on('connect', () => {
      this.failing = false;
      this.refusalText = null;
      this.manualAttempts = 0;
      this.update();
      for (const listener of this.connectListeners) listener();
    });

    this.socket.on('disconnect', (reason) => {
      // Nothing queued while disconnected may go out later behind the outbox's back.
      this.socket.sendBuffer = [];
      this.update();
      // The server closed this socket (e.g. the session was ended). socket.io does not
      // retry on its own then; retry once: a dead session is refused at the handshake.
      if (reason === 'io server disconnect') this.scheduleManualConnect();
    });

    this.socket.on('connect_error', (error: Error) => {
      const message = error?.message ?? '';
      if (isSessionLostCode(message)) {
        this.stop();
        this.failing = true;
        this.update();
        this.options.onSessionLost();
        return;
      }
      this.failing = true;
      this.refusalText = refusalSentence(error);
      this.update();
      // Refused by the server's middleware ("unavailable", ...): socket.io stops retrying.
      if (!this.socket.active) this.scheduleManualConnect();
    });

    this.socket.io.on('reconnect_attempt', () => this.update());
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.unwatch.push(
      this.options.platform.on('online', this.onOnline),
      this.options.platform.on('offline', this.onOffline),
    );
    this.update();
    this.socket.connect();
  }

  /** For good: closes the socket and forgets every listener. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const unwatch of this.unwatch.splice(0)) unwatch();
    if (this.manualTimer) clearTimeout(this.manualTimer);
    this.socket.disconnect();
    this.socket.removeAllListeners();
    this.socket.io.off('reconnect_attempt');
    this.connectListeners.clear();
  }

  get status(): ConnectionState {
    return this.state;
  }

  /** Why the server refused the last connection attempt, in its own words, or null. */
  get refusal(): string | null {
    return this.refusalText;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Retry right away (the "Try again now" button, or the browser coming back online). */
  reconnectNow(): void {
    if (!this.started || this.stopped || this.socket.connected) return;
    if (this.manualTimer) {
      clearTimeout(this.manualTimer);
      this.manualTimer = null;
    }
    // disconnect() cancels the pending backoff timer; connect() starts a fresh attempt.
    this.socket.disconnect();
    this.socket.connect();
    this.update();
  }

  onStatus(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Called after every successful connection, the first one included. */
  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  on(event: ServerEvent, handler: Handler): () => void {
    const listener = handler as ServerToClientEvents[ServerEvent];
    this.socket.on(event, listener);
    return () => {
      this.socket.off(event, listener);
    };
  }

  /**
   * Emits with an acknowledgement. Rejects with RealtimeError when not connected,
   * when the connection drops before the answer, or after `timeoutMs`.
   */
  sendMessage(payload: SendMessagePayload, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.stopped || !this.socket.connected) {
        reject(new RealtimeError('disconnected'));
        return;
      }
      this.socket.timeout(timeoutMs).emit('message:send', payload, (error: Error | null, answer: unknown) => {
        if (error) reject(new RealtimeError(this.socket.connected ? 'timeout' : 'disconnected'));
        else resolve(answer);
      });
    });
  }

  private readonly onOnline = () => {
    this.update();
    this.reconnectNow();
  };

  private readonly onOffline = () => {
    this.update();
  };

  private scheduleManualConnect(): void {
    if (this.stopped || this.manualTimer) return;
    const base = Math.min(RECONNECT_DELAY_MAX_MS, RECONNECT_DELAY_MS * 2 ** this.manualAttempts);
    const delay = base * (0.5 + Math.random());
    this.manualAttempts += 1;
    this.manualTimer = setTimeout(() => {
      this.manualTimer = null;
      if (!this.stopped && !this.socket.connected && !this.socket.active) this.socket.connect();
    }, delay);
  }

  private update(): void {
    if (this.stopped && this.state === 'offline') return;
    const next: ConnectionState = this.socket.connected
      ? 'connected'
      : this.failing || this.options.platform.offline()
        ? 'offline'
        : 'connecting';
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.stateListeners) listener(next);
  }
}

/** The readable sentence a server refusal carries in `data.message`, if any. */
function refusalSentence(error: Error): string | null {
  const data = (error as Error & { data?: { message?: unknown } }).data;
  return typeof data?.message === 'string' && data.message.length > 0 ? data.message.slice(0, 300) : null;
}
