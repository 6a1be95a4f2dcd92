// The disappearing-time rule at its edges (the HTTP answers are in retention.spec.ts).
import { describe, expect, it } from 'vitest';
import { disappearsAtOf } from './disappears-at.js';

const now = new Date('2026-12-05T12:00:00.000Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
const code = (value: unknown) => {
  try {
    disappearsAtOf(value, 29, 'message', now);
    return 'stored';
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('disappearsAtOf', () => {
  it('keeps a message without a time', () => {
    expect(disappearsAtOf(undefined, 29, 'message', now)).toBeNull();
    expect(disappearsAtOf(null, 29, 'message', now)).toBeNull();
  });

  it('takes any time after now up to exactly the maximum, with an offset too', () => {
    expect(code(at(1))).toBe('stored');
    expect(code(at(29 * DAY))).toBe('stored');
    expect(disappearsAtOf('2026-12-05T14:30:00+02:00', 29, 'file', now)).toEqual(new Date('2026-12-05T12:30:00Z'));
  });

  it('refuses now and earlier as already disappeared, later than the maximum as bad', () => {
    expect(code(at(0))).toBe('already_disappeared');
    expect(code(at(-DAY))).toBe('already_disappeared');
    expect(code(at(29 * DAY + 1))).toBe('bad_disappears_at');
  });

  it('refuses what is not an ISO 8601 time', () => {
    for (const value of ['', 'soon', '2026-12-05', '2026-12-05 13:00:00', '2026-13-01T00:00:00Z', 1e12, true, {}, []]) {
      expect(code(value)).toBe('bad_disappears_at');
    }
  });
});
