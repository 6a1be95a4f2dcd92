// Runs the real application in-process on a random loopback port, against its own
// fresh database, and gives tests an HTTP client that keeps the session cookie.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { inject } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config/config.js';
import { freshDatabase } from './database.js';

export interface TestApp {
  baseUrl: string;
  dbUrl: string;
  config: Config;
  app: Awaited<ReturnType<typeof createApp>>;
  client: () => TestClient;
  close: () => Promise<void>;
  /** Stops the HTTP app but keeps the database (for restart tests). */
  closeAppOnly: () => Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}, existingDbUrl?: string): Promise<TestApp> {
  const db = existingDbUrl ? { url: existingDbUrl, drop: async () => {} } : await freshDatabase(inject('adminDbUrl'));
  const filesDir = mkdtempSync(path.join(tmpdir(), 'onionchat-files-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    FILES_DIR: filesDir,
    PORT: '0',
    WEB_DIR: '/nonexistent',
    LOG_LEVEL: 'error',
    REGISTRATION: 'open',
    DB_POOL_SIZE: '4',
    // Tests make many accounts quickly; the limits themselves are tested with low values.
    RATE_SIGNUP_PER_HOUR: '10000',
    RATE_AUTH_PER_MINUTE: '10000',
    RATE_KDF_PER_MINUTE: '10000',
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    dbUrl: db.url,
    config,
    app,
    client: () => new TestClient(baseUrl),
    closeAppOnly: async () => {
      await app.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
    close: async () => {
      await app.close();
      await db.drop();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

export interface TestResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export class TestClient {
  cookie: string | undefined;

  constructor(readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<TestResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    const h = init.headers as Record<string, string>;
    if (this.cookie) h['cookie'] = this.cookie;
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, init);
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]?.endsWith('=') ? undefined : setCookie.split(';')[0];
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
  }

  get = <T = Record<string, unknown>>(path: string) => this.request<T>('GET', path);
  post = <T = Record<string, unknown>>(path: string, body?: unknown) => this.request<T>('POST', path, body);
  delete = <T = Record<string, unknown>>(path: string) => this.request<T>('DELETE', path);
}
