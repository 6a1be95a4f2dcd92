'use client';

// Points the first member of an invite-only server to invites: with nobody else here,
// the chat is empty until they make an invite link. Shown while the account has no
// friends, no requests either way and no invites made; dismissing it lasts for this visit
// to the chat (nothing is kept in the browser), so it reminds again while nothing changed.

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FriendsList } from '@onionchat/client';
import { pageApi } from '../../hooks/api';

/**
 * True while the server is invite-only and this account has made no invite (null until
 * known). Asked only while the note could show, and again on each visit to the chat, so an
 * invite made on the account page meanwhile is seen.
 */
function useInviteOnlyWithoutInvites(wanted: boolean): boolean | null {
  const [answer, setAnswer] = useState<boolean | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    const api = pageApi();
    Promise.all([api.config(), api.invites()]).then(
      ([config, { invites }]) => live && setAnswer(config.registration === 'invite' && invites.length === 0),
      () => live && setAnswer(false),
    );
    return () => {
      live = false;
    };
  }, [wanted]);
  return answer;
}

function alone(friends: FriendsList | null): boolean {
  return friends !== null && friends.friends.length + friends.incoming.length + friends.outgoing.length === 0;
}

export function FirstMemberNote({ friends }: { friends: FriendsList | null }) {
  const { t } = useTranslation();
  const [dismissed, setDismissed] = useState(false);
  const wanted = !dismissed && alone(friends);
  const noInvites = useInviteOnlyWithoutInvites(wanted);
  if (!wanted || !noInvites) return null;
  return (
    <div className="accepted-notice first-member-note" role="note" data-testid="first-member-note">
      <span>
        {t('chat.firstMember.note')} <Link href="/account/#invites">{t('chat.firstMember.makeInvite')}</Link>
      </span>
      <span className="accepted-actions">
        <button type="button" className="button small ghost" onClick={() => setDismissed(true)}>
          {t('chat.accepted.dismiss')}
        </button>
      </span>
    </div>
  );
}
