// @onionchat/client: everything the OnionChat client knows that is not a view. The
// web app and the terminal client are two faces on it.

export type {
  BlockedUser,
  Friend,
  FriendRequest,
  FriendsList,
  Invite,
  PublicUser,
  Room,
  ServerConfig,
  Session,
  User,
} from '@onionchat/contract';

// What the views need of the protocol: limits and form checks, never key material.
export {
  GROUP_NAME_MAX_CHARS,
  DEFAULT_SETTINGS,
  GROUP_PICTURE_MAX_CHARS,
  MAX_TEXT_CHARS,
  type AccountSettings,
  type GroupInfo,
  type Identity,
  type SafetyNumber,
} from '@onionchat/protocol';

export { OnionChatClient, type ClientOptions } from './client.js';
export { startChat, type ChatStart } from './chat-start.js';
export { browserPlatform, nodePlatform, type Platform, type PlatformEvent } from './platform.js';
export { describeError, errorField, errorPhrase, type ErrorPhrase } from './describe-error.js';

export { Api, fileContentPath } from './transport/api.js';
export { ApiError, NETWORK_ERROR_MESSAGE } from './transport/api-error.js';
export { fetchHttp, type FetchHttpOptions, type HttpAnswer, type HttpTransport } from './transport/http.js';
export {
  Realtime,
  RealtimeError,
  type ConnectionState,
  type LiveConnection,
  type RealtimeOptions,
} from './transport/realtime.js';

export * from './account/index.js';
export * from './trust/index.js';
export * from './chat/index.js';
export * from './files/index.js';
export * from './groups/index.js';

export * from './present/format.js';
export * from './present/passphrase-feedback.js';
export * from './present/form-rules.js';
export * from './present/message-rows.js';
export * from './present/message-links.js';
export * from './present/account-lists.js';
export * from './present/file-card.js';
export * from './present/conversation-preview.js';
export * from './present/friend-form.js';
export * from './present/character-counter.js';
export * from './present/delivery-label.js';
export * from './search/index.js';
export * from './notify/index.js';
export {
  sayDuration,
  sayer,
  sayList,
  sayNumber,
  setSpeaker,
  type PhraseTable,
  type PhraseValues,
  type Speaker,
} from './present/phrasebook.js';
export { CORE_PHRASES, PHRASE_AREAS } from './present/phrases.js';
