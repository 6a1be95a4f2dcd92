import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable.js';

// The shapes Prisma's pg adapter produced on this stack when PostgreSQL was stopped.
const adapterError = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error('query failed'), {
    code,
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
  });

describe('isDatabaseUnavailable', () => {
  it('recognises a stopped, restarting or unreachable database', () => {
    expect(isDatabaseUnavailable(adapterError('P2010', { kind: 'DatabaseNotReachable', host: 'h', port: 1 }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(adapterError('P1001', { kind: 'DatabaseNotReachable' }))).toBe(true);
    expect(isDatabaseUnavailable(adapterError('P2010', { kind: 'postgres', code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(adapterError('P2010', { kind: 'postgres', code: '08006' }))).toBe(true);
    expect(isDatabaseUnavailable(adapterError('P2010', { kind: 'ConnectionClosed' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('pool'), { code: 'P2024' }))).toBe(true);
    // node-postgres's own errors, passed on unchanged by the adapter
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('leaves query errors and everything else alone', () => {
    expect(isDatabaseUnavailable(adapterError('P2002', { kind: 'UniqueConstraintViolation' }))).toBe(false);
    expect(isDatabaseUnavailable(adapterError('P2010', { kind: 'postgres', code: '42P01' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('the connection was terminated by the user'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('Connection terminated'), { code: 'E1' }))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('P1001')).toBe(false);
  });
});
