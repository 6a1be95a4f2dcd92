import type { Ref } from 'react';
import { LockIcon } from '../../icons';
import { BackIcon } from '../icons';
import { Avatar } from '../Avatar';
import { TrustBadge } from '../SafetyNumber';
import { ConversationMenu } from './ConversationMenu';
import { TimerMark } from './TimerMark';
import { type PeerTrust } from '@onionchat/client';

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
  return (
    <header className="conversation-head">
      <button type="button" className="icon-button back-button" onClick={onBack} aria-label="Back to conversations">
        <BackIcon />
      </button>
      <Avatar name={name} />
      <div className="conversation-title">
        <h2 ref={headingRef} tabIndex={-1} className="conversation-name">
          {name}
          <TrustBadge trust={trust} />
        </h2>
        <p className="conversation-sub">
          <LockIcon /> End-to-end encrypted <TimerMark timer={timer} />
        </p>
      </div>
      {peer && trust?.presented ? (
        <button type="button" className="button small ghost" data-testid="verify-button" onClick={onVerify}>
          {trust.state === 'verified' ? 'Safety number' : 'Verify safety number'}
        </button>
      ) : null}
      {peer ? <ConversationMenu name={peer.username} onRemove={onRemove} onBlock={onBlock} onTimer={onTimer} /> : null}
    </header>
  );
}
