// A bounded message load for the fault tests: pairs of friends who send a fixed list of
// messages over the WebSocket with client-chosen ids, retrying (after reconnecting) until
// each one is acknowledged, and who catch up on their rooms the way the browser does.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { fromBase64, openMessage } from '@onionchat/protocol';
import { TestClient } from './app.js';
import { spawnServer, type SpawnOptions } from './server-process.js';
import { befriend, connectSocket, envelopeFor, newUser, type Friendship, type User } from './social.js';
import type { ServerMessage } from '@onionchat/contract';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls an asynchronous check until it holds; fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(200);
  }
}

/** The built server with settings for load: open sign-up, cheap password hashing, no send limits. */
export function startServer(
  dbUrl: string,
  options: { port?: number; filesDir?: string; env?: Record<string, string>; nodeArgs?: string[] } = {},
) {
  const spawnOptions: SpawnOptions = {
    dbUrl,
    port: options.port,
    nodeArgs: options.nodeArgs,
    env: {
      REGISTRATION: 'open',
      LOG_LEVEL: 'warn',
      WEB_DIR: '/nonexistent',
      FILES_DIR: options.filesDir ?? mkdtempSync(path.join(tmpdir(), 'onionchat-faults-')),
      AUTH_HASH_LOG_N: '10',
      RATE_SIGNUP_PER_HOUR: '100000',
      RATE_AUTH_PER_MINUTE: '100000',
      RATE_KDF_PER_MINUTE: '100000',
      RATE_API_PER_MINUTE: '100000',
      RATE_MESSAGES_PER_MINUTE: '100000',
      RATE_UPLOAD_REQUESTS_PER_MINUTE: '100000',
      ...options.env,
    },
  };
  return spawnServer(spawnOptions);
}

export interface Planned {
  clientId: string;
  envelope: string;
  text: string;
}

type Ack = { ok: true; message: ServerMessage; duplicate: boolean } | { ok: false; status: number; code: string };

export interface SendOptions {
  count: number;
  /** The index of the first message of the plan to send (for sending in rounds). */
  from?: number;
  maxAttempts?: number;
  paceMs?: number;
  stop?: () => boolean;
  /** How many messages may be awaiting their acknowledgement at once (1: one after another). */
  window?: number;
}

/** One member of a room: sends its planned messages and keeps what it has seen of the room. */
export class Member {
  /** The messages sealed so far, in sending order (sealed as they are needed). */
  readonly plan: Planned[] = [];
  readonly acked = new Map<string, number>();
  readonly failures: string[] = [];
  readonly seen = new Map<number, ServerMessage>();
  /** Error acknowledgements received, as "status code". */
  readonly refusals: string[] = [];
  /** Retries the server answered from what it had already stored. */
  duplicates = 0;
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;

  constructor(
    readonly user: User,
    readonly room: Friendship,
    private readonly origin: string,
    private readonly tag: string,
  ) {}

  /**
   * Sends `count` messages in order (from the plan's `from`th), each until
   * acknowledged (giving up after `maxAttempts`), `paceMs` apart, stopping early once
   * `stop` says so. With a `window` above 1, that many are sent without waiting for the
   * earlier ones' acknowledgements (each still retried until acknowledged).
   */
  async sendAll({
    count,
    from = 0,
    maxAttempts = 200,
    paceMs = 0,
    stop = () => false,
    window = 1,
  }: SendOptions): Promise<void> {
    let next = from;
    const lane = async () => {
      while (next < from + count && !stop()) {
        const i = next++;
        if (paceMs) await sleep(paceMs);
        await this.sendUntilAcked(this.seal(i), maxAttempts);
      }
    };
    await Promise.all(Array.from({ length: window }, lane));
  }

  private async sendUntilAcked(message: Planned, maxAttempts: number): Promise<void> {
    for (let attempt = 1; !this.acked.has(message.clientId); attempt++) {
      if (attempt > maxAttempts) throw new Error(`gave up on a message after ${maxAttempts} attempts`);
      const ack = await this.trySend(message);
      if (ack?.ok) {
        this.acked.set(message.clientId, ack.message.seq);
        if (ack.duplicate) this.duplicates++;
      } else await sleep(100);
    }
  }

