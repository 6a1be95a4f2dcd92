// What a camera read off a QR code, judged by the rules the codes were made with: the
// safety-number code (protocol's version || both halves, compared byte for byte) and the
// contact link (read as any pasted link is).

import { matchSafetyNumberQr, ProtocolError, type SafetyNumber } from '@onionchat/protocol';
import { sayer } from '../present/phrasebook.js';
import { ACCOUNT_PHRASES } from './account-phrases.js';

const say = sayer(ACCOUNT_PHRASES);

export type SafetyScan =
  /** The scanned code is exactly the one this device computed. */
  | { kind: 'match' }
  /** A safety-number code, but not this conversation's: someone else's, or someone in the middle. */
  | { kind: 'mismatch'; message: string }
  /** Not an OnionChat safety-number code at all. */
  | { kind: 'not-a-code'; message: string };

/** Compares a scanned QR payload (its raw bytes) with the safety number shown here. */
export function compareSafetyScan(scanned: Uint8Array, mine: SafetyNumber, name: string): SafetyScan {
  try {
    if (matchSafetyNumberQr(scanned, mine)) return { kind: 'match' };
    return {
      kind: 'mismatch',
      message: say('account.scan.mismatch', { name }),
    };
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return {
      kind: 'not-a-code',
      message: say('account.scan.notACode', { name }),
    };
  }
}
