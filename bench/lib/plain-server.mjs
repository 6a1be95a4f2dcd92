// Baseline for the file benchmark: the smallest HTTP server that stores uploads at an
// offset and streams them back, with no accounts, checks or encryption.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const dir = mkdtempSync(path.join(tmpdir(), 'onionchat-plain-'));
const file = path.join(dir, 'upload.bin');

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  try {
    if (req.method === 'PUT') {
      const offset = Number(url.searchParams.get('offset'));
      await pipeline(req, createWriteStream(file, { flags: offset === 0 ? 'w' : 'r+', start: offset }));
      res.end('{}');
    } else {
      res.writeHead(200, { 'content-length': statSync(file).size });
      await pipeline(createReadStream(file), res);
    }
  } catch {
    res.destroy();
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
