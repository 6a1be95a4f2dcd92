import type { FriendRequest, FriendsList, PublicUser, User } from '@onionchat/contract';
import {
  createIdentity,
  encodePublicKeys,
  encodePublicKeysV1,
  fingerprint,
  newUuid,
  toBase64,
  type Identity,
} from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld } from '../test-support/chat-world.js';
import { FakeHttp } from '../test-support/fake-http.js';
import { Api } from '../transport/api.js';
import { parseContactLink, contactLink, type ContactLink } from '../trust/contact-link.js';
import { ContactPins, KeyDirectory } from '../trust/index.js';
import { LinkMismatchError, addFromLink } from './add-from-link.js';

const CREATED = '2024-01-01T00:00:00.000Z';

interface Someone {
  identity: Identity;
  user: PublicUser;
}

/** A user as the server lists them; `v1`: an account that has not published v2 keys yet. */
function someone(username: string, id = newUuid(), identity = createIdentity(username), v1 = false): Someone {
  const record = v1 ? encodePublicKeysV1(identity) : encodePublicKeys(identity, id);
  return { identity, user: { id, username, publicKeys: toBase64(record) } };
}

function linkTo(person: Someone): ContactLink {
  return parseContactLink(contactLink('http://abc.onion', person.user.username, fingerprint(person.identity)))!;
}

const requestFrom = (user: PublicUser): FriendRequest => ({ id: newUuid(), user, createdAt: CREATED });

/** Alice's side: a fake server, her key directory and pins, the lists as loaded. */
class Setup {
  readonly alice = someone('alice');
  readonly http = new FakeHttp();
  readonly pins = new ContactPins(null);
  readonly directory = new KeyDirectory(this.alice.user.id, this.alice.identity, this.pins);
  lists: FriendsList = { friends: [], incoming: [], outgoing: [], blocked: [] };
  /** What a refresh of the lists loads. */
  serverLists: FriendsList | null = null;
  readonly accept = vi.fn(async (_request: FriendRequest) => 'room-1');

  get me(): User {
    return { ...this.alice.user, createdAt: CREATED };
  }

  /** The server answers a friend request to anyone with `presented` as that user. */
  answerRequestsWith(presented: PublicUser): FriendRequest {
    const request = requestFrom(presented);
    this.http.on('POST', '/api/friends/requests', { status: 201, body: { request } });
    this.http.on('DELETE', `/api/friends/requests/${request.id}`, { status: 204 });
    return request;
  }

  add(link: ContactLink) {
    return addFromLink(
      {
        api: new Api(this.http),
        me: this.me,
        directory: this.directory,
        lists: () => this.lists,
        refreshLists: async () => {
          if (this.serverLists) this.lists = this.serverLists;
        },
        verify: (userId) => this.directory.accept(userId, true),
        accept: this.accept,
      },
      link,
    );
  }

  /** Every request that reached the server, as "METHOD path". */
  sent(): string[] {
    return this.http.calls.map((call) => `${call.method} ${call.path}`);
  }
}

