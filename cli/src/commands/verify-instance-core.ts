// Checks that an instance serves exactly the web client this machine built from the same
// sources: every file of the local export (web/out/), byte for byte, as the browser asks
// for it (plain, and as the gzip and brotli copies the server picks by Accept-Encoding),
// plus the directory addresses of the pages. Used by `onionchat verify-instance` and
// `npm run verify-instance` (scripts/verify-instance.mjs), which builds first.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type Agent } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import path from 'node:path';
import { CliError, EXIT } from '../exit-codes.js';

/** Written by the web build (web/scripts/build-manifest.mjs); its SHA-256 is the build hash. */
export const MANIFEST_NAME = 'build-manifest.json';
/** Requests in flight at once: enough to hide tor's latency, few enough not to look like a flood. */
const CONCURRENCY = 6;
/** No byte for this long: the instance is unreachable (tor can be slow). */
const IDLE_TIMEOUT_MS = 90_000;
/** The most of the instance's manifest read (this build's is about 20 kB). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Tor Browser's uniform User-Agent, so the check does not announce itself by the header (the pattern still can). */
const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0';

type Encoding = 'identity' | 'gzip' | 'br';
const SUFFIX: Record<Encoding, string> = { identity: '', gzip: '.gz', br: '.br' };

export interface VerifyOptions {
  /** The instance, `http://host[:port]`. */
  origin: string;
  /** The SOCKS agent for an onion; none for loopback. */
  agent?: Agent;
  /** The local export to compare with (web/out/ of the same sources). */
  webDir: string;
  /** Called after each request, for progress. */
  onProgress?: (done: number, total: number) => void;
}

export interface Difference {
  /** The address asked for, and in which encoding. */
  url: string;
  encoding: Encoding;
  /** 'differs': other bytes; 'missing': not served (status given); 'extra': listed by the instance only. */
  kind: 'differs' | 'missing' | 'extra';
  detail: string;
}

export interface VerifyReport {
  /** SHA-256 of the local manifest: what the account page should show. */
  buildHash: string;
  /** SHA-256 of the manifest the instance served (null when it served none). */
  servedBuildHash: string | null;
  /** Requests compared (the instance's manifest is fetched once more, whole). */
  checked: number;
  differences: Difference[];
}

interface Check {
  url: string;
  encoding: Encoding;
  expected: Buffer;
}

/** Every file of the local build, checked against its own manifest. */
export function readLocalBuild(webDir: string): { files: Map<string, Buffer>; buildHash: string } {
  const manifestPath = path.join(webDir, MANIFEST_NAME);
  if (!existsSync(manifestPath)) {
    throw new CliError(
      `There is no web build in ${webDir} (no ${MANIFEST_NAME}). Build it first from the same sources the instance runs: npm run build.`,
      EXIT.failure,
    );
  }
  const manifestBytes = readFileSync(manifestPath);
  let listed: Map<string, string>;
  try {
    listed = parseManifest(manifestBytes);
  } catch {
    throw new CliError(`${manifestPath} is not a build manifest: rebuild with npm run build.`, EXIT.failure);
  }
  const files = new Map<string, Buffer>();
  for (const file of walk(webDir)) files.set(file, readFileSync(path.join(webDir, file)));
  const stale = [...files.keys()].filter(
    (file) => file !== MANIFEST_NAME && listed.get(file) !== sha256(files.get(file)!),
  );
  const gone = [...listed.keys()].filter((file) => !files.has(file));
  if (stale.length > 0 || gone.length > 0) {
    throw new CliError(
      `The local build in ${webDir} does not match its own ${MANIFEST_NAME} (${[...stale, ...gone].slice(0, 3).join(', ')}…): rebuild it with npm run build.`,
      EXIT.failure,
    );
  }
  return { files, buildHash: sha256(manifestBytes) };
}

/** Fetches what the instance serves for each local file and compares the bytes. */
export async function verifyInstance(options: VerifyOptions): Promise<VerifyReport> {
  const { files, buildHash } = readLocalBuild(options.webDir);
  const checks = checksFor(files);
  const Direct = options.origin.startsWith('https:') ? HttpsAgent : HttpAgent;
  const agent = options.agent ?? new Direct({ keepAlive: true, maxSockets: CONCURRENCY });
  const differences: Difference[] = [];
  let manifest: Buffer | null = null;
  let done = 0;
  try {
    // The instance's own list first (whole, however long): it names any file this build lacks.
    const listed = await fetchBytes(options.origin, agent, `/${MANIFEST_NAME}`, 'identity', MAX_MANIFEST_BYTES);
    if (listed.status === 200 && !listed.longer) manifest = listed.body;
    await inParallel(checks, CONCURRENCY, async (check) => {
      const served = await fetchBytes(options.origin, agent, check.url, check.encoding, check.expected.length);
      const difference = compare(check, served);
      if (difference) differences.push(difference);
      options.onProgress?.((done += 1), checks.length);
    });
  } finally {
    if (!options.agent) agent.destroy();
  }
  if (manifest) differences.push(...extraFiles(manifest, files));
  differences.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : a.encoding < b.encoding ? -1 : 1));
  return { buildHash, servedBuildHash: manifest ? sha256(manifest) : null, checked: checks.length, differences };
}

