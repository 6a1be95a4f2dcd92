// Baseline for the connections benchmark: the smallest socket.io server that does what
// OnionChat's gateway does for a message (take it with an acknowledgement, fan it out
// to a room), with no accounts, checks, database or encryption.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { path: '/api/socket', transports: ['websocket'] });
io.on('connection', (socket) => {
  void socket.join(String(socket.handshake.query.room ?? 'lobby'));
  socket.on('message:send', (payload, ack) => {
    const message = { roomId: payload.roomId, envelope: payload.envelope, createdAt: new Date().toISOString() };
    io.to(payload.roomId).emit('message:new', message);
    if (typeof ack === 'function') ack({ ok: true, message });
  });
});
http.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
