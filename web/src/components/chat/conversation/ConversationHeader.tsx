import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { LockIcon } from '../../icons';
import { BackIcon } from '../icons';
import { Avatar } from '../Avatar';
import { TrustBadge } from '../SafetyNumber';
import { ConversationMenu } from './ConversationMenu';
import { TimerMark } from './TimerMark';
import { type PeerTrust } from '@onionchat/client';
import { NARROW_QUERY, useMediaQuery } from '../../../hooks/use-chat';

interface ConversationHeaderProps {
  name: string;
  /** The other person, once known (no verify button or menu before). */
  peer: { username: string } | null;
  trust: PeerTrust | null;
  headingRef: Ref<HTMLHeadingElement>;
  onBack: () => void;
  onVerify: () => void;
  onRemove: () => void;
  onBlock: () => void;
  /** The disappearing timer (seconds, 0: off) and where to change it. */
  timer: number;
  onTimer: () => void;
}

/** Back button, who the conversation is with, safety number and options. */
export function ConversationHeader({
  name,
  peer,
  trust,
  headingRef,
  onBack,
  onVerify,
  onRemove,
  onBlock,
  timer,
  onTimer,
}: ConversationHeaderProps) {
  const narrow = useMediaQuery(NARROW_QUERY);
  const { t } = useTranslation();
  const canVerify = peer !== null && Boolean(trust?.presented);
  const verifyLabel = t(
    trust?.state === 'verified' ? 'chat.conversation.safetyNumber' : 'chat.conversation.verifySafetyNumber',
  );
  return (
    <header className="conversation-head">
      <button
        type="button"
        className="icon-button back-button"
        onClick={onBack}
        aria-label={t('chat.conversation.back')}
      >
        <BackIcon />
      </button>
      <Avatar name={name} />
      <div className="conversation-title">
        {/* The name gives way (with an ellipsis) before the badge does. */}
        <h2 ref={headingRef} tabIndex={-1} className="conversation-name conversation-name-direct">
          <span className="conversation-name-text" dir="auto">
            {name}
          </span>
          <TrustBadge trust={trust} />
        </h2>
        <p className="conversation-sub">
          <LockIcon /> <span className="conversation-sub-text">{t('chat.conversation.encrypted')}</span>{' '}
          <TimerMark timer={timer} />
        </p>
      </div>
      {canVerify && !narrow ? (
        <button type="button" className="button small ghost" data-testid="verify-button" onClick={onVerify}>
          {verifyLabel}
        </button>
      ) : null}
      {/* On a phone the button would squeeze the name: the menu has it instead. */}
      {peer ? (
        <ConversationMenu
          name={peer.username}
          verify={canVerify && narrow ? { label: verifyLabel, onSelect: onVerify } : null}
          onRemove={onRemove}
          onBlock={onBlock}
          onTimer={onTimer}
        />
      ) : null}
    </header>
  );
}
