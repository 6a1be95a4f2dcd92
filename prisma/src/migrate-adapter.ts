// The pg adapter used only by the `prisma migrate` CLI process. Migrate's introspection
// reads catalog columns of internal types (`name`, `"char"`, `regclass`...) that the
// adapter cannot map (upstream prisma/orm#27403); node-postgres hands them over as
// strings, so reporting them as text is exact. The patch is applied to pg's Client so
// the shadow database's pool gets it too.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { poolConfigFromUrl } from './connection.js';

const TEXT_OID = 25;
// "char", name, regproc, regclass, regtype (node-postgres already hands these over as strings)
const INTERNAL_TEXT_LIKE_OIDS = new Set([18, 19, 24, 2205, 2206]);

type QueryResultLike = { fields?: { dataTypeID: number }[] };

function relabelFields<T>(result: T): T {
  for (const field of (result as QueryResultLike).fields ?? []) {
    if (INTERNAL_TEXT_LIKE_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
}

let patched = false;
function relabelInternalColumnTypes(): void {
  if (patched) return;
  patched = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    // pg.Pool calls Client#query with a callback; direct callers get a promise.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (err: unknown, result: unknown) => callback(err, err ? result : relabelFields(result));
    }
    const out = original.apply(this, args);
    return out instanceof Promise ? out.then(relabelFields) : out;
  };
}

// Upstream drops the shadow database while its own pool still holds a connection to it
// ("is being accessed by other users"); this factory closes the pool first.
class MigrationPg extends PrismaPg {
  constructor(private readonly fields: pg.PoolConfig) {
    super(fields);
  }

  override async connectToShadowDb(): ReturnType<PrismaPg['connect']> {
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    const admin = new pg.Client(this.fields);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg({ ...this.fields, database }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.end();
    };
    return shadow;
  }
}

export function migrationAdapter(databaseUrl: string | undefined): Promise<PrismaPg> {
  relabelInternalColumnTypes();
  return Promise.resolve(new MigrationPg(poolConfigFromUrl(databaseUrl)));
}
