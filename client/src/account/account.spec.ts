// The rest of AccountFlows (who am I, log-out, sessions, invites) and the pure helpers.

import { createIdentity, fingerprint, newUuid } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { describeError, errorField } from '../describe-error.js';
import { FakeHttp } from '../test-support/fake-http.js';
import { ApiError } from '../transport/api-error.js';
import { Api } from '../transport/api.js';
import {
  AccountError,
  AccountFlows,
  afterLoginPath,
  canonicalUsername,
  identityFingerprint,
  inviteLink,
  parseInviteToken,
  wipeIdentity,
} from './account.js';

const SESSION_EXPIRED = { status: 401, body: { code: 'session_expired', message: 'Expired.' } };

function flows(http: FakeHttp, origin = 'http://example.onion'): AccountFlows {
  return new AccountFlows(new Api(http), origin);
}

const user = { id: newUuid(), username: 'alice', publicKeys: 'AAAA', createdAt: '2025-01-01T00:00:00.000Z' };

describe('AccountFlows', () => {
  it('whoAmI answers the session’s user, and passes a missing session on', async () => {
    const http = new FakeHttp().on('GET', '/api/account', { body: { user } });
    expect(await flows(http).whoAmI()).toEqual(user);
    http.on('GET', '/api/account', { status: 401, body: { code: 'not_logged_in', message: 'Log in.' } });
    await expect(flows(http).whoAmI()).rejects.toMatchObject({ status: 401, code: 'not_logged_in' });
  });

  it('refuses an answer that does not fit the contract', async () => {
    const http = new FakeHttp().on('GET', '/api/account', { body: { user: { id: 'x' } } });
    await expect(flows(http).whoAmI()).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('logOut and logOutEverywhere say whether there was still a session to end', async () => {
    const http = new FakeHttp().on('POST', '/api/auth/logout', { status: 204 }).on('POST', '/api/auth/logout-all', {
      status: 204,
    });
    expect(await flows(http).logOut()).toBe(true);
    expect(await flows(http).logOutEverywhere()).toBe(true);
    http.on('POST', '/api/auth/logout', SESSION_EXPIRED).on('POST', '/api/auth/logout-all', SESSION_EXPIRED);
    expect(await flows(http).logOut()).toBe(false);
    expect(await flows(http).logOutEverywhere()).toBe(false);
  });

  it('log-out passes other failures on', async () => {
    const http = new FakeHttp().on('POST', '/api/auth/logout', 'drop');
    const error = await flows(http)
      .logOut()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('network');
  });

  it('lists and ends sessions', async () => {
    const session = { id: 's/1', createdAt: 'a', lastSeenAt: 'b', expiresAt: 'c', current: true };
    const http = new FakeHttp()
      .on('GET', '/api/account/sessions', { body: { sessions: [session] } })
      .on('DELETE', /^\/api\/account\/sessions\//, { status: 204 });
    expect(await flows(http).listSessions()).toEqual([session]);
    await flows(http).endSession('s/1');
    expect(http.callsTo('DELETE', '/api/account/sessions/s%2F1')).toHaveLength(1);
  });

  it('creates invites with a link on the given origin, lists and revokes them', async () => {
    const invite = { id: 'i1', createdAt: 'a', expiresAt: 'b' };
    const http = new FakeHttp()
      .on('POST', '/api/invites', { status: 201, body: { invite, token: 'tok en+/' } })
      .on('GET', '/api/invites', { body: { invites: [{ ...invite, usedAt: 'c' }] } })
      .on('DELETE', '/api/invites/i1', { status: 204 });
    const created = await flows(http, 'http://abc.onion/').createInvite();
    expect(created).toEqual({
      invite: { ...invite, usedAt: null },
      token: 'tok en+/',
      link: 'http://abc.onion/signup/#invite=tok%20en%2B%2F',
    });
    expect(parseInviteToken(created.link)).toBe('tok en+/');
    expect(await flows(http).listInvites()).toEqual([{ ...invite, usedAt: 'c' }]);
    await flows(http).revokeInvite('i1');
    expect(http.callsTo('DELETE', '/api/invites/i1')).toHaveLength(1);
  });
});

describe('pure helpers', () => {
  it('canonicalUsername trims and lower-cases', () => {
    expect(canonicalUsername('  Alice_2 ')).toBe('alice_2');
  });

  it('identityFingerprint is the fingerprint of the public keys', () => {
    const identity = createIdentity('alice');
    expect(identityFingerprint(identity)).toBe(fingerprint(identity));
  });

  it('wipeIdentity zeroes the secrets (and accepts null)', () => {
    const identity = createIdentity('alice');
    wipeIdentity(identity);
    wipeIdentity(null);
    for (const secret of [identity.boxSecretKey, identity.signSecretKey, identity.signSeed]) {
      expect(secret.every((byte) => byte === 0)).toBe(true);
    }
  });

  it('afterLoginPath follows only our own pages', () => {
    const room = '0123abcd-0123-4567-89ab-0123456789ab';
    expect(afterLoginPath(`#next=${encodeURIComponent(`/chat/#room=${room}`)}`)).toBe(`/chat/#room=${room}`);
    expect(afterLoginPath('#a=1&next=%2Faccount%2Fpassphrase%2F')).toBe('/account/passphrase/');
    expect(afterLoginPath('#next=https%3A%2F%2Fevil.example%2F')).toBe('/chat/');
    expect(afterLoginPath('#next=%2F%2Fevil.example%2Fchat%2F')).toBe('/chat/');
    expect(afterLoginPath('#next=%E0%A4%A')).toBe('/chat/');
    expect(afterLoginPath('')).toBe('/chat/');
  });

  it('parseInviteToken reads fragments, links and bare tokens', () => {
    expect(parseInviteToken('#invite=abc')).toBe('abc');
    expect(parseInviteToken(' http://x.onion/signup/#foo=1&invite=a%20b ')).toBe('a b');
    expect(parseInviteToken('abcDEF123')).toBe('abcDEF123');
    expect(parseInviteToken('#invite=')).toBeNull();
    expect(parseInviteToken('#invite=%E0%A4%A')).toBeNull();
    expect(parseInviteToken('http://x.onion/signup/')).toBeNull();
    expect(parseInviteToken('two words')).toBeNull();
    expect(parseInviteToken('   ')).toBeNull();
  });

  it('inviteLink builds the sign-up link on any origin', () => {
    expect(inviteLink('http://abc.onion', 'x&y')).toBe('http://abc.onion/signup/#invite=x%26y');
    expect(inviteLink('', 't')).toBe('/signup/#invite=t');
  });

  it('account errors become their own sentence and field', () => {
    const error = new AccountError('Enter your passphrase.', 'passphrase');
    expect(describeError(error)).toBe('Enter your passphrase.');
    expect(errorField(error)).toBe('passphrase');
  });
});