  private seal(i: number): Planned {
    const text = `${this.tag} ${this.user.account.username} #${i}`;
    this.plan[i] ??= { ...envelopeFor(this.user.account, this.room, { type: 'text', text }), text };
    return this.plan[i];
  }

  private async trySend(message: Planned): Promise<Ack | undefined> {
    try {
      const socket = await this.connected();
      const ack = (await socket
        .timeout(15_000)
        .emitWithAck('message:send', { roomId: this.room.roomId, ...message })) as Ack;
      if (!ack.ok) this.refusals.push(`${ack.status} ${ack.code}`);
      return ack;
    } catch (err) {
      this.failures.push(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }

  /** The open socket, or a new one: shared by all the sends of a window. */
  private connected(): Promise<Socket> {
    if (this.socket?.connected) return Promise.resolve(this.socket);
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<Socket> {
    this.socket?.close();
    this.socket = undefined;
    const socket = await connectSocket(this.origin, this.user.client);
    socket.on('message:new', (m: ServerMessage) => {
      if (m.roomId === this.room.roomId) this.seen.set(m.seq, m);
    });
    this.socket = socket;
    return socket;
  }

  /** Fetches everything after the last message seen without a gap, as the browser does on reconnection. */
  async catchUp(): Promise<void> {
    for (;;) {
      const res = await this.user.client.get<{ messages: ServerMessage[]; hasMore: boolean }>(
        `/api/rooms/${this.room.roomId}/messages?after=${this.contiguous()}&limit=200`,
      );
      if (res.status !== 200) throw new Error(`catch-up failed: ${res.status} ${JSON.stringify(res.body)}`);
      for (const m of res.body.messages) this.seen.set(m.seq, m);
      if (!res.body.hasMore) return;
    }
  }

  private contiguous(): number {
    let seq = 0;
    while (this.seen.has(seq + 1)) seq++;
    return seq;
  }

  close() {
    this.socket?.close();
  }
}

export interface Room {
  members: [Member, Member];
  friendship: Friendship;
}

/** `rooms` pairs of new friends, as members of their room. */
export async function makeRooms(origin: string, rooms: number, tag: string): Promise<Room[]> {
  const app = { client: () => new TestClient(origin) };
  const out: Room[] = [];
  for (let i = 0; i < rooms; i++) {
    const a = await newUser(app, `${tag}_a${i}`);
    const b = await newUser(app, `${tag}_b${i}`);
    const friendship = await befriend(a, b);
    out.push({ friendship, members: [new Member(a, friendship, origin, tag), new Member(b, friendship, origin, tag)] });
  }
  return out;
}

/** Resident memory of a process in bytes (Linux). */
export function residentBytes(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kib) throw new Error('no VmRSS in /proc status');
  return Number(kib) * 1024;
}

export const ackedCount = (rooms: Room[]) => rooms.flatMap((r) => r.members).reduce((n, m) => n + m.acked.size, 0);

export interface StoredRow {
  roomId: string;
  seq: number;
  clientId: string;
  senderId: string;
}

/** Every stored message of the given rooms, straight from the database. */
export async function storedMessages(dbUrl: string, roomIds: string[]): Promise<StoredRow[]> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ roomId: string; seq: string; clientId: string; senderId: string }>(
      'SELECT "roomId", seq::text AS seq, "clientId", "senderId" FROM "Message" WHERE "roomId" = ANY($1::uuid[]) ORDER BY "Message"."roomId", "Message".seq',
      [roomIds],
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  } finally {
    await client.end();
  }
}

/** The texts a member can decrypt from what it has seen, in sequence order. */
export function decryptSeen(member: Member, senders: Member[]): string[] {
  const keysOf = new Map(senders.map((s) => [s.user.account.id, s.user.account.identity]));
  return [...member.seen.values()]
    .sort((x, y) => x.seq - y.seq)
    .map((m) => {
      const identity = keysOf.get(m.senderId);
      if (!identity) throw new Error('a message from someone outside the room');
      const opened = openMessage(
        fromBase64(m.envelope),
        { roomId: m.roomId, epoch: 1, senderId: m.senderId },
        member.room.roomKey,
        { signPublicKey: identity.signPublicKey },
      );
      return String(opened.body['text']);
    });
}
