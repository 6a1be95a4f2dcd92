import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { DIRECT_ROOM_KIND, entitledWrapper } from './entitled-wrapper.js';
import { ProtocolError } from './errors.js';
import { newUuid } from './uuid.js';

interface Member {
  id: string;
  username: string;
}
const member = (username: string): Member => ({ id: newUuid(), username });
const room = (kind: string, ...members: Member[]) => ({ id: newUuid(), kind, members });

describe('entitledWrapper', () => {
  const me = member('alice');
  const friend = member('bob');
  const outsider = member('mallory');

  it("names this account's own keys when it wrapped the key itself, even though its member record is listed", () => {
    expect(entitledWrapper(room(DIRECT_ROOM_KIND, me, friend), me.id, me.id)).toEqual({ kind: 'me' });
  });

  it("hands back the wrapper's member record itself, so the caller checks that record's keys", () => {
    const direct = room(DIRECT_ROOM_KIND, me, friend);
    const verdict = entitledWrapper(direct, me.id, friend.id);
    expect(verdict.kind).toBe('member');
    if (verdict.kind === 'member') expect(verdict.member).toBe(direct.members[1]);
  });

  it('lets any member of a room that is not direct wrap, whatever its size', () => {
    const others = Array.from({ length: 5 }, (_, i) => member(`user_${i}`));
    const group = room('group', me, ...others);
    for (const other of others) expect(entitledWrapper(group, me.id, other.id)).toMatchObject({ kind: 'member' });
  });

  it('must reject, each with its own code: not a member, a direct room without two members, an outsider', () => {
    expect(code(() => entitledWrapper(room(DIRECT_ROOM_KIND, friend, outsider), me.id, friend.id))).toBe(
      'not-a-member',
    );
    expect(code(() => entitledWrapper(room(DIRECT_ROOM_KIND, me), me.id, me.id))).toBe('bad-room');
    expect(code(() => entitledWrapper(room(DIRECT_ROOM_KIND, me, friend, outsider), me.id, friend.id))).toBe(
      'bad-room',
    );
    expect(code(() => entitledWrapper(room(DIRECT_ROOM_KIND, me, friend), me.id, outsider.id))).toBe('not-entitled');
    expect(code(() => entitledWrapper(room('group', me, friend), me.id, outsider.id))).toBe('not-entitled');
  });

  it('explains a refusal in a sentence that names the room', () => {
    const direct = room(DIRECT_ROOM_KIND, me, friend);
    const refuse = () => entitledWrapper(direct, me.id, outsider.id);
    expect(refuse).toThrow(ProtocolError);
    expect(refuse).toThrow(direct.id);
  });
});
