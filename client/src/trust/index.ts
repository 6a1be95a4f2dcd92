// Trust: whose keys this client believes, the room keys they hand out, the pins that
// outlive a session, and what the server's ordering of messages gives away.

export { VerifyError, UntrustedKeyError, protocolReason } from './verify-error.js';
export { KeyDirectory, type PeerTrust, type TrustState } from './key-directory.js';
export { KEY_REFETCH_MS, RoomKeyring, roomMemberIds } from './room-keyring.js';
export { ContactPins, type PinVerdict } from './pins.js';
export { HeldMessages } from './held.js';
export { sequenceNotices, type SequencedItem } from './sequence.js';
export { BundleVault } from './vault.js';
