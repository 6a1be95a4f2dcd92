import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import {
  SEND_TIME_MAX_AHEAD_MS,
  SEND_TIME_MAX_BEHIND_MS,
  judgeSendTime,
  type SendTimeFacts,
  type SendTimeVerdict,
} from './send-time.js';

const NOW = 1_767_225_600_000;

describe('judgeSendTime', () => {
  it('accepts send times within the window, its edges included', () => {
    for (const sentAt of [NOW, NOW + SEND_TIME_MAX_AHEAD_MS, NOW - SEND_TIME_MAX_BEHIND_MS]) {
      expect(judgeSendTime({ sentAt, serverTime: NOW, previousSentAt: null })).toEqual({ verdict: 'ok' });
    }
    expect(judgeSendTime({ sentAt: NOW, serverTime: NOW, previousSentAt: NOW })).toEqual({ verdict: 'ok' });
  });

  it('flags a send time too far ahead of, or behind, the server', () => {
    expect(judgeSendTime({ sentAt: NOW + SEND_TIME_MAX_AHEAD_MS + 1, serverTime: NOW, previousSentAt: null })).toEqual({
      verdict: 're-timed',
      reason: 'ahead',
    });
    expect(judgeSendTime({ sentAt: NOW - SEND_TIME_MAX_BEHIND_MS - 1, serverTime: NOW, previousSentAt: null })).toEqual(
      { verdict: 're-timed', reason: 'behind' },
    );
  });

  it('flags a message older than the previous one of its chain', () => {
    expect(judgeSendTime({ sentAt: NOW - 1, serverTime: NOW, previousSentAt: NOW })).toEqual({
      verdict: 're-timed',
      reason: 'before-previous',
    });
  });

  it('refuses times that are not whole milliseconds from 0 to 2^53 - 1', () => {
    for (const bad of [-1, 1.5, 2 ** 53, Number.NaN]) {
      expect(code(() => judgeSendTime({ sentAt: bad, serverTime: NOW, previousSentAt: null }))).toBe('bad-encoding');
      expect(code(() => judgeSendTime({ sentAt: NOW, serverTime: bad, previousSentAt: null }))).toBe('bad-encoding');
      expect(code(() => judgeSendTime({ sentAt: NOW, serverTime: NOW, previousSentAt: bad }))).toBe('bad-encoding');
    }
  });
});

interface SendTimeVectors {
  results: (SendTimeFacts & { name: string; result: SendTimeVerdict })[];
  invalid: (SendTimeFacts & { name: string; error: string })[];
}
const vectors = (
  JSON.parse(readFileSync(new URL('../testdata/rules.json', import.meta.url), 'utf8')) as { sendTime: SendTimeVectors }
).sendTime;

describe('send time vectors (rules.json)', () => {
  it('has cases of every verdict', () => {
    const reasons = vectors.results.map((v) => (v.result.verdict === 'ok' ? 'ok' : v.result.reason));
    expect(new Set(reasons)).toEqual(new Set(['ok', 'ahead', 'behind', 'before-previous']));
  });
  it.each(vectors.results)('$name', (v) => {
    expect(judgeSendTime({ sentAt: v.sentAt, serverTime: v.serverTime, previousSentAt: v.previousSentAt })).toEqual(
      v.result,
    );
  });
  it.each(vectors.invalid)('rejects $name with $error', (v) => {
    expect(code(() => judgeSendTime(v))).toBe(v.error);
  });
});
