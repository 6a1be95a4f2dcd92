// Service settings, read once from the environment and validated, so a typo fails at
// start-up with a clear message instead of surfacing later as odd behaviour.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { GROUP_RECORDS_PAGE_MAX, MESSAGES_PAGE_MAX } from '@onionchat/contract';
import { GROUP_MAX_MEMBERS, GROUP_RECORD_MAX_ENTRIES, MESSAGE_MAX_ENVELOPE_BYTES } from '@onionchat/protocol';
import { parsePeerEntry } from '../onion/trusted-peers.js';

export const CONFIG = Symbol('CONFIG');

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const flag = z
  .enum(['0', '1', 'true', 'false'])
  .default('false')
  .transform((v) => v === '1' || v === 'true');

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(8080).pipe(z.number().max(65535)),
  ALLOW_PUBLIC_BIND: flag,
  /**
   * The port tor's HiddenServicePort points at (on HOST): every connection must come from
   * ONION_TRUSTED_PEERS and begin with tor's PROXY header naming its circuit. 0 = off.
   */
  ONION_PORT: int(0).pipe(z.number().max(65535)),
  /** Who may connect to ONION_PORT: IP addresses, subnets (address/bits) and host names, comma-separated. */
  ONION_TRUSTED_PEERS: z
    .string()
    .default('127.0.0.1,::1')
    .transform((v, ctx) => {
      const entries = v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      for (const entry of entries) {
        try {
          parsePeerEntry(entry);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      }
      return entries;
    }),
  /** A connection to ONION_PORT that has not sent its PROXY header by then is closed. */
  ONION_HEADER_TIMEOUT_SECONDS: int(10, 1),
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required'),
  DB_POOL_SIZE: int(10, 1),
  PUBLIC_ORIGIN: z.url().optional(),
  /** A file holding the onion hostname (written by the tor container); sets PUBLIC_ORIGIN. */
  ONION_HOSTNAME_FILE: z.string().optional(),
  ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    ),
  WEB_DIR: z.string().default(path.join(repoRoot, 'web', 'out')),
  REGISTRATION: z.enum(['invite', 'open']).default('invite'),
  SESSION_TTL_HOURS: int(168, 1),
  SESSION_MAX_AGE_HOURS: int(720, 1),
  /** How often expired sessions are deleted from the database (also once at start). */
  SESSION_PURGE_MINUTES: int(60, 1),
  INVITE_TTL_HOURS: int(168, 1),
  MAX_OPEN_INVITES_PER_USER: int(10, 0),
  /** Holds a full key bundle in base64 (4/3 of KEY_BUNDLE_MAX_BYTES) with the rest of its request. */
  BODY_LIMIT_BYTES: int(128 * 1024, 1024),
  KEY_BUNDLE_MAX_BYTES: int(64 * 1024, 256),
  RATE_SIGNUP_PER_HOUR: int(20, 1),
  RATE_LOGIN_PER_ACCOUNT_PER_15_MIN: int(20, 1),
  RATE_LOGIN_PER_CLIENT_PER_15_MIN: int(10, 1),
  RATE_AUTH_PER_MINUTE: int(60, 1),
  RATE_KDF_PER_MINUTE: int(60, 1),
  RATE_PASSPHRASE_CHANGES_PER_HOUR: int(5, 1),
  RATE_API_PER_MINUTE: int(600, 1),
  RATE_FRIEND_REQUESTS_PER_HOUR: int(30, 1),
  RATE_MESSAGES_PER_MINUTE: int(120, 1),
  RATE_UPLOAD_REQUESTS_PER_MINUTE: int(300, 1),
  RATE_NEW_FILES_PER_HOUR: int(300, 1),
  WS_CONNECTIONS_PER_USER: int(20, 1),
  MESSAGE_MAX_BYTES: int(MESSAGE_MAX_ENVELOPE_BYTES, 256).pipe(z.number().max(MESSAGE_MAX_ENVELOPE_BYTES)),
  MESSAGES_PAGE_MAX: int(MESSAGES_PAGE_MAX, 1),
  /** Members a group may have (PROTOCOL.md section 19); at most the protocol's 1,000. */
  GROUP_MAX_MEMBERS: int(GROUP_MAX_MEMBERS, 2).pipe(z.number().max(GROUP_RECORD_MAX_ENTRIES)),
  GROUP_RECORDS_PAGE_MAX: int(GROUP_RECORDS_PAGE_MAX, 1),
  /** Groups whose verified state is kept in memory, so a new record is checked without replaying the chain. */
  GROUP_STATE_CACHE_ENTRIES: int(256, 0),
  /** The most sends committed together in one statement (group commit); 1 turns grouping off. */
  MESSAGE_BATCH_MAX: int(256, 1).pipe(z.number().max(5000)),
  /** Batches of sends written at a time (each on its own connection; a room is in one at a time). */
  MESSAGE_WRITERS: int(4, 1).pipe(z.number().max(64)),
  /** Sessions checked from memory (with invalidation) instead of PostgreSQL on every request and event. */
  SESSION_CACHE_ENTRIES: int(50_000, 0),
  WS_MAX_FRAME_BYTES: int(256 * 1024, 1024),
  FILES_DIR: z.string().default(path.join(repoRoot, '.data', 'files')),
  FILE_MAX_BYTES: int(1024 ** 3, 1),
  FILE_QUOTA_BYTES: int(4 * 1024 ** 3, 1),
  UPLOAD_REQUEST_MAX_BYTES: int(8 * 1024 ** 2, 1024),
  UPLOAD_TTL_MINUTES: int(60, 1),
  FILE_SWEEP_SECONDS: int(60, 1),
  /** Farthest ahead a message or file may be set to disappear (the longest client timer, 4 weeks, plus a day). */
  DISAPPEARING_MAX_DAYS: int(29, 1),
  /** How often messages and files that disappeared (or passed RETENTION_MAX_DAYS) are deleted. */
  RETENTION_SWEEP_SECONDS: int(60, 1),
  /** Delete every message and file older than this many days; 0 keeps them until deleted or disappeared. */
  RETENTION_MAX_DAYS: int(0, 0),
  /** Most rows one retention sweep deletes per statement (it repeats until none are left). */
  RETENTION_SWEEP_BATCH: int(1000, 1),
  /** Where encrypted file bytes live: this machine's disk, or an S3-compatible store shared by all instances. */
  FILE_STORAGE: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: flag,
  S3_KEY_PREFIX: z.string().default(''),
  S3_PART_BYTES: int(1024 ** 2, 1024),
  S3_TIMEOUT_SECONDS: int(30, 1),
  /** Shared state for several instances (live fan-out, rate limits, upload locks); unset = one instance, in memory. */
  REDIS_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  /** Prepended to every Redis key and channel, so several deployments can share one Redis. */
  REDIS_PREFIX: z.string().min(1).default('onionchat:'),
  AUTH_HASH_LOG_N: int(14, 10),
  AUTH_HASH_R: int(8, 1),
  AUTH_HASH_P: int(5, 1),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug']).default('log'),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (!isLoopback(config.HOST) && !config.ALLOW_PUBLIC_BIND) {
    throw new Error(
      `refusing to listen on ${config.HOST}: OnionChat is published through tor and binds to ` +
        'loopback; set ALLOW_PUBLIC_BIND=1 only inside a private network such as Docker.',
    );
  }
  checkFileStorage(config);
  return config;
}

function checkFileStorage(config: Config): void {
  if (config.FILE_STORAGE !== 's3') return;
  const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !config[k]);
  if (missing.length) throw new Error(`invalid configuration:\n  FILE_STORAGE=s3 needs ${missing.join(', ')}`);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
