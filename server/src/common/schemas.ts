// Field schemas shared by request bodies.
import { z } from 'zod';
import { fromBase64, normalizeUsername, usernameProblem, USERNAME_MAX } from '@onionchat/protocol';

/** Base64 text decoded to bytes, with its decoded size bounded. */
export function base64Bytes(min: number, max: number) {
  const maxChars = Math.ceil(max / 3) * 4;
  return z
    .string()
    .max(maxChars, `must be at most ${max} bytes`)
    .transform((text, ctx) => {
      let bytes: Uint8Array;
      try {
        bytes = fromBase64(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be base64' });
        return z.NEVER;
      }
      if (bytes.length < min || bytes.length > max) {
        const size = min === max ? `${min} bytes` : `${min} to ${max} bytes`;
        ctx.addIssue({ code: 'custom', message: `must be ${size}` });
        return z.NEVER;
      }
      return bytes;
    });
}

/** A username as typed; answers with the protocol's own rule when it is invalid. */
export const username = z
  .string()
  .max(USERNAME_MAX * 2, 'is too long')
  .transform((text, ctx) => {
    const canonical = normalizeUsername(text);
    const problem = usernameProblem(canonical);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return canonical;
  });

export const AUTH_KEY_BYTES = 32;
export const authKey = base64Bytes(AUTH_KEY_BYTES, AUTH_KEY_BYTES);
export const uuid = z.uuid('is not a valid id');

/** A number in a query string: plain decimal digits (no sign, exponent, hex or blanks), then checked as a number. */
export function queryNumber<T extends z.ZodType<unknown, number>>(then: T) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be given once') })
    .regex(/^\d{1,16}$/, 'must be a whole number, not negative')
    .transform(Number)
    .pipe(then);
}
