// Groups made the way a client makes them, with the real protocol: signed records that
// follow the chain, a fresh room key per epoch wrapped (hybrid) for every member.
import {
  applyGroupRecord,
  GROUP_RECORD_MAX_ENTRIES,
  newRoomKey,
  newUuid,
  sealGroupInfo,
  sealMessage,
  signGroupRecord,
  toBase64,
  wrapRoomKeyHybrid,
  type GroupAction,
  type GroupEntry,
  type GroupRecordFields,
  type GroupState,
} from '@onionchat/protocol';
import type { TestAccount } from './accounts.js';
import type { TestApp, TestResponse } from './app.js';
import { befriend, newUser, type User } from './social.js';

const STARTS_EPOCH: GroupAction[] = ['create', 'add', 'remove', 'leave'];
const CARRIES_INFO: GroupAction[] = ['create', 'add', 'remove', 'rename'];
const NO_KEY = new Uint8Array(32);

/** An entry that puts `account` in with its own signing key. */
export const joining = (account: TestAccount, role: 'member' | 'admin' = 'member'): GroupEntry => ({
  userId: account.id,
  role,
  signPublicKey: account.identity.signPublicKey,
});

/** An entry of a remove (role none) or a role change, which carry no key. */
export const naming = (account: TestAccount, role: 'none' | 'member' | 'admin' = 'none'): GroupEntry => ({
  userId: account.id,
  role,
  signPublicKey: NO_KEY,
});

/** One group as its members' clients track it: the verified state and each epoch's room key. */
export class TestGroup {
  state: GroupState | null = null;
  readonly roomKeys = new Map<number, Uint8Array>();

  constructor(readonly roomId: string = newUuid()) {}

  get epoch(): number {
    return this.state?.epoch ?? 0;
  }

  /** The next record, signed by `signer`; `over` replaces any field (to make a bad one). */
  record(
    signer: TestAccount,
    action: GroupAction,
    entries: GroupEntry[] = [],
    over: Partial<GroupRecordFields> = {},
  ): Uint8Array {
    const epoch = over.epoch ?? this.epoch + (STARTS_EPOCH.includes(action) ? 1 : 0);
    if (!this.roomKeys.has(epoch)) this.roomKeys.set(epoch, newRoomKey());
    const info = CARRIES_INFO.includes(action)
      ? sealGroupInfo({ name: 'Test group' }, this.roomKeys.get(epoch)!)
      : new Uint8Array(0);
    const fields: GroupRecordFields = {
      roomId: this.roomId,
      index: this.state ? this.state.index + 1 : 0,
      previous: this.state ? this.state.head : new Uint8Array(32),
      signerId: signer.id,
      epoch,
      sentAt: Date.now(),
      action,
      entries,
      info,
      ...over,
    };
    return signGroupRecord(fields, signer.identity);
  }

  /** Takes a record the server filed into the tracked state. */
  accept(record: Uint8Array): void {
    this.state = applyGroupRecord(this.state, record, { roomId: this.roomId, maxMembers: GROUP_RECORD_MAX_ENTRIES });
  }

  /** The room key of `epoch`, wrapped by `wrapper` for each of `members` (hybrid, version 2). */
  wrap(epoch: number, wrapper: TestAccount, members: TestAccount[]) {
    if (!this.roomKeys.has(epoch)) this.roomKeys.set(epoch, newRoomKey());
    const roomKey = this.roomKeys.get(epoch)!;
    return members.map((member) => ({
      memberId: member.id,
      record: toBase64(
        wrapRoomKeyHybrid(
          roomKey,
          { roomId: this.roomId, epoch, memberId: member.id, wrapperId: wrapper.id },
          wrapper.identity,
          { boxPublicKey: member.identity.boxPublicKey, kemPublicKey: member.identity.kem!.publicKey },
        ),
      ),
    }));
  }

  /** A message body from `sender`, sealed under `epoch` (the current one by default). */
  message(sender: TestAccount, epoch = this.epoch) {
    const clientId = newUuid();
    const header = { roomId: this.roomId, epoch, senderId: sender.id, messageId: clientId, sentAt: Date.now() };
    const envelope = sealMessage(header, { type: 'text', text: 'hi all' }, this.roomKeys.get(epoch)!, sender.identity);
    return { clientId, envelope: toBase64(envelope) };
  }
}

/** `creator` makes a group of itself (admin) and `members`, with epoch 1's keys; the answer and the group. */
export async function createGroup(creator: User, members: User[]): Promise<{ group: TestGroup; res: TestResponse }> {
  const group = new TestGroup();
  const everyone = [creator.account, ...members.map((m) => m.account)];
  const record = group.record(creator.account, 'create', [
    joining(creator.account, 'admin'),
    ...members.map((m) => joining(m.account)),
  ]);
  const res = await creator.client.post('/api/groups', {
    record: toBase64(record),
    keys: group.wrap(1, creator.account, everyone),
  });
  if (res.status === 201) group.accept(record);
  return { group, res };
}

/** As createGroup, failing the test unless the server took it. */
export async function makeGroup(creator: User, members: User[]): Promise<TestGroup> {
  const { group, res } = await createGroup(creator, members);
  if (res.status !== 201) throw new Error(`group not created: ${res.status} ${JSON.stringify(res.body)}`);
  return group;
}

/** Posts `record` (with `keys`, when given) as `by`, and tracks it when the server took it. */
export async function postRecord(
  by: User,
  group: TestGroup,
  record: Uint8Array,
  keys?: { memberId: string; record: string }[],
): Promise<TestResponse> {
  const res = await by.client.post(`/api/groups/${group.roomId}/records`, {
    record: toBase64(record),
    ...(keys ? { keys } : {}),
  });
  if (res.status === 201) group.accept(record);
  return res;
}

/** Ann and three friends of hers (Ben, Cy, Dee), their usernames prefixed so test files do not collide. */
export async function annAndFriends(t: TestApp, prefix: string): Promise<[User, User, User, User]> {
  const [ann, ben, cy, dee] = [
    await newUser(t, `${prefix}_ann`),
    await newUser(t, `${prefix}_ben`),
    await newUser(t, `${prefix}_cy`),
    await newUser(t, `${prefix}_dee`),
  ];
  for (const friend of [ben, cy, dee]) await befriend(ann, friend);
  return [ann, ben, cy, dee];
}
