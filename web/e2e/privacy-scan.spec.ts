// The scanner behind every browser test's privacy proof must itself find what it looks for,
// in the server's places and in what a browser keeps for a site.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { browserStoragePlaces, filesIn, findSecrets, linesWithAddresses } from './support/privacy-scan.js';

const secret = { what: 'passphrase "violet harbour"', bytes: Buffer.from('violet harbour') };

describe('privacy scan', () => {
  it('finds a secret stored raw, as hex or as base64, and names the place', () => {
    const places = [
      { name: 'raw', bytes: Buffer.from('x violet harbour y') },
      { name: 'hex', bytes: Buffer.from(`"${secret.bytes.toString('hex')}"`) },
      { name: 'base64', bytes: Buffer.from(secret.bytes.toString('base64')) },
      { name: 'clean', bytes: Buffer.from('nothing to see') },
    ];
    expect(findSecrets([secret], places)).toEqual([
      'passphrase "violet harbour" found in raw',
      'passphrase "violet harbour" found in hex',
      'passphrase "violet harbour" found in base64',
    ]);
  });

  it('flags any address in server output but the start-up line', () => {
    const output = [
      '[Nest] 1  - 11/23/2026, 5:06:03 AM     LOG [HTTP] GET /api/rooms/:id 200 3.1ms',
      'listening on http://127.0.0.1:4100 (registration: open)',
      'socket from 10.0.0.7:443',
      'peer ::ffff:127.0.0.1',
      'peer [::1]:80',
      'client 2001:db8::1 connected',
      'fetch http://127.0.0.1:80/x failed',
    ].join('\n');
    expect(linesWithAddresses(output)).toEqual([
      'socket from 10.0.0.7:443',
      'peer ::ffff:127.0.0.1',
      'peer [::1]:80',
      'client 2001:db8::1 connected',
      'fetch http://127.0.0.1:80/x failed',
    ]);
  });

  it('finds a secret a page kept in any browser storage, and in a profile folder', async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      // A page of its own on a loopback origin (a secure context, so Cache Storage exists); nothing leaves the test.
      await page.route('http://127.0.0.1:9/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>scan</title>' }),
      );
      await page.goto('http://127.0.0.1:9/');
      const clean = await browserStoragePlaces(page);
      expect(findSecrets([secret], clean)).toEqual([]);
      await page.evaluate(async (text) => {
        localStorage.setItem('a', `x ${text}`);
        sessionStorage.setItem(text, 'key holds it');
        const db = await new Promise<IDBDatabase>((resolve) => {
          const request = indexedDB.open('scan-db');
          request.onupgradeneeded = () => request.result.createObjectStore('things', { autoIncrement: true });
          request.onsuccess = () => resolve(request.result);
        });
        await new Promise((resolve) => {
          const tx = db.transaction('things', 'readwrite');
          tx.objectStore('things').add({ nested: { bytes: new TextEncoder().encode(text) } });
          tx.oncomplete = resolve;
        });
        const cache = await caches.open('scan-cache');
        await cache.put('/kept', new Response(`cached ${text}`));
        document.cookie = `c=${encodeURIComponent(btoa(text))}`;
      }, secret.bytes.toString());
      const found = findSecrets([secret], await browserStoragePlaces(page));
      expect(found).toEqual([
        'passphrase "violet harbour" found in browser localStorage',
        'passphrase "violet harbour" found in browser sessionStorage',
        'passphrase "violet harbour" found in browser IndexedDB scan-db/things',
        'passphrase "violet harbour" found in browser Cache Storage scan-cache',
        'passphrase "violet harbour" found in browser cookies',
      ]);
    } finally {
      await browser.close();
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'onionchat-scan-'));
    try {
      writeFileSync(path.join(dir, 'Preferences'), `{"typed":"${secret.bytes.toString('hex')}"}`);
      expect(findSecrets([secret], filesIn(dir, 'profile file'))).toEqual([
        'passphrase "violet harbour" found in profile file Preferences',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
