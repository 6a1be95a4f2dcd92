// What a camera read off a QR code, judged by the rules the codes were made with: the
// safety-number code (protocol's version || both halves, compared byte for byte) and the
// contact link (read as any pasted link is).

import { matchSafetyNumberQr, ProtocolError, type SafetyNumber } from '@onionchat/protocol';

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
      message: `This code does not match your safety number with ${name}. Do not mark ${name} as verified: the code may be from another conversation, or someone may be in the middle of this one.`,
    };
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return {
      kind: 'not-a-code',
      message: `That is not an OnionChat safety number code. Scan the code in ${name}’s “Verify safety number” window.`,
    };
  }
}
