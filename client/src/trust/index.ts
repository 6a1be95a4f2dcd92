// Trust: whose keys this client believes, the room keys they hand out, the pins that
// outlive a session, and what the server's ordering of messages gives away.

export { VerifyError, UntrustedKeyError, protocolReason } from './verify-error.js';
export { KeyDirectory, type PeerTrust, type TrustState } from './key-directory.js';
export { KEY_REFETCH_MS, RoomKeyring, roomMemberIds } from './room-keyring.js';
export {
  HybridUpgrade,
  UPGRADE_RETRY_MS,
  wantsHybridEpoch,
  wrapForMember,
  type HybridUpgradeParts,
  type MemberKeys,
  type UpgradeOutcome,
} from './hybrid-upgrade.js';
export { ContactPins, type PinVerdict } from './pins.js';
export { HeldMessages } from './held.js';
export { ChainSendTimes, sequenceNotices, type SequencedItem } from './sequence.js';
export { CHAIN_MARKS_SAVE_DELAY_MS, ChainMarks, type ExtensionVault } from './chain-marks.js';
export { SETTINGS_SAVE_DELAY_MS, SavedSettings, settingsFor, type SettingsVault } from './saved-settings.js';
export { BundleRollbackError, BundleVault, ROLLED_BACK_MESSAGE, rolledBackMessage } from './vault.js';
export {
  ContactLinkError,
  compactFingerprint,
  contactLink,
  keysMatchLink,
  parseContactLink,
  type ContactLink,
} from './contact-link.js';
