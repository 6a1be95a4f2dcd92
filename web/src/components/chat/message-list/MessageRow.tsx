import { memo } from 'react';
import { Delivery } from './Delivery';
import { MessageContent } from './MessageContent';
import { type ChatSession, formatFull, formatTime, toIso, type ChatItem } from '@onionchat/client';

interface MessageRowProps {
  session: ChatSession;
  item: ChatItem;
  first: boolean;
  last: boolean;
  senderName: string;
  offline: boolean;
  onRetry: () => void;
}

/** One message: its bubble, and under the last of a group its time and delivery. */
export const MessageRow = memo(
  function MessageRow({ session, item, first, last, senderName, offline, onRetry }: MessageRowProps) {
    const time = formatTime(item.time);
    const file = item.state === 'unverified' ? null : item.file;
    const classes = [
      'msg',
      item.mine ? 'msg-mine' : 'msg-theirs',
      `msg-${item.state}`,
      file ? 'msg-file' : '',
      first ? 'msg-first' : '',
      last ? 'msg-last' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const showMeta = last || item.state === 'pending' || item.state === 'failed' || file !== null;

    return (
      <li
        className={classes}
        data-testid="message"
        data-key={item.key}
        data-seq={item.seq ?? ''}
        data-state={item.state}
        data-mine={item.mine ? 'true' : 'false'}
        tabIndex={-1}
      >
        <div className="msg-line">
          <div className={file ? 'bubble bubble-file' : 'bubble'}>
            <span className="visually-hidden">
              {senderName} at {time}:{' '}
            </span>
            <MessageContent session={session} item={item} file={file} />
          </div>
          {showMeta ? null : (
            <time className="msg-hover-time" dateTime={toIso(item.time)} title={formatFull(item.time)}>
              {time}
            </time>
          )}
        </div>
        {showMeta ? (
          <div className="msg-meta">
            {file ? <span className="msg-sender">{senderName}</span> : null}
            <time dateTime={toIso(item.time)} title={formatFull(item.time)}>
              {time}
            </time>
            {/* A file card shows its own progress and problems (and its own Retry). */}
            {item.mine && (!file || item.state === 'sent') ? (
              <Delivery item={item} offline={offline} onRetry={onRetry} />
            ) : null}
          </div>
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
    (a.item.state !== 'pending' || a.offline === b.offline),
);
