import { Fragment } from 'react';
import { MessageRow } from './MessageRow';
import { type ChatItem, type ChatSession, toIso, type Row } from '@onionchat/client';

interface MessageRowsProps {
  session: ChatSession;
  rows: Row[];
  /** Gaps and repeats noticed in the sender's counter, by the key of the message they precede. */
  notices: ReadonlyMap<string, string> | undefined;
  peerName: string;
  offline: boolean;
  onRetry: (item: ChatItem) => void;
}

/** The messages, with a divider at the start of each day. */
export function MessageRows({ session, rows, notices, peerName, offline, onRetry }: MessageRowsProps) {
  return (
    <ol className="messages">
      {rows.map((row) =>
        row.kind === 'day' ? (
          <li key={row.key} className="day-divider">
            <time dateTime={toIso(row.time)}>{row.label}</time>
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
              senderName={row.item.mine ? 'You' : peerName}
              offline={offline}
              onRetry={() => onRetry(row.item)}
            />
          </Fragment>
        ),
      )}
    </ol>
  );
}
