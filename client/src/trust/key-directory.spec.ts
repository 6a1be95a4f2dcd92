// Contacts' keys: first sight pins, the same key passes, a changed key is refused
// until the person accepts it, and a record that does not check out is never used.

import type { PublicUser } from '@onionchat/contract';
import {
  createIdentity,
  encodePublicKeys,
  encodePublicKeysV1,
  equalBytes,
  fromBase64,
  newUuid,
  toBase64,
  type Identity,
} from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { KeyDirectory } from './key-directory.js';
import { ContactPins } from './pins.js';
import { UntrustedKeyError, VerifyError } from './verify-error.js';

function person(username: string, id = newUuid()): { user: PublicUser; identity: Identity } {
  const identity = createIdentity(username);
  return { user: { id, username, publicKeys: toBase64(encodePublicKeys(identity, id)) }, identity };
}

/** The same account, presenting a new identity key. */
function rekeyed(user: PublicUser): { user: PublicUser; identity: Identity } {
  return person(user.username, user.id);
}

function setup() {
  const me = person('alice');
  const pins = new ContactPins(null);
  return { me, pins, directory: new KeyDirectory(me.user.id, me.identity, pins) };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.fail('expected a refusal');
}

describe('KeyDirectory', () => {
  it('checks records ahead of use natively, and judges them exactly as a check at first use would', async () => {
    const { directory } = setup();
    const bob = person('bob');
    const forged = person('carol');
    const bytes = fromBase64(forged.user.publicKeys);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    const carol = { ...forged.user, publicKeys: toBase64(bytes) };
    await directory.prepare([bob.user, carol]);
    expect(equalBytes(directory.learn(bob.user).signPublicKey, bob.identity.signPublicKey)).toBe(true);
    const prepared = thrown(() => directory.learn(carol));

    const unprepared = setup().directory;
    expect(thrown(() => unprepared.learn(carol))).toEqual(prepared);
    expect((prepared as VerifyError).message).toBe("carol's public keys are not validly signed");
  });

  it('prepares a record that is not even base64 without throwing, and refuses it at use', async () => {
    const { directory } = setup();
    const mangled = { ...person('dave').user, publicKeys: '%%% not base64 %%%' };
    await expect(directory.prepare([mangled])).resolves.toBeUndefined();
    expect(thrown(() => directory.learn(mangled))).toBeInstanceOf(VerifyError);
  });

  it('checks a record again when the server presents another one for the same account', async () => {
    const { directory } = setup();
    const bob = person('bob');
    await directory.prepare([bob.user]);
    directory.learn(bob.user);
    const changed = rekeyed(bob.user);
    await directory.prepare([changed.user]);
    expect(thrown(() => directory.learn(changed.user))).toBeInstanceOf(UntrustedKeyError);
  });

  it('pins a contact’s key on first sight and trusts it, unverified', () => {
    const { directory, pins } = setup();
    const bob = person('bob');
    const keys = directory.learn(bob.user);
    expect(equalBytes(keys.signPublicKey, bob.identity.signPublicKey)).toBe(true);
    expect(equalBytes(keys.boxPublicKey, bob.identity.boxPublicKey)).toBe(true);
    expect(pins.get(bob.user.id)).toMatchObject({ userId: bob.user.id, username: 'bob', verified: false });
    expect(directory.trusts(bob.user.id)).toBe(true);
    expect(directory.trust(bob.user.id)).toMatchObject({ state: 'unverified', username: 'bob' });
  });

  it('keeps the record version and the ML-KEM key, for hybrid room keys', () => {
    const { directory, me } = setup();
    const bob = person('bob');
    expect(directory.learn(bob.user)).toMatchObject({ version: 2, kemPublicKey: bob.identity.kem!.publicKey });
    expect(directory.trust(bob.user.id)?.presented?.kemPublicKey).toEqual(bob.identity.kem!.publicKey);
    expect(directory.mine()).toMatchObject({ version: 2, kemPublicKey: me.identity.kem!.publicKey });

    // A contact who has not upgraded yet: a v1 record, no ML-KEM key, still usable.
    const carol = person('carol');
    const old = { ...carol.user, publicKeys: toBase64(encodePublicKeysV1(carol.identity)) };
    expect(directory.learn(old)).toMatchObject({ version: 1, kemPublicKey: null });
    expect(directory.trust(carol.user.id)?.state).toBe('unverified');
  });

  it('refuses a v2 record served under another id than the one it names', () => {
    const { directory, pins } = setup();
    const bob = person('bob');
    // Bob's genuine record, handed out for a new account that took (or claims) the name.
    const impostor = { ...bob.user, id: newUuid() };
    expect(thrown(() => directory.learn(impostor))).toBeInstanceOf(VerifyError);
    expect(thrown(() => directory.learn(impostor))).not.toBeInstanceOf(UntrustedKeyError);
    expect(directory.trust(impostor.id)).toMatchObject({ state: 'invalid', presented: null });
    expect(String((thrown(() => directory.learn(impostor)) as Error).message)).toContain('another account');
    expect(pins.get(impostor.id)).toBeNull();
    // Bob under his own id is unaffected.
    expect(directory.learn(bob.user).signPublicKey).toEqual(bob.identity.signPublicKey);
  });

  it('knows nothing of a contact it has not seen', () => {
    const { directory } = setup();
    expect(directory.trust(newUuid())).toBeNull();
    expect(directory.trusts(newUuid())).toBe(false);
  });

  it('accepts the pinned key again, also in another session sharing the pins', () => {
    const { directory, pins, me } = setup();
    const bob = person('bob');
    directory.learn(bob.user);
    expect(directory.learn({ ...bob.user }).signPublicKey).toEqual(bob.identity.signPublicKey);
    const later = new KeyDirectory(me.user.id, me.identity, pins);
    expect(later.learn(bob.user).signPublicKey).toEqual(bob.identity.signPublicKey);
    expect(later.trust(bob.user.id)?.state).toBe('unverified');
  });

  it('refuses a changed key (UntrustedKeyError) until the person accepts it', () => {
    const { directory, pins } = setup();
    const bob = person('bob');
    directory.learn(bob.user);
    const { user: changed, identity: newIdentity } = rekeyed(bob.user);

    const error = thrown(() => directory.learn(changed));
    expect(error).toBeInstanceOf(UntrustedKeyError);
    expect(error).toMatchObject({ userId: bob.user.id, message: "bob's safety number changed" });
    expect(directory.trusts(bob.user.id)).toBe(false);
    const trust = directory.trust(bob.user.id)!;
    expect(trust.state).toBe('changed');
    expect(trust.presented!.signPublicKey).toEqual(newIdentity.signPublicKey);
    expect(trust.presented!.boxPublicKey).toEqual(newIdentity.boxPublicKey);
    // The pin still holds the old key.
    expect(pins.get(bob.user.id)!.signPublicKey).toEqual(bob.identity.signPublicKey);

    directory.accept(bob.user.id, false);
    expect(directory.learn(changed).signPublicKey).toEqual(trust.presented!.signPublicKey);
    expect(pins.get(bob.user.id)!.signPublicKey).toEqual(trust.presented!.signPublicKey);
    expect(directory.trust(bob.user.id)?.state).toBe('unverified');
    // And the old key is now the changed one.
    expect(thrown(() => directory.learn(bob.user))).toBeInstanceOf(UntrustedKeyError);
  });

  it('treats the same key under another username as a change', () => {
    const { directory } = setup();
    const bob = person('bob');
    directory.learn(bob.user);
    const renamed = {
      ...bob.user,
      username: 'robert',
      publicKeys: toBase64(encodePublicKeys({ ...bob.identity, username: 'robert' }, bob.user.id)),
    };
    expect(thrown(() => directory.learn(renamed))).toBeInstanceOf(UntrustedKeyError);
  });

  it('marks a contact verified, and says so when a verified key changes', () => {
    const { directory, pins } = setup();
    const bob = person('bob');
    directory.learn(bob.user);
    directory.accept(bob.user.id, true);
    expect(pins.get(bob.user.id)?.verified).toBe(true);
    expect(directory.trust(bob.user.id)?.state).toBe('verified');

    const error = thrown(() => directory.learn(rekeyed(bob.user).user));
    expect(error).toBeInstanceOf(UntrustedKeyError);
    expect((error as Error).message).toBe("bob's verified safety number changed");
    expect(directory.trust(bob.user.id)?.state).toBe('changed-verified');
  });

  it('treats a verified contact’s name under a new id as a change: changed-verified, refused until accepted', () => {
    const { directory, pins } = setup();
    const bob = person('bob');
    directory.learn(bob.user);
    directory.accept(bob.user.id, true);
    // The server presents "bob" under an id of its own, with keys of its own.
    const moved = person('bob');

    const error = thrown(() => directory.learn(moved.user));
    expect(error).toBeInstanceOf(UntrustedKeyError);
    expect(error).toMatchObject({ userId: moved.user.id, message: "bob's verified safety number changed" });
    expect(directory.trusts(moved.user.id)).toBe(false);
    const trust = directory.trust(moved.user.id)!;
    expect(trust.state).toBe('changed-verified');
    expect(trust.presented!.signPublicKey).toEqual(moved.identity.signPublicKey);
    // Nothing pinned for the new id; asking again refuses again.
    expect(pins.get(moved.user.id)).toBeNull();
    expect(thrown(() => directory.learn(moved.user))).toBeInstanceOf(UntrustedKeyError);
    // The known id still checks out.
    expect(directory.trust(bob.user.id)?.state).toBe('verified');

    directory.accept(moved.user.id, false);
    expect(directory.learn(moved.user).signPublicKey).toEqual(moved.identity.signPublicKey);
    expect(directory.trust(moved.user.id)?.state).toBe('unverified');
    expect(pins.get(moved.user.id)).toMatchObject({ username: 'bob', verified: false });
    // The old id's pin is gone, and the old id under that name is a change now.
    expect(pins.get(bob.user.id)).toBeNull();
    expect(directory.trusts(bob.user.id)).toBe(false);
    expect(directory.trust(bob.user.id)?.state).toBe('changed');
    expect(thrown(() => directory.learn(bob.user))).toBeInstanceOf(UntrustedKeyError);
  });

  it('judges a friend request’s keys without pinning anything: a known name under a new id is a change', () => {
    const { directory, pins } = setup();
    const bob = person('bob');
    directory.learn(bob.user);
    directory.accept(bob.user.id, true);
    const carol = person('carol');
    directory.learn(carol.user);

    expect(directory.judge(person('bob').user)).toBe('changed-verified');
    expect(directory.judge(person('carol').user)).toBe('changed');
    expect(directory.judge(bob.user)).toBe('verified');
    expect(directory.judge(carol.user)).toBe('unverified');
    const dave = person('dave');
    expect(directory.judge(dave.user)).toBe('new');
    expect(directory.judge({ ...dave.user, publicKeys: person('dave').user.publicKeys })).toBe('invalid');
    // Judging is not learning: a stranger's request leaves no pin and nothing remembered.
    expect(pins.get(dave.user.id)).toBeNull();
    expect(directory.trust(dave.user.id)).toBeNull();
    // The record is checked once, but the verdict follows the pins as they change.
    directory.learn(dave.user);
    expect(directory.judge(dave.user)).toBe('unverified');
  });

  it('treats an unverified contact’s name under a new id as a change, even with the pinned key', () => {
    const { directory, pins } = setup();
    const bob = person('bob');
    // A v1 record does not name its account (a v2 one under another id is refused outright, above).
    const v1 = { ...bob.user, publicKeys: toBase64(encodePublicKeysV1(bob.identity)) };
    directory.learn(v1);
    const moved = { ...v1, id: newUuid() };

    const error = thrown(() => directory.learn(moved));
    expect(error).toMatchObject({ userId: moved.id, message: "bob's safety number changed" });
    expect(directory.trust(moved.id)?.state).toBe('changed');
    expect(pins.get(moved.id)).toBeNull();
    // The name compares in canonical form.
    const shouted = person('BOB ');
    expect(thrown(() => directory.learn(shouted.user))).toBeInstanceOf(UntrustedKeyError);
    expect(directory.trust(shouted.user.id)?.state).toBe('changed');
    // Another name is another contact.
    expect(directory.learn(person('bobby').user)).toBeTruthy();
  });

  it('treats a known id under a new name as a change: changed-verified for a verified contact', () => {
    const { directory, pins } = setup();
    const bob = person('bob');
    directory.learn(bob.user);
    directory.accept(bob.user.id, true);
    const renamed = person('robert', bob.user.id);

    const error = thrown(() => directory.learn(renamed.user));
    expect(error).toMatchObject({ userId: bob.user.id, message: "robert's verified safety number changed" });
    expect(directory.trust(bob.user.id)).toMatchObject({ state: 'changed-verified', username: 'robert' });
    directory.accept(bob.user.id, false);
    expect(pins.get(bob.user.id)).toMatchObject({ username: 'robert', verified: false });
    expect(directory.trust(bob.user.id)?.state).toBe('unverified');
  });

  it('refuses a record whose self-signature does not verify, and never pins it', () => {
    const { directory, pins } = setup();
    const bob = person('bob');
    const bytes = fromBase64(bob.user.publicKeys);
    bytes[bytes.length - 1]! ^= 0x01;
    const forged = { ...bob.user, publicKeys: toBase64(bytes) };

    const error = thrown(() => directory.learn(forged));
    expect(error).toBeInstanceOf(VerifyError);
    expect(error).not.toBeInstanceOf(UntrustedKeyError);
    expect((error as Error).message).toBe("bob's public keys are not validly signed");
    expect(pins.get(bob.user.id)).toBeNull();
    expect(directory.trust(bob.user.id)).toEqual({ state: 'invalid', username: 'bob', presented: null });
    expect(() => directory.accept(bob.user.id, true)).toThrow(VerifyError);
  });

  it('refuses a record signed for another username (the server passing Alice’s keys off as Bob’s)', () => {
    const { directory } = setup();
    const carol = person('carol');
    const error = thrown(() => directory.learn({ ...carol.user, username: 'bob' }));
    expect((error as Error).message).toBe("bob's public keys are not validly signed");
  });

  it('refuses a malformed record', () => {
    const { directory } = setup();
    const error = thrown(() => directory.learn({ id: newUuid(), username: 'bob', publicKeys: 'AAAA' }));
    expect((error as Error).message).toBe("bob's public keys are malformed");
  });

  it('checks a record again when the server presents another one, and trusts a fixed one', () => {
    const { directory } = setup();
    const bob = person('bob');
    expect(() => directory.learn({ ...bob.user, publicKeys: 'AAAA' })).toThrow(VerifyError);
    expect(directory.learn(bob.user).signPublicKey).toEqual(bob.identity.signPublicKey);
  });

  it('never pins a group member’s keys that are not the ones the chain holds, and pins the right ones later', () => {
    const { directory, pins } = setup();
    const carol = person('carol');
    const swapped = rekeyed(carol.user);
    const chainKey = carol.identity.signPublicKey;
    // The server presents other keys than the admin vouched for: returned for the caller to refuse, not pinned.
    const presented = directory.learn(swapped.user, chainKey);
    expect(equalBytes(presented.signPublicKey, swapped.identity.signPublicKey)).toBe(true);
    expect(pins.pinFor(carol.user.id, 'carol')).toBeNull();
    expect(directory.trusts(carol.user.id)).toBe(false);
    expect(directory.trust(carol.user.id)?.presented?.signPublicKey).toEqual(swapped.identity.signPublicKey);
    // Nor can a click settle it.
    expect(thrown(() => directory.accept(carol.user.id, false))).toBeInstanceOf(VerifyError);
    expect(pins.pinFor(carol.user.id, 'carol')).toBeNull();
    // The real keys arrive: pinned as on any first sight, and trusted.
    expect(equalBytes(directory.learn(carol.user, chainKey).signPublicKey, chainKey)).toBe(true);
    expect(pins.pinFor(carol.user.id, 'carol')?.signPublicKey).toEqual(chainKey);
    expect(directory.trust(carol.user.id)?.state).toBe('unverified');
  });

  it('leaves an existing pin in charge when the chain disagrees with it', () => {
    const { directory } = setup();
    const carol = person('carol');
    directory.learn(carol.user);
    const other = person('mallory');
    // Pinned before: the pin decides (the caller still compares with the chain's key).
    expect(
      equalBytes(directory.learn(carol.user, other.identity.signPublicKey).signPublicKey, carol.identity.signPublicKey),
    ).toBe(true);
    expect(directory.trusts(carol.user.id)).toBe(true);
  });

  it('takes this account’s own keys from the identity, never from the server', () => {
    const { directory, me, pins } = setup();
    const impostor = { ...person('alice').user, id: me.user.id };
    expect(directory.learn(impostor).signPublicKey).toEqual(me.identity.signPublicKey);
    expect(directory.mine().boxPublicKey).toEqual(me.identity.boxPublicKey);
    expect(pins.get(me.user.id)).toBeNull();
  });
});
