import { Fragment } from 'react';
import { useLocale } from '../../../i18n/use-locale';
import { MessageRow } from './MessageRow';
import { type ChatItem, type ChatSession, formatDay, formatFull, toIso, type Row } from '@onionchat/client';

interface MessageRowsProps {
  session: ChatSession;
  rows: Row[];
  /** Gaps and repeats noticed in the sender's counter, by the key of the message they precede. */
  notices: ReadonlyMap<string, string> | undefined;
  /** A group: each run of someone else's messages starts with their name. */
  group: boolean;
  /** Who a message is from, in words ("You" for this account). */
  senderName: (senderId: string) => string;
  offline: boolean;
  onRetry: (item: ChatItem) => void;
}

/** The messages, with a divider at the start of each day and a group's membership changes among them. */
export function MessageRows({ session, rows, notices, group, senderName, offline, onRetry }: MessageRowsProps) {
  const locale = useLocale();
  return (
    <ol className="messages">
      {rows.map((row) =>
        row.kind === 'day' ? (
          <li key={row.key} className="day-divider">
            <time dateTime={toIso(row.time)}>{formatDay(row.time, undefined, locale)}</time>
          </li>
        ) : row.kind === 'notice' ? (
          <li
            key={row.key}
            className={row.item.timer != null ? 'group-notice timer-notice' : 'group-notice'}
            data-testid={row.item.timer != null ? 'timer-notice' : 'group-notice'}
          >
            <span>{row.text}</span>{' '}
            <time className="visually-hidden" dateTime={toIso(row.time)}>
              {formatFull(row.time, locale)}
            </time>
          </li>
        ) : (
          <Fragment key={row.key}>
            {notices?.get(row.item.key) ? (
              <li className="sequence-notice" role="note" data-testid="sequence-notice">
                <span aria-hidden="true">⚠ </span>
                {notices.get(row.item.key)}
              </li>
            ) : null}
            <MessageRow
              key={row.key}
              session={session}
              item={row.item}
              first={row.first}
              last={row.last}
              senderName={senderName(row.item.senderId)}
              showSender={group && !row.item.mine && row.first && row.item.state !== 'unverified'}
              offline={offline}
              onRetry={() => onRetry(row.item)}
            />
          </Fragment>
        ),
      )}
    </ol>
  );
}
