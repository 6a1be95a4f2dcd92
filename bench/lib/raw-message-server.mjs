#!/usr/bin/env node
// The raw baseline for bench/messages.mjs: a plain `ws` server that does the least a
// durable chat server can do per message. It stores the same row OnionChat stores (the
// room's next sequence number and the message, in one autocommitted statement, so the
// row is on disk before the answer) in the same PostgreSQL, acknowledges it and forwards
// it to the receiver the sender names. No sessions, no limits, no checks: a ceiling to
// compare with, not a chat server.
//
// Env: DATABASE_URL, PORT. Protocol (JSON text frames):
//   client -> server: { hello: userId } once, then { id, roomId, senderId, clientId, envelope, to }
//   server -> client: { ack: id, seq } to the sender, { message: {...} } to `to`
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { WebSocketServer } from 'ws';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
pool.on('connect', (client) => client.on('error', () => undefined));
const sockets = new Map();

const INSERT = `
  WITH room AS (UPDATE "Room" SET "lastSeq" = "lastSeq" + 1 WHERE id = $2 RETURNING "lastSeq")
  INSERT INTO "Message" (id, "roomId", seq, "senderId", "clientId", epoch, envelope)
  SELECT $1, $2, room."lastSeq", $3, $4, 1, $5 FROM room
  RETURNING seq, "createdAt"`;

async function store(socket, m) {
  const envelope = Buffer.from(m.envelope, 'base64');
  const id = randomUUID();
  const { rows } = await pool.query(INSERT, [id, m.roomId, m.senderId, m.clientId, envelope]);
  const seq = Number(rows[0].seq);
  const message = {
    id,
    roomId: m.roomId,
    seq,
    senderId: m.senderId,
    epoch: 1,
    envelope: envelope.toString('base64'),
    createdAt: rows[0].createdAt.toISOString(),
  };
  socket.send(JSON.stringify({ ack: m.id, seq }));
  sockets.get(m.to)?.send(JSON.stringify({ message }));
}

const server = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT), perMessageDeflate: false });
server.on('connection', (socket) => {
  socket.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.hello) return void sockets.set(m.hello, socket);
    store(socket, m).catch((err) => socket.send(JSON.stringify({ ack: m.id, error: String(err.message) })));
  });
});
server.on('listening', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
