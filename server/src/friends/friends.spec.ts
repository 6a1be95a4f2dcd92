import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { newRoomKey, newUuid, toBase64, wrapRoomKey } from '@onionchat/protocol';
import { accept, befriend, collect, connectSocket, newUser, until, type User } from '../../test-support/social.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_FRIEND_REQUESTS_PER_HOUR: '5' });
});
afterAll(() => t.close());

const user = (name: string) => newUser(t, name);

type Overview = {
  friends: { user: { username: string; id: string }; roomId: string }[];
  incoming: { id: string; user: { username: string } }[];
  outgoing: { id: string; user: { username: string } }[];
  blocked: { user: { username: string } }[];
};
const overview = (u: User) => u.client.get<Overview>('/api/friends').then((r) => r.body);

describe('friend requests', () => {
  it('request → the other side sees it live → accept makes a shared room with wrapped keys for both', async () => {
    const [ann, ben] = [await user('ann'), await user('ben')];
    const socket = await connectSocket(t.baseUrl, ben.client);
    const events = collect(socket, 'friends:changed');
    const sent = await ann.client.post<{ request: { id: string } }>('/api/friends/requests', { username: 'BEN' });
    expect(sent.status).toBe(201);
    await until(() => events.length === 1);
    expect((await overview(ben)).incoming.map((r) => r.user.username)).toEqual(['ann']);
    expect((await overview(ann)).outgoing.map((r) => r.user.username)).toEqual(['ben']);
    const { roomId } = await accept(ben, ann, sent.body.request.id);
    const annView = await overview(ann);
    expect(annView.friends).toEqual([
      expect.objectContaining({ roomId, user: expect.objectContaining({ username: 'ben' }) }),
    ]);
    expect(annView.outgoing).toEqual([]);
    const keys = await ann.client.get<{ keys: { epoch: number; wrapperId: string }[] }>(`/api/rooms/${roomId}/keys`);
    expect(keys.body.keys).toEqual([expect.objectContaining({ epoch: 1, wrapperId: ben.account.id })]);
    socket.close();
  });

  it('refuses requests to yourself, unknown users, friends, twice, and when the other already asked', async () => {
    const [cat, dan] = [await user('cat'), await user('dan')];
    expect((await cat.client.post('/api/friends/requests', { username: 'cat' })).status).toBe(400);
    const unknown = await cat.client.post('/api/friends/requests', { username: 'nobody_at_all' });
    expect(unknown.status).toBe(404);
    expect(unknown.body['message']).toBe('No user called "nobody_at_all".');
    expect((await cat.client.post('/api/friends/requests', { username: 'dan' })).status).toBe(201);
    expect((await cat.client.post('/api/friends/requests', { username: 'dan' })).body['code']).toBe(
      'already_requested',
    );
    expect((await dan.client.post('/api/friends/requests', { username: 'cat' })).body['code']).toBe('they_asked_first');
    const request = (await overview(dan)).incoming[0]!;
    await accept(dan, cat, request.id);
    expect((await cat.client.post('/api/friends/requests', { username: 'dan' })).body['code']).toBe('already_friends');
  });

  it('only the recipient accepts; wrapped keys must be filed correctly', async () => {
    const [eve, fay] = [await user('eve'), await user('fay')];
    const sent = await eve.client.post<{ request: { id: string } }>('/api/friends/requests', { username: 'fay' });
    await expect(accept(eve, fay, sent.body.request.id)).rejects.toThrow(/404/);
    const bad = await fay.client.post(`/api/friends/requests/${sent.body.request.id}/accept`, {
      roomId: '00000000-0000-4000-8000-000000000000',
      wrappedKeys: [{ memberId: eve.account.id, record: 'AAAA' }],
    });
    expect(bad.status).toBe(400);
    // Records filed under another room id, or wrapped by someone else, are refused.
    const key = newRoomKey();
    const record = (roomId: string, memberId: string, wrapper: User) =>
      toBase64(
        wrapRoomKey(
          key,
          { roomId, epoch: 1, memberId, wrapperId: wrapper.account.id },
          wrapper.account.identity,
          fay.account.identity.boxPublicKey,
        ),
      );
    const roomId = newUuid();
    const misfiled = await fay.client.post(`/api/friends/requests/${sent.body.request.id}/accept`, {
      roomId,
      wrappedKeys: [
        { memberId: eve.account.id, record: record(newUuid(), eve.account.id, fay) },
        { memberId: fay.account.id, record: record(roomId, fay.account.id, fay) },
      ],
    });
    expect(misfiled.body).toMatchObject({ statusCode: 400, code: 'invalid_record' });
    const wrongWrapper = await fay.client.post(`/api/friends/requests/${sent.body.request.id}/accept`, {
      roomId,
      wrappedKeys: [
        { memberId: eve.account.id, record: record(roomId, eve.account.id, eve) },
        { memberId: fay.account.id, record: record(roomId, fay.account.id, eve) },
      ],
    });
    expect(wrongWrapper.body).toMatchObject({ statusCode: 400, code: 'invalid_record' });
    expect((await overview(fay)).incoming).toHaveLength(1);
    await accept(fay, eve, sent.body.request.id);
    expect((await overview(fay)).friends.map((f) => f.user.username)).toEqual(['eve']);
  });

  it('decline, cancel and remove', async () => {
    const [hal, ida] = [await user('hal'), await user('ida')];
    const r1 = await hal.client.post<{ request: { id: string } }>('/api/friends/requests', { username: 'ida' });
    expect((await ida.client.delete(`/api/friends/requests/${r1.body.request.id}`)).status).toBe(204);
    expect((await overview(hal)).outgoing).toEqual([]);
    const r2 = await hal.client.post<{ request: { id: string } }>('/api/friends/requests', { username: 'ida' });
    expect((await hal.client.delete(`/api/friends/requests/${r2.body.request.id}`)).status).toBe(204);
    expect((await overview(ida)).incoming).toEqual([]);
    const { roomId } = await befriend(hal, ida);
    expect((await hal.client.delete(`/api/friends/${ida.account.id}`)).status).toBe(204);
    expect((await overview(ida)).friends).toEqual([]);
    expect((await ida.client.get(`/api/rooms/${roomId}/messages`)).status).toBe(404);
  });

  it('blocking ends the friendship; requests from the blocked user vanish silently', async () => {
    const [jon, kim] = [await user('jon'), await user('kim')];
    await befriend(jon, kim);
    expect((await kim.client.post('/api/blocks', { username: 'jon' })).status).toBe(201);
    expect((await overview(jon)).friends).toEqual([]);
    expect((await overview(kim)).blocked.map((b) => b.user.username)).toEqual(['jon']);
    const socket = await connectSocket(t.baseUrl, kim.client);
    const events = collect(socket, 'friends:changed');
    const silent = await jon.client.post<{ request: { id: string } }>('/api/friends/requests', { username: 'kim' });
    expect(silent.status).toBe(201);
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toEqual([]);
    expect((await overview(kim)).incoming).toEqual([]);
    await expect(accept(kim, jon, silent.body.request.id)).rejects.toThrow(/accept failed: 404/);
    expect((await kim.client.post('/api/friends/requests', { username: 'jon' })).body['code']).toBe('you_blocked');
    expect((await kim.client.delete(`/api/blocks/${jon.account.id}`)).status).toBe(204);
    expect((await overview(kim)).incoming.map((r) => r.user.username)).toEqual(['jon']);
    socket.close();
  });

  it('limits friend requests per user', async () => {
    const spammer = await user('spammer');
    const targets = await Promise.all(['t1', 't2', 't3', 't4', 't5', 't6'].map((n) => user(`target_${n}`)));
    const statuses = [];
    for (const target of targets)
      statuses.push((await spammer.client.post('/api/friends/requests', { username: target.account.username })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect((await overview(targets[5]!)).incoming).toEqual([]);
  });
});

describe('blocking by username', () => {
  const sharedLimit = expect.stringMatching(/^Too many friend requests and blocks\. Try again in \d+ s\.$/);

  it('answers 201 for a known name and 404 for an unknown one, the same as a friend request', async () => {
    const [lea, max] = [await user('lea'), await user('max')];
    expect((await lea.client.post('/api/blocks', { username: 'MAX' })).status).toBe(201);
    const unknown = await lea.client.post('/api/blocks', { username: 'no_such_person' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'not_found', message: 'No user called "no_such_person".' });
    expect((await lea.client.post('/api/blocks', { username: 'lea' })).status).toBe(400);
    expect((await overview(lea)).blocked.map((b) => b.user.username)).toEqual(['max']);
    expect(max.account.username).toBe('max');
  });

  it('spends the friend-request budget: once requests used it up, blocks answer 429 and block no one', async () => {
    const [ned, pia] = [await user('ned'), await user('pia')];
    for (let i = 0; i < 5; i++) {
      const sent = await ned.client.post('/api/friends/requests', { username: `ghost_${i}` });
      expect(sent.status).toBe(404);
    }
    for (const username of ['pia', 'ghost_9']) {
      const refused = await ned.client.post('/api/blocks', { username });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'rate_limited', message: sharedLimit });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect((await overview(ned)).blocked).toEqual([]);
    expect(pia.account.username).toBe('pia');
  });

  it('and the other way round: blocks, to known names or not, use up the budget for friend requests', async () => {
    const [oli, quinn, rex] = [await user('oli'), await user('quinn'), await user('rex')];
    const statuses = [];
    for (const username of ['quinn', 'phantom_1', 'phantom_2', 'quinn', 'phantom_3'])
      statuses.push((await oli.client.post('/api/blocks', { username })).status);
    expect(statuses).toEqual([201, 404, 404, 201, 404]);
    const refused = await oli.client.post('/api/friends/requests', { username: 'rex' });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'rate_limited', message: sharedLimit });
    expect((await overview(rex)).incoming).toEqual([]);
    expect(quinn.account.username).toBe('quinn');
  });

  it('alternating the two routes does not double the budget', async () => {
    const [sam, tia] = [await user('sam'), await user('tia')];
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const path = i % 2 === 0 ? '/api/friends/requests' : '/api/blocks';
      statuses.push((await sam.client.post(path, { username: `probe_${i}` })).status);
    }
    statuses.push((await sam.client.post('/api/blocks', { username: 'tia' })).status);
    statuses.push((await sam.client.post('/api/friends/requests', { username: 'probe_5' })).status);
    statuses.push((await sam.client.post('/api/blocks', { username: 'probe_6' })).status);
    expect(statuses).toEqual([404, 404, 404, 404, 201, 429, 429]);
    // Another user's budget is untouched.
    expect((await tia.client.post('/api/blocks', { username: 'sam' })).status).toBe(201);
  });
});