/** The verdict as lines for a person. */
export function describeReport(report: VerifyReport, origin: string): string[] {
  if (report.differences.length === 0) {
    return [
      `MATCH: ${origin} served all ${report.checked} requests byte for byte as this machine's build.`,
      `Build hash: ${report.buildHash}`,
      'The account page of the instance should show the same hash.',
    ];
  }
  const lines = [
    `MISMATCH: ${origin} does not serve this machine's build: ${report.differences.length} differences (${report.checked} requests compared).`,
    `This build's hash:     ${report.buildHash}`,
    `The instance's hash:   ${report.servedBuildHash ?? '(it serves no build manifest)'}`,
  ];
  for (const difference of report.differences) {
    const encoding = difference.encoding === 'identity' ? '' : ` [${difference.encoding}]`;
    lines.push(`  ${difference.kind.padEnd(7)} ${difference.url}${encoding}: ${difference.detail}`);
  }
  lines.push(
    'Either the instance runs other sources (ask its operator which commit, check it out and rebuild) or it changed the client.',
  );
  return lines;
}

/** Each file plainly; each page also at its directory address; each compressed copy as Accept-Encoding picks it. */
function checksFor(files: Map<string, Buffer>): Check[] {
  const checks: Check[] = [];
  for (const [file, bytes] of files) {
    checks.push({ url: urlOf(file), encoding: 'identity', expected: bytes });
    const addresses = [urlOf(file)];
    if (file === 'index.html' || file.endsWith('/index.html')) {
      const directory = urlOf(file.slice(0, -'index.html'.length));
      checks.push({ url: directory, encoding: 'identity', expected: bytes });
      addresses.push(directory);
    }
    for (const encoding of ['gzip', 'br'] as const) {
      const copy = files.get(file + SUFFIX[encoding]);
      if (!copy) continue;
      for (const url of addresses) checks.push({ url, encoding, expected: copy });
    }
  }
  return checks;
}

function urlOf(file: string): string {
  return `/${file.split('/').map(encodeURIComponent).join('/')}`;
}

interface Served {
  status: number;
  contentEncoding: string;
  body: Buffer;
  /** The instance sent more than the expected bytes (the rest was not read). */
  longer: boolean;
}

/** GETs `url` in `encoding`, reading at most a chunk past `limit` bytes. */
async function fetchBytes(
  origin: string,
  agent: Agent,
  url: string,
  encoding: Encoding,
  limit: number,
): Promise<Served> {
  try {
    return await fetchOnce(origin, agent, url, encoding, limit);
  } catch {
    // One more try: a tor circuit can drop a stream now and then.
    try {
      return await fetchOnce(origin, agent, url, encoding, limit);
    } catch (error) {
      throw new CliError(`Could not fetch ${url} from ${origin}: ${reason(error)}`, EXIT.unreachable);
    }
  }
}

function fetchOnce(origin: string, agent: Agent, url: string, encoding: Encoding, limit: number): Promise<Served> {
  const headers = { 'Accept-Encoding': encoding, 'User-Agent': USER_AGENT, Accept: '*/*' };
  return new Promise((resolve, reject) => {
    const target = new URL(url, origin);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(target, { method: 'GET', headers, agent });
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error('no answer (timeout)')));
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      let settled = false;
      const finish = (longer: boolean) => {
        if (settled) return;
        settled = true;
        const contentEncoding = String(res.headers['content-encoding'] ?? 'identity').toLowerCase();
        resolve({ status: res.statusCode ?? 0, contentEncoding, body: Buffer.concat(chunks), longer });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        // Never more than a chunk past the limit: a hostile server cannot fill memory.
        if (length > limit) {
          finish(true);
          res.destroy();
        }
      });
      res.once('end', () => finish(false));
      res.once('error', (error) => (settled ? undefined : reject(error)));
    });
    req.end();
  });
}

function compare(check: Check, served: Served): Difference | null {
  const base = { url: check.url, encoding: check.encoding };
  if (served.status !== 200) return { ...base, kind: 'missing', detail: `the instance answered ${served.status}` };
  if (served.contentEncoding !== check.encoding) {
    const detail = `sent as ${served.contentEncoding}, where this build sends ${check.encoding}`;
    return { ...base, kind: 'differs', detail };
  }
  if (served.longer)
    return { ...base, kind: 'differs', detail: `longer than this build's ${check.expected.length} bytes` };
  if (!served.body.equals(check.expected)) {
    const detail = `SHA-256 ${sha256(served.body).slice(0, 16)}… where this build has ${sha256(check.expected).slice(0, 16)}…`;
    return { ...base, kind: 'differs', detail };
  }
  return null;
}

/** Files the instance's own manifest lists that this build does not have. */
function extraFiles(servedManifest: Buffer, files: Map<string, Buffer>): Difference[] {
  let listed: Map<string, string>;
  try {
    listed = parseManifest(servedManifest);
  } catch {
    return [];
  }
  return [...listed.keys()]
    .filter((file) => !files.has(file))
    .map((file) => ({
      url: urlOf(file),
      encoding: 'identity' as const,
      kind: 'extra' as const,
      detail: 'listed by the instance, not part of this build',
    }));
}

function parseManifest(bytes: Buffer): Map<string, string> {
  const parsed = JSON.parse(bytes.toString('utf8')) as { files?: unknown };
  if (typeof parsed.files !== 'object' || parsed.files === null) throw new Error('not a build manifest');
  return new Map(Object.entries(parsed.files as Record<string, unknown>).map(([file, hash]) => [file, String(hash)]));
}

function* walk(dir: string, relative = ''): Generator<string> {
  for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(dir, child);
    else if (entry.isFile()) yield child;
  }
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    // One failure ends the run: no verdict without every answer, and no more requests.
    while (!failed && next < items.length) {
      await work(items[next++]!).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('ECONNREFUSED')) return 'connection refused (is tor running? its SOCKS port: --socks URL)';
  return message;
}
