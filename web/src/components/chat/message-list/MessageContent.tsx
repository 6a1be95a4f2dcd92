import { useTranslation } from 'react-i18next';
import { FileCard } from '../FileCard';
import { ReplyQuote } from '../message-actions/ReplyQuote';
import { linkParts, type ChatSession, type ChatItem, type FileMeta } from '@onionchat/client';

interface MessageContentProps {
  session: ChatSession;
  item: ChatItem;
  /** The file it carries (none for an unverified message). */
  file: FileMeta | null;
}

/** What a bubble holds: the text, a file card, or why it can't be shown. */
export function MessageContent({ session, item, file }: MessageContentProps) {
  const { t } = useTranslation();
  if (item.state === 'unverified') {
    return (
      <p className="msg-unverified-text">
        <span aria-hidden="true">⚠</span> {t('chat.message.unverified')}
        {item.note ? <span className="msg-reason"> {t('chat.message.reason', { reason: item.note })}</span> : null}
      </p>
    );
  }
  if (item.deleted) {
    return (
      <p className="msg-deleted" data-testid="message-deleted">
        {item.mine ? t('chat.message.deletedMine') : t('chat.message.deleted')}
      </p>
    );
  }
  if (file) return <FileCard session={session} item={item} file={file} />;
  if (item.text !== null) {
    return (
      <>
        {item.reply ? <ReplyQuote item={item} /> : null}
        <p className="msg-text" data-testid="message-text" dir="auto">
          <TextWithLinks text={item.text} />
        </p>
      </>
    );
  }
  return (
    <p className="msg-unsupported">
      {item.unsupportedType
        ? t('chat.message.unsupportedType', { type: item.unsupportedType.slice(0, 40) })
        : t('chat.message.unsupported')}
    </p>
  );
}

/**
 * Web and onion addresses as links. They open in a new tab that learns nothing of this
 * one: no opener (it cannot navigate this page) and no referrer (it never sees the address).
 */
function TextWithLinks({ text }: { text: string }) {
  return linkParts(text).map((part, i) =>
    part.kind === 'link' ? (
      <a key={i} href={part.href} target="_blank" rel="noopener noreferrer" className="msg-link">
        {part.text}
      </a>
    ) : (
      part.text
    ),
  );
}
