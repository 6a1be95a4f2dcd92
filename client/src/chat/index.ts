// The chat session and what the app reads of it.

export { ChatSession, type ChatSessionOptions, type FileUploadEvents } from './session.js';
export { EMPTY_SNAPSHOT, type ChatSnapshot, type RoomState } from './snapshot.js';
export {
  countsAsNew,
  type ChatItem,
  type DeliveryCount,
  type DeliveryFlag,
  type FileMeta,
  type ItemState,
} from './items.js';
export type { IncomingListener } from './incoming.js';
export { PAGE_SIZE } from './history.js';
export { TIMER_CHOICES, describeTtl, shortTtl, systemClock, timerNotice, type ExpiryClock } from './disappearing.js';
export { MAX_FILES_AT_ONCE } from './file-messages.js';
export { SEND_TIMEOUT_MS } from './send-outcome.js';
export { MAX_ATTEMPTS } from './outbox.js';
export { FriendError } from './friend-accept.js';
export { LinkMismatchError, type LinkOutcome } from './add-from-link.js';
export {
  allConversations,
  conversationList,
  type ConversationEntry,
  type ListedConversation,
} from './conversation-list.js';
export type { NewGroupInput } from './group-actions.js';
export type { GroupMemberCheck, GroupMemberView, GroupView } from './group-view.js';
