// A full garbage collection in another Node process, through its V8 inspector, so a
// memory figure counts what the process holds on to rather than how much garbage it
// happened to carry and how far V8 had grown its young generation at that moment.
// The process must be started with `--inspect=127.0.0.1:PORT` (NODE_OPTIONS works).
import WebSocket from 'ws';

/** Connects to the inspector on `port` (retried while the process starts). */
export async function attachInspector(port) {
  let target;
  for (let i = 0; i < 100 && !target; i++) {
    target = await fetch(`http://127.0.0.1:${port}/json/list`)
      .then((r) => r.json())
      .then((list) => list[0]?.webSocketDebuggerUrl)
      .catch(() => undefined);
    if (!target) await new Promise((r) => setTimeout(r, 100));
  }
  if (!target) throw new Error(`no inspector answered on 127.0.0.1:${port}`);
  const socket = new WebSocket(target);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map();
  socket.on('message', (data) => {
    const reply = JSON.parse(String(data));
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  const call = (method) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (reply) => (reply.error ? reject(new Error(reply.error.message)) : resolve(reply.result)));
      socket.send(JSON.stringify({ id, method }));
    });
  return {
    /** Collects all garbage (V8 also gives back the pages it no longer needs); resolves to the heap in use. */
    async collect() {
      await call('HeapProfiler.collectGarbage');
      return (await call('Runtime.getHeapUsage')).usedSize;
    },
    close: () => socket.close(),
  };
}
