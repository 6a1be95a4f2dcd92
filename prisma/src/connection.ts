// Turns a postgres:// URL into pg pool fields. Prisma's pg adapter derives its shadow
// database by replacing `database` in these fields, which a connectionString would override.
import type { PoolConfig } from 'pg';

export function poolConfigFromUrl(databaseUrl: string | undefined): PoolConfig {
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  const url = new URL(databaseUrl);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error('DATABASE_URL must be a postgres:// URL');
  }
  const host = url.searchParams.get('host') ?? decodeURIComponent(url.hostname);
  return {
    host: host || '127.0.0.1',
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password) || undefined,
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
  };
}
