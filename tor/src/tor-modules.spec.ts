import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onionServiceTorrc } from './onion-torrc.js';
import { findTor } from './tor-binary.js';
import { hasPowDefense, listTorModules, parseTorModules, withoutPowDefense } from './tor-modules.js';

describe('parseTorModules', () => {
  it('reads "name: yes|no" lines and ignores the rest', () => {
    const modules = parseTorModules('relay: yes\ndirauth: no\nJan 01 notice: something\npow: yes\n');
    expect(modules).toEqual({ relay: true, dirauth: false, pow: true });
  });

  it('reports a module that is not listed as absent', () => {
    expect(parseTorModules('relay: yes\ndircache: yes\n').pow).toBeUndefined();
  });
});

describe('the PoW lines of the production torrc', () => {
  const values = { dataDir: '/d', hiddenServiceDir: '/d/hs', appPort: 3000, socksPort: 0, owningPid: 42 };

  it('are all left out for a tor without the pow module, and nothing else is', async () => {
    const torrc = await onionServiceTorrc(values);
    expect(hasPowDefense(torrc)).toBe(true);
    const without = withoutPowDefense(torrc);
    expect(hasPowDefense(without)).toBe(false);
    expect(without).not.toMatch(/^\s*HiddenServicePoW/m);
    const kept = (text: string) => text.split('\n').filter((line) => !/^\s*HiddenServicePoW/.test(line));
    expect(without.split('\n')).toEqual(kept(torrc));
    expect(without).toMatch(/^HiddenServiceEnableIntroDoSDefense 1$/m);
    expect(without).toMatch(/^HiddenServiceExportCircuitID haproxy$/m);
  });
});

describe('listTorModules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'onionchat-tor-modules-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds no pow module in a tor that does not list it', async () => {
    const fake = path.join(dir, 'old-tor');
    await writeFile(fake, '#!/bin/sh\n[ "$1" = --list-modules ] && printf "relay: yes\\ndirauth: yes\\n"\n');
    await chmod(fake, 0o755);
    expect((await listTorModules(fake)).pow).toBeUndefined();
  });

  it('fails with tor’s words when tor cannot run', async () => {
    await expect(listTorModules(path.join(dir, 'missing'))).rejects.toThrow(/cannot run/);
  });

  // Debian's tor (0.4.8 and newer) has it; CI installs that tor.
  it.skipIf(!findTor() && !process.env.CI)('finds the pow module in the installed tor', async () => {
    expect((await listTorModules(findTor()!)).pow).toBe(true);
  });
});
