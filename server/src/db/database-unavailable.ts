// Errors that mean the database cannot be reached right now (stopped, restarting, the
// connection dropped, no connection free), as opposed to a query it refused. They are
// answered with 503 so clients retry later, and logged without the driver's details.
import { ApiError } from '../common/api-error.js';

// Prisma: can't reach / timed out / closed the connection / no connection from the pool in time.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// Driver adapter error kinds that describe the connection rather than the query.
const CONNECTION_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// SQLSTATE class 08 (connection exception), 57P01-57P03 (shutting down, crashed, not yet
// accepting connections) and 53300 (too many connections).
const SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
// Socket errors of node-postgres used directly (the message log's pool queries).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
// node-postgres's own connection errors carry no code, and the adapter passes them on as they are.
const PG_CONNECTION_MESSAGE =
  /^(Connection terminated\b|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

interface Shape {
  name?: unknown;
  code?: unknown;
  errorCode?: unknown;
  kind?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
}

function describesConnection(cause: unknown): boolean {
  if (!cause || typeof cause !== 'object') return false;
  const c = cause as Shape;
  if (typeof c.kind === 'string' && CONNECTION_KINDS.has(c.kind)) return true;
  return c.kind === 'postgres' && typeof c.code === 'string' && SQLSTATE.test(c.code);
}

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as Shape;
  if (describesConnection(e.meta?.driverAdapterError?.cause)) return true;
  if (e.name === 'DriverAdapterError' && describesConnection(e.cause)) return true;
  if (err instanceof Error && e.code === undefined && PG_CONNECTION_MESSAGE.test(err.message)) return true;
  // node-postgres used directly: the server's SQLSTATE or the socket's error code.
  if (typeof e.code === 'string' && (SQLSTATE.test(e.code) || NETWORK_CODES.has(e.code))) return true;
  const code = typeof e.code === 'string' ? e.code : e.errorCode;
  return typeof code === 'string' && PRISMA_CODES.has(code);
}

export const databaseUnavailable = () =>
  new ApiError(503, 'database_unavailable', 'The service cannot reach its database right now. Try again in a moment.', {
    'Retry-After': '5',
  });
