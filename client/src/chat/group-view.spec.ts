// What a group shows of its members and name: the verified members only, each labelled
// by how far their keys are trusted, and a title made of their names while the group's
// own name cannot be opened.

import type { GroupMember, GroupState } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import type { GroupChainView } from '../groups/group-chains.js';
import type { PeerTrust, TrustState } from '../trust/key-directory.js';
import { groupView, type GroupViewParts } from './group-view.js';

const key = (n: number) => new Uint8Array(32).fill(n);

function member(userId: string, role: 'admin' | 'member', n: number, addedBy = 'me'): GroupMember {
  return { userId, role, signPublicKey: key(n), addedBy, addedAt: 0 };
}

function chain(members: GroupMember[], extra: Partial<GroupChainView> = {}): GroupChainView {
  const state = { members: new Map(members.map((m) => [m.userId, m])) } as unknown as GroupState;
  return { roomId: 'r', state, warning: null, changes: [], gone: false, ...extra };
}

function trusted(state: TrustState, n: number): PeerTrust {
  return {
    state,
    username: 'x',
    presented: { version: 2, signPublicKey: key(n), boxPublicKey: key(0), kemPublicKey: null },
  };
}

const names: Record<string, string> = { me: 'me', a: 'alice', b: 'bob', c: 'carol', d: 'dave', e: 'erin' };

function parts(trust: Record<string, PeerTrust>, contacts: string[] = []): GroupViewParts {
  return {
    meId: 'me',
    nameOf: (id) => names[id] ?? 'someone',
    trust: (id) => trust[id] ?? null,
    isContact: (id) => contacts.includes(id),
  };
}

describe('groupView', () => {
  it('labels each verified member, admins first', () => {
    const members = [
      member('me', 'member', 1, 'a'),
      member('a', 'admin', 2, 'a'),
      member('b', 'member', 3, 'a'),
      member('c', 'member', 4, 'a'),
      member('d', 'member', 5, 'a'),
      member('e', 'member', 6, 'a'),
    ];
    const trust = {
      a: trusted('verified', 2),
      b: trusted('unverified', 3),
      c: trusted('unverified', 4),
      d: trusted('unverified', 9),
      e: trusted('changed', 6),
    };
    const view = groupView(chain(members), null, parts(trust, ['b']));
    expect(view.members.map((m) => [m.name, m.role, m.check, m.label])).toEqual([
      ['alice', 'admin', 'verified', 'verified'],
      ['bob', 'member', 'contact', 'contact'],
      ['carol', 'member', 'added-by', 'added by alice'],
      ['dave', 'member', 'mismatch', 'keys do not match the group’s'],
      ['erin', 'member', 'changed', 'safety number changed'],
      ['You', 'member', 'you', 'you'],
    ]);
    expect(view).toMatchObject({ admins: ['a'], myRole: 'member', verified: true, name: null });
  });

  it('is titled by the name it opened, else by its members', () => {
    const members = [member('me', 'admin', 1), member('b', 'member', 2), member('c', 'member', 3)];
    expect(groupView(chain(members), { kind: 'open', info: { name: 'Hikers' } }, parts({})).title).toBe('Hikers');
    const warning = { kind: 'warning', warning: 'The group’s name could not be loaded yet.', retry: true } as const;
    const unnamed = groupView(chain(members), warning, parts({}));
    expect(unnamed).toMatchObject({ title: 'Group with bob and carol', name: null, nameWarning: warning.warning });
    const many = ['a', 'b', 'c', 'd', 'e'].map((id, i) => member(id, 'member', i + 2));
    expect(groupView(chain([member('me', 'admin', 1), ...many]), null, parts({})).title).toBe(
      'Group with alice, bob, carol and 2 others',
    );
    expect(groupView(chain([], { state: null }), null, parts({}))).toMatchObject({
      title: 'Group',
      verified: false,
      myRole: null,
    });
  });
});
