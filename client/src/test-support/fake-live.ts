// A fake live connection for unit tests: the test connects and disconnects it,
// pushes server events, and decides how each sent message is acknowledged.

import type { SendMessagePayload } from '@onionchat/contract';
import { RealtimeError, type ConnectionState, type LiveConnection, type ServerEvent } from '../transport/realtime.js';

export type FakeAck = unknown | RealtimeError | Promise<unknown>;

export class FakeLive implements LiveConnection {
  status: ConnectionState = 'connecting';
  refusal: string | null = null;
  readonly sent: SendMessagePayload[] = [];
  /** How the next sends are answered (default: the test's `ack` function). */
  ack: (payload: SendMessagePayload) => FakeAck = () => new RealtimeError('timeout');
  private readonly handlers = new Map<ServerEvent, Set<(payload: unknown) => void>>();
  private readonly statusListeners = new Set<(state: ConnectionState) => void>();
  private readonly connectListeners = new Set<() => void>();
  stopped = false;

  get connected(): boolean {
    return this.status === 'connected';
  }

  start(): void {}

  stop(): void {
    this.stopped = true;
    this.handlers.clear();
    this.connectListeners.clear();
  }

  reconnectNow(): void {}

  onStatus(listener: (state: ConnectionState) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  on(event: ServerEvent, handler: (payload: unknown) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  async sendMessage(payload: SendMessagePayload): Promise<unknown> {
    if (!this.connected) throw new RealtimeError('disconnected');
    this.sent.push(payload);
    const answer = await this.ack(payload);
    if (answer instanceof RealtimeError) throw answer;
    return answer;
  }

  /** The test: the connection comes up (listeners run as they would after a handshake). */
  connect(): void {
    this.setStatus('connected');
    for (const listener of this.connectListeners) listener();
  }

  disconnect(): void {
    this.setStatus('offline');
  }

  /** The test: the server pushes an event. */
  emit(event: ServerEvent, payload: unknown): void {
    for (const handler of this.handlers.get(event) ?? []) handler(payload);
  }

  private setStatus(state: ConnectionState): void {
    this.status = state;
    for (const listener of this.statusListeners) listener(state);
  }
}
