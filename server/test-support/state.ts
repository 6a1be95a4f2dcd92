// A comparable picture of everything the server stored, for "a refused request changes
// nothing" checks: every row of every table, sorted, bytes as hex. A session's idle
// expiry slides with use (any authenticated call may move it), so those two columns are
// left out.
import pg from 'pg';

const SLIDING: Record<string, string[]> = { Session: ['lastSeenAt', 'expiresAt'] };

export interface StoredState {
  /** Closes the connection. */
  close(): Promise<void>;
  /** One sorted text block per table. */
  snapshot(): Promise<Record<string, string>>;
}

export async function storedState(dbUrl: string): Promise<StoredState> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const { rows: tables } = await client.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_prisma%'",
  );
  return {
    close: () => client.end(),
    async snapshot() {
      const out: Record<string, string> = {};
      for (const { tablename } of tables) {
        const { rows } = await client.query<Record<string, unknown>>(`SELECT * FROM "${tablename}"`);
        const skip = SLIDING[tablename] ?? [];
        out[tablename] = rows
          .map((row) => JSON.stringify(row, (key, value: unknown) => (skip.includes(key) ? undefined : hex(value))))
          .sort()
          .join('\n');
      }
      return out;
    },
  };
}

function hex(value: unknown): unknown {
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer') {
    return Buffer.from((value as { data: number[] }).data).toString('hex');
  }
  return value;
}
