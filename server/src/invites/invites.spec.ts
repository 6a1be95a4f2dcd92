import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { makeAccount, signUp } from '../../test-support/accounts.js';
import { InvitesService } from './invites.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ REGISTRATION: 'invite', MAX_OPEN_INVITES_PER_USER: '2' });
});
afterAll(() => t.close());

const invites = () => t.app.get(InvitesService);

describe('invite-only registration', () => {
  it('offers a first-account invite only while there are no accounts, withdrawing older ones', async () => {
    const first = await invites().firstAccountInvite();
    const second = await invites().firstAccountInvite();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stale = await makeAccount('early');
    const refused = await t.client().post('/api/auth/signup', { ...stale.signupBody, inviteToken: first });
    expect(refused.status).toBe(403);
    expect(refused.body['code']).toBe('invalid_invite');
    await signUp(t.client(), 'founder', { inviteToken: second! });
    expect(await invites().firstAccountInvite()).toBeNull();
  });

  it('needs an invite', async () => {
    const account = await makeAccount('no_invite');
    const res = await t.client().post('/api/auth/signup', account.signupBody);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'invite_required', message: expect.stringContaining('invite') });
  });

  it('accepts a member invite once; a taken username does not use it up', async () => {
    const member = t.client();
    await signUp(member, 'host', { inviteToken: await invites().createForOperator() });
    const created = await member.post<{ token: string; invite: { id: string } }>('/api/invites');
    expect(created.status).toBe(201);
    const taken = await makeAccount('host');
    const conflict = await t
      .client()
      .post('/api/auth/signup', { ...taken.signupBody, inviteToken: created.body.token });
    expect(conflict.status).toBe(409);
    await signUp(t.client(), 'guest', { inviteToken: created.body.token });
    const reuse = await makeAccount('guest_two');
    const again = await t.client().post('/api/auth/signup', { ...reuse.signupBody, inviteToken: created.body.token });
    expect(again.body['code']).toBe('invalid_invite');
  });

  it('keeps no record of who invited whom: a used invite is deleted', async () => {
    const member = t.client();
    const host = await signUp(member, 'graph_host', { inviteToken: await invites().createForOperator() });
    const used = await member.post<{ token: string; invite: { id: string } }>('/api/invites');
    const open = await member.post<{ token: string; invite: { id: string } }>('/api/invites');
    const guest = await signUp(t.client(), 'graph_guest', { inviteToken: used.body.token });
    const list = await member.get<{ invites: { id: string; usedAt: string | null }[] }>('/api/invites');
    expect(list.body.invites).toEqual([expect.objectContaining({ id: open.body.invite.id, usedAt: null })]);
    const db = new pg.Client({ connectionString: t.dbUrl });
    await db.connect();
    try {
      const columns = await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'Invite' ORDER BY column_name`,
      );
      expect(columns.rows.map((r) => r.column_name)).toEqual([
        'createdAt',
        'createdById',
        'expiresAt',
        'id',
        'kind',
        'tokenHash',
      ]);
      const rows = await db.query<{ id: string; createdById: string | null }>(
        `SELECT id::text, "createdById"::text FROM "Invite" WHERE "createdById" = ANY($1::uuid[])`,
        [[host.id, guest.id]],
      );
      expect(rows.rows).toEqual([{ id: open.body.invite.id, createdById: host.id }]);
      // The operator's invite that let the host in is gone too.
      const operator = await db.query(`SELECT 1 FROM "Invite" WHERE kind = 'operator'`);
      expect(operator.rowCount).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('lets the creator revoke an unused invite, and limits open invites', async () => {
    const member = t.client();
    await signUp(member, 'inviter', { inviteToken: await invites().createForOperator() });
    const a = await member.post<{ token: string; invite: { id: string } }>('/api/invites');
    await member.post('/api/invites');
    const third = await member.post('/api/invites');
    expect(third.status).toBe(409);
    expect(third.body['code']).toBe('too_many_invites');
    expect((await member.delete(`/api/invites/${a.body.invite.id}`)).status).toBe(204);
    const revoked = await makeAccount('too_late');
    expect(
      (await t.client().post('/api/auth/signup', { ...revoked.signupBody, inviteToken: a.body.token })).status,
    ).toBe(403);
    expect((await member.post('/api/invites')).status).toBe(201);
  });

  it("does not let anyone revoke someone else's invite", async () => {
    const owner = t.client();
    await signUp(owner, 'owner', { inviteToken: await invites().createForOperator() });
    const invite = await owner.post<{ invite: { id: string } }>('/api/invites');
    const other = t.client();
    await signUp(other, 'other', { inviteToken: await invites().createForOperator() });
    expect((await other.delete(`/api/invites/${invite.body.invite.id}`)).status).toBe(404);
    expect((await t.client().post('/api/invites')).status).toBe(401);
  });
});
