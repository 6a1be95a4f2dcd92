import type { Metadata } from 'next';
import { ChatApp } from '../../components/chat/ChatApp';
import { T } from '../../i18n/T';

// The whole messenger lives on this one page; the open conversation is in the URL
// fragment (#room=<id>), so the static export needs no dynamic routes.
export const metadata: Metadata = { title: { absolute: 'OnionChat' } };

export default function ChatPage() {
  // The page's one level-one heading, for screen readers (the layout has no room to show it).
  return (
    <>
      <h1 className="visually-hidden">
        <T k="chat.pageHeading" />
      </h1>
      <ChatApp />
    </>
  );
}
