// Reading tor's progress from its log: the lines themselves, then a real tor that cannot
// reach any network (bootstrap only, never published), then one on the private test
// network (published).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnionService, type OnionService } from './onion-service.js';
import { startProxiedApp, type ProxiedApp } from './proxied-app.js';
import { startTestnet, type Testnet } from './testnet.js';
import { findTor } from './tor-binary.js';
import { isInfoLine, parseTorLine, PUBLICATION_LOG_TORRC, type TorStatusEvent } from './tor-status.js';

// Lines as tor 0.4.9 prints them with `Log notice stdout`, SafeLogging on, plus the
// info-level line PUBLICATION_LOG_TORRC adds.
const LINES = {
  starting: 'Dec 04 21:20:00.512 [notice] Bootstrapped 0% (starting): Starting',
  conn: 'Dec 04 21:20:01.004 [notice] Bootstrapped 5% (conn): Connecting to a relay',
  problem:
    'Dec 04 21:20:01.130 [warn] Problem bootstrapping. Stuck at 5% (conn): Connecting to a relay. ' +
    '(Network is unreachable; NOROUTE; count 1; recommendation warn; host 9695DFC35FFEB861329B9F1AB04C46397020CE31 at [scrubbed])',
  done: 'Dec 04 21:20:31.880 [notice] Bootstrapped 100% (done): Done',
  uploaded:
    'Dec 04 21:20:36.021 [info] handle_response_upload_hsdesc(): Uploading hidden service descriptor: ' +
    'finished with status 200 ("HS descriptor stored successfully.")',
  rejected:
    'Dec 04 21:20:36.021 [warn] handle_response_upload_hsdesc(): Uploading hidden service descriptor: ' +
    'http status 400 ("Invalid descriptor") response from dirserver [scrubbed]. Malformed hidden service descriptor?',
  otherInfo: 'Dec 04 21:20:36.500 [info] rend_service_intro_established(): Received INTRO_ESTABLISHED cell',
  version: 'Dec 04 21:20:00.500 [notice] Tor 0.4.9.11 running on Linux with Libevent 2.1.12-stable.',
};

describe('parseTorLine', () => {
  it('reads bootstrap progress with its tag and summary', () => {
    expect(parseTorLine(LINES.starting)).toEqual({
      kind: 'bootstrap',
      percent: 0,
      tag: 'starting',
      summary: 'Starting',
    });
    expect(parseTorLine(LINES.conn)).toEqual({
      kind: 'bootstrap',
      percent: 5,
      tag: 'conn',
      summary: 'Connecting to a relay',
    });
    expect(parseTorLine(LINES.done)).toEqual({ kind: 'bootstrap', percent: 100, tag: 'done', summary: 'Done' });
  });

  it('reads why bootstrapping is stuck, without the relay it was trying', () => {
    const event = parseTorLine(LINES.problem);
    expect(event).toEqual({
      kind: 'bootstrap-problem',
      percent: 5,
      summary: 'Connecting to a relay',
      reason: 'Network is unreachable',
    });
    expect(JSON.stringify(event)).not.toMatch(/9695DF|scrubbed|host/);
  });

  it('counts only a stored descriptor as published', () => {
    expect(parseTorLine(LINES.uploaded)).toEqual({ kind: 'published' });
    expect(parseTorLine(LINES.rejected)).toBeUndefined();
  });

  it('ignores everything else', () => {
    for (const line of [LINES.otherInfo, LINES.version, '', 'Bootstrapped soon']) {
      expect(parseTorLine(line)).toBeUndefined();
    }
  });
});

describe('isInfoLine', () => {
  it('picks out the info-level lines, which are read and then dropped', () => {
    expect(isInfoLine(LINES.uploaded)).toBe(true);
    expect(isInfoLine(LINES.otherInfo)).toBe(true);
    for (const line of [LINES.starting, LINES.problem, LINES.rejected, LINES.version]) {
      expect(isInfoLine(line)).toBe(false);
    }
  });
});

// Without tor these cannot run; CI installs tor, so there they must.
describe.skipIf(!findTor() && !process.env.CI)('a real tor', () => {
  let root: string;
  let app: ProxiedApp;
  let testnet: Testnet | undefined;
  const running: OnionService[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'onionchat-tor-status-'));
    app = await startProxiedApp((_req, res) => res.end('app'));
  });

  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await testnet?.stop();
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  /** Starts the production onion service and collects its status events. */
  async function start(name: string, extraTorrc: string[]) {
    const events: TorStatusEvent[] = [];
    const logged: string[] = [];
    const dataDir = path.join(root, name);
    const service = await startOnionService({
      dataDir,
      appPort: app.port,
      socksPort: 0,
      extraTorrc,
      onStatus: (event) => events.push(event),
      log: (line) => logged.push(line),
    });
    running.push(service);
    return { service, events, logged, dataDir };
  }

  it('with no network: reports bootstrap progress, keeps info lines out of the log', async () => {
    const { events, logged, dataDir } = await start('offline', ['DisableNetwork 1']);
    await expect
      .poll(() => events)
      .toContainEqual({ kind: 'bootstrap', percent: 0, tag: 'starting', summary: 'Starting' });
    expect(events.filter((event) => event.kind === 'published')).toEqual([]);
    expect(logged.filter((line) => / \[info\] /.test(line))).toEqual([]);
    const torrc = await readFile(path.join(dataDir, 'torrc'), 'utf8');
    expect(torrc).toContain(`\n${PUBLICATION_LOG_TORRC}\n`);
    expect(torrc).toMatch(/^DisableNetwork 1$/m);
  });

  it('on the private test network: reports the descriptor published', { timeout: 300_000 }, async () => {
    testnet = await startTestnet({ appPort: app.port });
    const { events } = await start('published', testnet.joinLines('status'));
    await expect.poll(() => events.some((event) => event.kind === 'published'), { timeout: 120_000 }).toBe(true);
    expect(events).toContainEqual({ kind: 'bootstrap', percent: 100, tag: 'done', summary: 'Done' });
  });
});
