// The group settings and the body limit derived from them (no database needed).
import { describe, expect, it } from 'vitest';
import { GROUP_MAX_MEMBERS, GROUP_RECORD_MAX_ENTRIES } from '@onionchat/protocol';
import { loadConfig } from '../config/config.js';
import { groupBodyLimitBytes, groupRecordMaxBytes, takesGroupBody } from './group-limits.js';

const config = (env: Record<string, string> = {}) => loadConfig({ DATABASE_URL: 'postgresql://x/y', ...env });

describe('group settings', () => {
  it('default to the protocol limit of 100 members, and take 2 to 1,000', () => {
    expect(config().GROUP_MAX_MEMBERS).toBe(GROUP_MAX_MEMBERS);
    expect(config({ GROUP_MAX_MEMBERS: '1000' }).GROUP_MAX_MEMBERS).toBe(GROUP_RECORD_MAX_ENTRIES);
    expect(() => config({ GROUP_MAX_MEMBERS: '1001' })).toThrow(/GROUP_MAX_MEMBERS/);
    expect(() => config({ GROUP_MAX_MEMBERS: '1' })).toThrow(/GROUP_MAX_MEMBERS/);
    expect(config().GROUP_RECORDS_PAGE_MAX).toBe(100);
    expect(config({ GROUP_STATE_CACHE_ENTRIES: '0' }).GROUP_STATE_CACHE_ENTRIES).toBe(0);
  });

  it('size the group routes’ body limit for a full group with hybrid keys, never below BODY_LIMIT_BYTES', () => {
    // The largest record: 150 bytes, 49 per entry, 65,535 of info.
    expect(groupRecordMaxBytes(100)).toBe(150 + 4900 + 65535);
    expect(groupBodyLimitBytes(config())).toBe(283_540);
    expect(groupBodyLimitBytes(config({ GROUP_MAX_MEMBERS: '2', BODY_LIMIT_BYTES: '131072' }))).toBe(131072);
    expect(groupBodyLimitBytes(config({ GROUP_MAX_MEMBERS: '1000' }))).toBeGreaterThan(2_000_000);
  });

  it('apply only to the routes that take a group record or a set of keys', () => {
    const id = '8f1d6c1e-4a57-4f5e-9f0e-2b8c7a1d3e4f';
    for (const path of ['/api/groups', `/api/groups/${id}/records`, `/api/rooms/${id}/keys`]) {
      expect(takesGroupBody('POST', path), path).toBe(true);
    }
    for (const [method, path] of [
      ['GET', `/api/groups/${id}/records`],
      ['POST', `/api/rooms/${id}/messages`],
      ['POST', '/api/friends/requests'],
      ['POST', `/api/groups/${id}/records/x`],
    ] as const) {
      expect(takesGroupBody(method, path), `${method} ${path}`).toBe(false);
    }
  });
});
