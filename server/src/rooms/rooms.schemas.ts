import { z } from 'zod';
import { GROUP_RECORD_MAX_ENTRIES, WRAPPED_ROOM_KEY_V1_BYTES, WRAPPED_ROOM_KEY_V2_BYTES } from '@onionchat/protocol';
import { base64Bytes, uuid } from '../common/schemas.js';

/** A wrapped room key of either version: 221 bytes (X25519) or 1341 bytes (hybrid, with ML-KEM-768). */
export const wrappedKeyRecord = base64Bytes(WRAPPED_ROOM_KEY_V1_BYTES, WRAPPED_ROOM_KEY_V2_BYTES).refine(
  (bytes) => bytes.length === WRAPPED_ROOM_KEY_V1_BYTES || bytes.length === WRAPPED_ROOM_KEY_V2_BYTES,
  `must be ${WRAPPED_ROOM_KEY_V1_BYTES} or ${WRAPPED_ROOM_KEY_V2_BYTES} bytes (a wrapped room key)`,
);

/** The most members a group can be configured for; the service wants exactly one key per member. */
export const EPOCH_KEYS_MAX = GROUP_RECORD_MAX_ENTRIES;

export const startEpochBody = z.object({
  epoch: z
    .number()
    .int('must be a whole number')
    .min(2, 'must be at least 2 (epoch 1 is made with the room)')
    .max(0xffff_ffff, 'must be at most 2^32 - 1'),
  keys: z
    .array(z.object({ memberId: uuid, record: wrappedKeyRecord }))
    .min(1, 'must hold one wrapped key for each member')
    .max(EPOCH_KEYS_MAX, `must hold at most ${EPOCH_KEYS_MAX} wrapped keys`),
});

export type StartEpochBody = z.infer<typeof startEpochBody>;
