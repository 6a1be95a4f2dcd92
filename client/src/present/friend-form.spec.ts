import { describe, expect, it } from 'vitest';
import type { FriendsList } from '@onionchat/contract';
import {
  acceptedNote,
  acceptedSince,
  checkFriendEntry,
  checkFriendName,
  linkConfirmation,
  linkInFragment,
  linkOutcomeNote,
  requestKeyWarning,
} from './friend-form.js';

describe('checkFriendName', () => {
  it('an empty name asks for one (the field takes focus)', () => {
    const empty = { ok: false, error: 'Enter the username of the person you want to add.', focusField: true };
    expect(checkFriendName('', 'alice')).toEqual(empty);
    expect(checkFriendName('   ', 'alice')).toEqual(empty);
  });

  it('a name that can’t be one says why (the field takes focus)', () => {
    expect(checkFriendName('b', 'alice')).toEqual({
      ok: false,
      error: 'A username must be 3 to 32 characters long.',
      focusField: true,
    });
    expect(checkFriendName('bob!', 'alice')).toEqual({
      ok: false,
      error: 'A username may only contain the letters a-z, the digits 0-9 and the underscore (_).',
      focusField: true,
    });
    expect(checkFriendName('9bob', 'alice')).toEqual({
      ok: false,
      error: 'A username must start with a letter.',
      focusField: true,
    });
  });

  it('my own name, however typed, is refused (focus stays where it is)', () => {
    const self = { ok: false, error: 'That’s you. Add someone else by their username.', focusField: false };
    expect(checkFriendName('alice', 'alice')).toEqual(self);
    expect(checkFriendName('  Alice ', 'alice')).toEqual(self);
  });

  it('anyone else: their canonical name', () => {
    expect(checkFriendName('bob', 'alice')).toEqual({ ok: true, name: 'bob' });
    expect(checkFriendName('  Bob_2 ', 'alice')).toEqual({ ok: true, name: 'bob_2' });
  });
});

describe('checkFriendEntry', () => {
  const HEX = 'C6D37A2F326755264337D0AB9A25230BA6746659';

  it('a username is a username', () => {
    expect(checkFriendEntry(' Bob ', 'alice')).toEqual({ ok: true, kind: 'name', name: 'bob' });
    expect(checkFriendEntry('', 'alice')).toMatchObject({ ok: false, focusField: true });
  });

  it('a pasted contact link (or its fragment) is a link to check', () => {
    const link = { username: 'bob', fingerprint: HEX };
    expect(checkFriendEntry(`http://abc.onion/chat/#add=bob&fp=${HEX}`, 'alice')).toEqual({
      ok: true,
      kind: 'link',
      link,
    });
    expect(checkFriendEntry(`add=Bob&fp=${HEX.toLowerCase()}`, 'alice')).toEqual({ ok: true, kind: 'link', link });
  });

  it('a damaged link says what is wrong (the field takes focus)', () => {
    expect(checkFriendEntry(`#add=bob&fp=${HEX.slice(1)}`, 'alice')).toEqual({
      ok: false,
      error:
        'This contact link has a damaged fingerprint (it must be 40 hexadecimal digits): ask bob to copy the whole link again.',
      focusField: true,
    });
  });

  it('my own link is refused', () => {
    expect(checkFriendEntry(`#add=alice&fp=${HEX}`, 'Alice')).toEqual({
      ok: false,
      error: 'That is your own contact link: give it to others so they can add you.',
      focusField: false,
    });
  });
});

describe('linkInFragment', () => {
  const HEX = 'C6D37A2F326755264337D0AB9A25230BA6746659';

  it('reads a contact link from the chat page’s fragment, and nothing else', () => {
    expect(linkInFragment(`#add=bob&fp=${HEX}`, 'alice')).toEqual({
      ok: true,
      kind: 'link',
      link: { username: 'bob', fingerprint: HEX },
    });
    expect(linkInFragment('#room=0123abcd-0123-4567-89ab-0123456789ab', 'alice')).toBeNull();
    expect(linkInFragment('', 'alice')).toBeNull();
    expect(linkInFragment('#add=bob', 'alice')).toMatchObject({ ok: false });
  });
});

