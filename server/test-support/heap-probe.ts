// The JavaScript heap of a server process, read through the V8 inspector right after a
// full garbage collection. Resident memory also moves with how far V8 has grown its heap
// and when it collects; the heap that survives a full collection is what the process
// actually holds on to, so a leak shows there and the noise does not.
import WebSocket from 'ws';

/** Node's flag for an inspector on a free loopback port (it prints where). */
export const INSPECT_ARG = '--inspect=127.0.0.1:0';
const LISTENING = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+)/;

interface Reply {
  id: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export class HeapProbe {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const reply = JSON.parse(String(data)) as Reply;
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
  }

  /** Connects to the inspector of a process started with INSPECT_ARG, given what it printed. */
  static async attach(output: () => string): Promise<HeapProbe> {
    const url = LISTENING.exec(output())?.[1];
    if (!url) throw new Error(`the process printed no inspector address; was it started with ${INSPECT_ARG}?`);
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new HeapProbe(socket);
  }

  /** Bytes of heap in use after a full garbage collection. */
  async usedAfterCollection(): Promise<number> {
    await this.call('HeapProfiler.collectGarbage');
    const usage = await this.call('Runtime.getHeapUsage');
    return usage['usedSize'] as number;
  }

  close(): void {
    this.socket.close();
  }

  private call(method: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (reply) =>
        reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result ?? {}),
      );
      this.socket.send(JSON.stringify({ id, method }));
    });
  }
}
