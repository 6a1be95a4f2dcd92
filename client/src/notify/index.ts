// Whether and how a new message alerts the person.

export {
  DEFAULT_NOTIFY_SETTINGS,
  PREVIEW_MAX_CHARS,
  decideAlert,
  systemNotice,
  isReading,
  type AlertContext,
  type AlertDecision,
  type IncomingMessages,
  type NotifySettings,
  type SystemNotice,
} from './alert-policy.js';