describe('linkOutcomeNote', () => {
  it('says the contact is verified, and what else happened', () => {
    expect(linkOutcomeNote({ kind: 'requested', username: 'bob' })).toBe(
      'bob’s keys match the link: they are verified. Friend request sent.',
    );
    expect(linkOutcomeNote({ kind: 'accepted', username: 'bob', roomId: 'r' })).toMatch(/request is accepted/);
    expect(linkOutcomeNote({ kind: 'verified', username: 'bob' })).toBe(
      'bob’s keys match the link: they are verified.',
    );
  });
});

describe('linkConfirmation', () => {
  it('names the person and shows the fingerprint as people compare it', () => {
    const asked = linkConfirmation({ username: 'bob', fingerprint: 'C6D37A2F326755264337D0AB9A25230BA6746659' });
    expect(asked.title).toBe('Add bob from their contact link?');
    expect(asked.body).toContain('(C6D3 7A2F 3267 5526 4337 D0AB 9A25 230B A674 6659)');
    expect(asked.confirmLabel).toBe('Add bob');
  });
});

describe('what a friend request’s keys say', () => {
  it('warns loudly for a verified contact’s name under other keys, and says a bad record cannot be accepted', () => {
    expect(requestKeyWarning('changed-verified', 'bob')).toMatchObject({
      loud: true,
      text: expect.stringContaining('bob’s verified safety number changed'),
    });
    expect(requestKeyWarning('changed', 'bob')).toMatchObject({
      loud: false,
      text: expect.stringContaining('other keys than the bob you know'),
    });
    expect(requestKeyWarning('invalid', 'bob')?.text).toBe(
      'bob’s keys do not check out, so this request cannot be accepted.',
    );
    for (const state of ['new', 'unverified', 'verified', undefined] as const)
      expect(requestKeyWarning(state, 'bob')).toBeNull();
  });
});

describe('acceptedSince: who accepted my requests between two loads', () => {
  const user = (id: string, username: string) => ({ id, username }) as FriendsList['friends'][number]['user'];
  const bob = user('u-bob', 'bob');
  const carol = user('u-carol', 'carol');
  const dave = user('u-dave', 'dave');
  const at = '2026-01-01T00:00:00.000Z';
  const request = (to: typeof bob) => ({ id: `r-${to.id}`, user: to, createdAt: at });
  const friend = (who: typeof bob) => ({ user: who, roomId: `room-${who.id}`, since: at });
  const lists = (friends: (typeof bob)[], outgoing: (typeof bob)[]): FriendsList => ({
    friends: friends.map(friend),
    incoming: [],
    outgoing: outgoing.map(request),
    blocked: [],
  });

  it('a request that turned into a friendship is an acceptance', () => {
    const before = lists([dave], [bob, carol]);
    const after = lists([dave, bob], [carol]);
    expect(acceptedSince(before, after)).toEqual([friend(bob)]);
  });

  it('a cancelled or declined request, an old friend, or a first load is not', () => {
    expect(acceptedSince(lists([], [bob]), lists([], []))).toEqual([]);
    expect(acceptedSince(lists([dave], []), lists([dave], []))).toEqual([]);
    expect(acceptedSince(null, lists([bob], []))).toEqual([]);
    expect(acceptedSince(lists([], [bob]), null)).toEqual([]);
    // Someone who asked me and whom I accepted was never my outgoing request.
    expect(acceptedSince(lists([], []), lists([carol], []))).toEqual([]);
  });

  it('says who accepted', () => {
    expect(acceptedNote('bob')).toBe('bob accepted your friend request. You can now talk, end-to-end encrypted.');
  });
});
