import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../../i18n/use-locale';
import { Delivery } from './Delivery';
import { DisappearsMark } from './DisappearsMark';
import { MessageContent } from './MessageContent';
import { MessageToolbar } from '../message-actions/MessageToolbar';
import { ReactionChips } from '../message-actions/ReactionChips';
import {
  type ChatSession,
  deliveryWarning,
  formatFull,
  formatTime,
  shownTime,
  toIso,
  type ChatItem,
} from '@onionchat/client';

interface MessageRowProps {
  session: ChatSession;
  item: ChatItem;
  first: boolean;
  last: boolean;
  senderName: string;
  /** Shows the sender's name above the bubble (the first of a run in a group). */
  showSender?: boolean;
  offline: boolean;
  onRetry: () => void;
}

/**
 * One message: its bubble, and under the last of a group its time (the one its sender
 * signed) and delivery; a message the server delivered late or again says so under it.
 */
export const MessageRow = memo(
  function MessageRow({
    session,
    item,
    first,
    last,
    senderName,
    showSender = false,
    offline,
    onRetry,
  }: MessageRowProps) {
    const { t } = useTranslation();
    const locale = useLocale();
    const at = shownTime(item);
    const time = formatTime(at, locale);
    const warning = deliveryWarning(item, senderName, Date.now(), locale);
    const file = item.state === 'unverified' ? null : item.file;
    const classes = [
      'msg',
      item.mine ? 'msg-mine' : 'msg-theirs',
      `msg-${item.state}`,
      warning ? 'msg-flagged' : '',
      file ? 'msg-file' : '',
      first ? 'msg-first' : '',
      last ? 'msg-last' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const showMeta =
      last ||
      item.state === 'pending' ||
      item.state === 'failed' ||
      file !== null ||
      warning !== null ||
      item.editedAt != null;

    return (
      <li
        className={classes}
        data-testid="message"
        data-key={item.key}
        data-seq={item.seq ?? ''}
        data-state={item.state}
        data-mine={item.mine ? 'true' : 'false'}
        data-flag={item.flag?.kind ?? ''}
        data-disappears={item.expiresAt != null || item.ttl != null ? 'true' : undefined}
        data-deleted={item.deleted ? 'true' : undefined}
        tabIndex={-1}
      >
        {showSender ? (
          <p className="msg-from" data-testid="message-sender" aria-hidden="true">
            {senderName}
          </p>
        ) : null}
        <div className="msg-line">
          <div className={file ? 'bubble bubble-file' : 'bubble'}>
            <span className="visually-hidden">{t('chat.message.fromAt', { name: senderName, time })} </span>
            <MessageContent session={session} item={item} file={file} />
          </div>
          <MessageToolbar item={item} senderName={senderName} />
          {showMeta ? null : (
            <time className="msg-hover-time" dateTime={toIso(at)} title={formatFull(at, locale)}>
              {time}
            </time>
          )}
        </div>
        {item.reactions?.length ? <ReactionChips item={item} /> : null}
        {showMeta ? (
          <div className="msg-meta">
            {file ? <span className="msg-sender">{senderName}</span> : null}
            <time dateTime={toIso(at)} title={formatFull(at, locale)}>
              {time}
            </time>
            {item.editedAt != null && !item.deleted ? (
              <span className="msg-edited" data-testid="message-edited">
                {t('chat.message.edited')}
              </span>
            ) : null}
            <DisappearsMark item={item} />
            {/* A file card shows its own progress and problems (and its own Retry). */}
            {item.mine && (!file || item.state === 'sent') ? (
              <Delivery item={item} offline={offline} onRetry={onRetry} />
            ) : null}
          </div>
        ) : null}
        {warning ? (
          <p className="sequence-notice msg-warning" role="note" data-testid="delivery-warning">
            <span aria-hidden="true">⚠ </span>
            {warning}
          </p>
        ) : null}
      </li>
    );
  },
  (a, b) =>
    a.session === b.session &&
    a.item === b.item &&
    a.first === b.first &&
    a.last === b.last &&
    a.senderName === b.senderName &&
    a.showSender === b.showSender &&
    (a.item.state !== 'pending' || a.offline === b.offline),
);
