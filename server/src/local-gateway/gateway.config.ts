// Settings of the local gateway: one pinned onion, a SOCKS proxy on loopback, a port on
// loopback. Anything else is refused at start-up.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isLoopback } from '../config/config.js';
import { ONION_HOST } from '@onionchat/contract';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const schema = z.object({
  GATEWAY_ONION: z
    .string()
    .transform((v) =>
      v
        .trim()
        .toLowerCase()
        .replace(/^https?:\/\//, '')
        .replace(/\/$/, ''),
    )
    .pipe(z.string().regex(ONION_HOST, 'must be a v3 onion address (56 base32 characters + .onion)')),
  GATEWAY_SOCKS: z.string().default('socks5h://127.0.0.1:9050'),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  WEB_DIR: z.string().default(path.join(repoRoot, 'web', 'out')),
});

export type GatewayConfig = z.infer<typeof schema>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const config = parsed.data;
  if (!isLoopback(config.GATEWAY_HOST)) throw new Error('the gateway listens on loopback only');
  const socks = new URL(config.GATEWAY_SOCKS);
  if (socks.protocol !== 'socks5h:')
    throw new Error('GATEWAY_SOCKS must be socks5h:// so the onion name is resolved by tor');
  if (!isLoopback(socks.hostname)) throw new Error('GATEWAY_SOCKS must be a proxy on loopback');
  return config;
}