describe('adding a contact from their link', () => {
  it('sends the request and pins the contact as verified when the server’s keys match the link', async () => {
    const setup = new Setup();
    const carol = someone('carol');
    setup.answerRequestsWith(carol.user);

    await expect(setup.add(linkTo(carol))).resolves.toEqual({ kind: 'requested', username: 'carol' });

    expect(setup.http.callsTo('POST', '/api/friends/requests').map((call) => call.body)).toEqual([
      { username: 'carol' },
    ]);
    expect(setup.pins.get(carol.user.id)).toMatchObject({ username: 'carol', verified: true });
    expect(setup.directory.trust(carol.user.id)?.state).toBe('verified');
  });

  it('refuses other keys: withdraws the request, pins nothing and says what happened', async () => {
    const setup = new Setup();
    const carol = someone('carol');
    // The server presents keys of its own under carol's name and id.
    const impostor = someone('carol', carol.user.id);
    const request = setup.answerRequestsWith(impostor.user);

    const adding = setup.add(linkTo(carol));
    await expect(adding).rejects.toBeInstanceOf(LinkMismatchError);
    await expect(adding).rejects.toThrow(
      /^The server's keys for carol do not match the link carol gave you\. The friend request was withdrawn; nothing else was sent\./,
    );

    expect(setup.sent()).toEqual(['POST /api/friends/requests', `DELETE /api/friends/requests/${request.id}`]);
    expect(setup.pins.get(carol.user.id)).toBeNull();
    expect(setup.directory.trust(carol.user.id)).toBeNull();
  });

  it('checks an account that still has v1 keys the same way (the fingerprint covers the identity keys only)', async () => {
    const setup = new Setup();
    const erin = createIdentity('erin');
    const old = someone('erin', newUuid(), erin, true);
    setup.answerRequestsWith(old.user);
    await expect(setup.add(linkTo(someone('erin', old.user.id, erin)))).resolves.toMatchObject({ kind: 'requested' });
    expect(setup.pins.get(old.user.id)?.verified).toBe(true);
  });

  it('refuses keys that are not validly signed for that name', async () => {
    const setup = new Setup();
    const carol = someone('carol');
    // Mallory's record (signed for "mallory") presented as carol's.
    const mallory = someone('mallory', carol.user.id);
    setup.answerRequestsWith({ ...carol.user, publicKeys: mallory.user.publicKeys });

    await expect(setup.add(linkTo(carol))).rejects.toThrow(
      "The server's keys for carol do not check out (they are not validly signed). The friend request was withdrawn; nothing else was sent.",
    );
    expect(setup.pins.get(carol.user.id)).toBeNull();
  });

  it('checks a friend’s keys without sending anything: verified when they match, refused when not', async () => {
    const setup = new Setup();
    const bob = someone('bob');
    setup.lists.friends = [{ user: bob.user, roomId: newUuid(), since: CREATED }];
    // Pinned on first sight earlier, not verified.
    setup.directory.learn(bob.user);
    expect(setup.directory.trust(bob.user.id)?.state).toBe('unverified');

    const wrong = someone('bob');
    await expect(setup.add(linkTo(wrong))).rejects.toThrow(
      /^The server's keys for bob do not match the link bob gave you\. Nothing was sent\./,
    );
    expect(setup.directory.trust(bob.user.id)?.state).toBe('unverified');

    await expect(setup.add(linkTo(bob))).resolves.toEqual({ kind: 'verified', username: 'bob' });
    expect(setup.directory.trust(bob.user.id)?.state).toBe('verified');
    expect(setup.sent()).toEqual([]);
  });

  it('accepts their waiting request once their keys match the link, and not otherwise', async () => {
    const setup = new Setup();
    const dave = someone('dave');
    const waiting = requestFrom(dave.user);
    setup.lists.incoming = [waiting];

    await expect(setup.add(linkTo(someone('dave')))).rejects.toBeInstanceOf(LinkMismatchError);
    expect(setup.accept).not.toHaveBeenCalled();

    await expect(setup.add(linkTo(dave))).resolves.toEqual({ kind: 'accepted', username: 'dave', roomId: 'room-1' });
    expect(setup.accept).toHaveBeenCalledWith(waiting);
    expect(setup.pins.get(dave.user.id)?.verified).toBe(true);
    expect(setup.sent()).toEqual([]);
  });

  it('finds a request the lists here did not show yet (the server says they asked first)', async () => {
    const setup = new Setup();
    const dave = someone('dave');
    setup.http.on('POST', '/api/friends/requests', {
      status: 409,
      body: { code: 'they_asked_first', message: 'dave already sent you a friend request: accept it instead.' },
    });
    const waiting = requestFrom(dave.user);
    setup.serverLists = { friends: [], incoming: [waiting], outgoing: [], blocked: [] };

    await expect(setup.add(linkTo(dave))).resolves.toMatchObject({ kind: 'accepted', username: 'dave' });
    expect(setup.accept).toHaveBeenCalledWith(waiting);
  });

  it('passes on other refusals of the server unchanged', async () => {
    const setup = new Setup();
    setup.http.on('POST', '/api/friends/requests', {
      status: 404,
      body: { code: 'not_found', message: 'There is no user called carol.' },
    });
    await expect(setup.add(linkTo(someone('carol')))).rejects.toThrow('There is no user called carol.');
  });

  it('refuses this account’s own link before asking the server anything', async () => {
    const setup = new Setup();
    await expect(setup.add(linkTo(setup.alice))).rejects.toThrow(/your own contact link/);
    expect(setup.sent()).toEqual([]);
  });

  it('keeps the verification: keys swapped after the request are a change of a verified contact', async () => {
    const setup = new Setup();
    const carol = someone('carol');
    setup.answerRequestsWith(carol.user);
    await setup.add(linkTo(carol));

    // Carol accepts later; the server now lists other keys for her in the conversation.
    const swapped = someone('carol', carol.user.id);
    expect(() => setup.directory.learn(swapped.user)).toThrow(/verified safety number changed/);
    expect(setup.directory.trust(carol.user.id)?.state).toBe('changed-verified');
  });

  it('verifies a contact pinned with other keys when the link names the keys presented now', async () => {
    const setup = new Setup();
    const old = someone('carol');
    setup.directory.learn(old.user);
    const carol = someone('carol', old.user.id);
    setup.lists.outgoing = [requestFrom(carol.user)];

    await expect(setup.add(linkTo(carol))).resolves.toEqual({ kind: 'verified', username: 'carol' });
    expect(setup.directory.trust(carol.user.id)?.state).toBe('verified');
    expect(setup.pins.get(carol.user.id)?.signPublicKey).toEqual(carol.identity.signPublicKey);
  });
});

describe('adding from a link through the chat session', () => {
  let world: ChatWorld | undefined;
  afterEach(() => world?.session?.stop());

  it('verifies a friend whose keys match, and the conversation shows it', async () => {
    world = new ChatWorld();
    world.live.connect();
    world.start();
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world!.view()?.trust?.state).toBe('unverified'));

    await expect(world.session.addFromLink(linkTo(world.bob))).resolves.toEqual({ kind: 'verified', username: 'bob' });
    await vi.waitFor(() => expect(world!.view()?.trust?.state).toBe('verified'));
    expect(world.http.callsTo('POST', '/api/friends/requests')).toHaveLength(0);
  });

  it('leaves a friend whose keys differ from the link as they were, and sends nothing', async () => {
    world = new ChatWorld();
    world.live.connect();
    world.start();
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world!.view()?.trust?.state).toBe('unverified'));

    await expect(world.session.addFromLink(linkTo(someone('bob')))).rejects.toBeInstanceOf(LinkMismatchError);
    expect(world.view()?.trust?.state).toBe('unverified');
    // No friend request, acceptance or withdrawal: the friends routes were only read.
    const friendWrites = world.http.calls.filter(
      (call) => call.path.startsWith('/api/friends') && call.method !== 'GET',
    );
    expect(friendWrites).toEqual([]);
  });
});
