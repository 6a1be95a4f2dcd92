// The Firefox benchmark's page: bench-page.mjs and the built protocol package bundled
// into one ES module with rolldown (the bundler vite uses), served from loopback.
// 127.0.0.1 is a secure context, so the page has crypto.subtle as an onion page does.
// The page is also cross-origin isolated (COOP + COEP), which is what lets Firefox give
// it fine-grained performance.now(); the crypto runs the same either way.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const ENTRY = fileURLToPath(new URL('./bench-page.mjs', import.meta.url));

/** One self-contained ES module for the browser: no WebAssembly, no assets, nothing fetched. */
export async function bundlePage() {
  const warnings = [];
  const bundle = await rolldown({
    input: ENTRY,
    platform: 'browser',
    onLog(level, log) {
      if (level === 'warn') warnings.push(log.message);
    },
  });
  try {
    const { output } = await bundle.generate({ format: 'esm', codeSplitting: false });
    const chunks = output.filter((item) => item.type === 'chunk');
    const assets = output.filter((item) => item.type === 'asset');
    if (chunks.length !== 1 || assets.length > 0) {
      throw new Error(`expected one script and no assets, got ${output.map((item) => item.fileName).join(', ')}`);
    }
    const code = chunks[0].code;
    if (/\bWebAssembly\b/.test(code)) throw new Error('the bundle uses WebAssembly; the benchmark must not');
    return { code, bytes: Buffer.byteLength(code), warnings };
  } finally {
    await bundle.close();
  }
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>OnionChat crypto benchmark</title>
<script type="module" src="/bench.js"></script>
<p>OnionChat crypto benchmark</p>
`;

/** Serves the page and its script on 127.0.0.1 at a free port. */
export async function servePage(script) {
  const server = http.createServer((request, response) => {
    const common = {
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    };
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method !== 'GET') {
      response.writeHead(405, common).end();
    } else if (path === '/') {
      response.writeHead(200, { ...common, 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (path === '/bench.js') {
      response.writeHead(200, { ...common, 'Content-Type': 'text/javascript; charset=utf-8' }).end(script);
    } else {
      response.writeHead(404, common).end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${port}/`, close };
}
