import { ProtocolError } from '@onionchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WRONG_CREDENTIALS_MESSAGE } from '../account/account-error.js';
import { describeError, errorPhrase } from '../describe-error.js';
import { english, setSpeaker, type PhraseValues } from '../present/phrasebook.js';
import { characterCounter } from '../present/character-counter.js';
import { ApiError, NETWORK_ERROR_MESSAGE, errorFromResponse, networkError } from '../transport/api-error.js';
import { RealtimeError } from '../transport/realtime.js';
import { ackOutcome, transportOutcome } from './send-outcome.js';
import { SENDING_PHRASES } from './sending-phrases.js';

/** A speaker that answers with the key and its values, so a spec can see what was said. */
function listen(): void {
  setSpeaker({
    phrase: (key: string, values: PhraseValues | undefined) => `${key} ${JSON.stringify(values ?? {})}`,
    duration: (seconds: number) => `${seconds}s`,
  });
}

describe('sending sentences in the reader’s language', () => {
  afterEach(() => setSpeaker(null));

  it('words failures by key, with the wait as a count', () => {
    listen();
    expect(describeError(new ApiError(429, 'rate_limited', 'Too many', 42))).toBe(
      'sending.error.rateLimitedSeconds {"count":42}',
    );
    expect(describeError(new ApiError(429, 'rate_limited', 'Too many', 61))).toBe(
      'sending.error.rateLimitedMinutes {"count":2}',
    );
    expect(describeError(new ProtocolError('bad-signature', 'x'))).toBe(
      'sending.error.protocol {"code":"bad-signature"}',
    );
    expect(describeError(new ApiError(401, 'session_expired', 'x'))).toBe('sending.error.sessionEnded {}');
    expect(describeError('thrown')).toBe('sending.error.generic {}');
  });

  it('says our own network sentence, but keeps a server’s or a transport’s as it came', () => {
    listen();
    expect(describeError(networkError())).toBe('sending.error.network {}');
    expect(describeError(networkError('The proxy refused the connection.'))).toBe('The proxy refused the connection.');
    expect(describeError(new ApiError(409, 'already_friends', 'You and bob are already friends.'))).toBe(
      'You and bob are already friends.',
    );
    // The English constant still tells our sentence apart for the web's catalogue.
    expect(networkError().message).toBe(NETWORK_ERROR_MESSAGE);
    expect(errorPhrase(networkError())).toEqual({ key: 'errors.network' });
  });

  it('says the fallback of a failed request and the note of a refused message with their values', () => {
    listen();
    expect(errorFromResponse(503, undefined, null).message).toBe('sending.error.serverProblem {"status":503}');
    expect(errorFromResponse(418, {}, null).message).toBe('sending.error.requestFailed {"status":418}');
    expect(ackOutcome({ ok: false, status: 403, code: 'forbidden' }, 'room')).toMatchObject({
      kind: 'failed',
      note: 'sending.outcome.refused {"code":"forbidden"}',
    });
    expect(transportOutcome(new RealtimeError('timeout'))).toMatchObject({ note: 'sending.connection.timeout {}' });
  });

  it('counts the characters left by a number the interface can format', () => {
    listen();
    expect(characterCounter(7_999).text).toBe('sending.counter.left {"count":1,"n":"1"}');
  });

  it('keeps English equal to the sentences other modules compare with', () => {
    expect(english(SENDING_PHRASES, 'sending.error.network')).toBe(NETWORK_ERROR_MESSAGE);
    expect(english(SENDING_PHRASES, 'sending.error.wrongCredentials')).toBe(WRONG_CREDENTIALS_MESSAGE);
  });
});
