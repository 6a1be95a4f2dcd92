import { z } from 'zod';
import { GROUP_RECORD_MAX_ENTRIES, GROUP_RECORD_MIN_BYTES } from '@onionchat/protocol';
import { base64Bytes, queryNumber, uuid } from '../common/schemas.js';
import { wrappedKeyRecord } from '../rooms/rooms.schemas.js';
import { GROUP_RECORD_MAX_BYTES } from './group-limits.js';

/** A signed group record; what it says is checked by the protocol's rules in the service. */
const groupRecord = base64Bytes(GROUP_RECORD_MIN_BYTES, GROUP_RECORD_MAX_BYTES);

const wrappedKeys = z
  .array(z.object({ memberId: uuid, record: wrappedKeyRecord }))
  .max(GROUP_RECORD_MAX_ENTRIES, `must hold at most ${GROUP_RECORD_MAX_ENTRIES} wrapped keys`);

export const createGroupBody = z.object({
  record: groupRecord,
  keys: wrappedKeys.min(1, 'must hold the room key wrapped for each member'),
});

export const appendRecordBody = z.object({
  record: groupRecord,
  keys: wrappedKeys.optional(),
});

export const recordsQuery = z.object({
  after: queryNumber(z.number().max(0xffff_ffff, 'must be at most 2^32 - 1')).optional(),
});

export type CreateGroupBody = z.infer<typeof createGroupBody>;
export type AppendRecordBody = z.infer<typeof appendRecordBody>;
export type RecordsQuery = z.infer<typeof recordsQuery>;
