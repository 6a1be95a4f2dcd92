/**
 * OnionChat protocol: the only code that touches key material. Pure
 * TypeScript over Uint8Array, WebCrypto and tweetnacl, so it runs unchanged
 * in the browser (including Tor Browser with the JIT off) and in Node.
 * Formats are specified byte by byte in docs/PROTOCOL.md.
 */
export { ProtocolError, type ProtocolErrorCode } from './errors.js';
export { equalBytes, fromHex, randomBytes, toHex } from './bytes.js';
export { fromBase64, toBase64 } from './base64.js';
export {
  USERNAME_MAX,
  USERNAME_MIN,
  normalizeUsername,
  usernameProblem,
  usernameRuleBroken,
  type UsernameRule,
} from './username.js';
export {
  MIN_DISTINCT_CHARS,
  PASSPHRASE_MAX_BYTES,
  PASSPHRASE_MIN_CHARS,
  passphraseProblem,
  passphraseRuleBroken,
  type PassphraseRule,
} from './passphrase.js';
export {
  ACCOUNT_KEY_BYTES,
  KDF_DEFAULT_ITERATIONS,
  KDF_MAX_ITERATIONS,
  KDF_MIN_ITERATIONS,
  KDF_PARAMS_BYTES,
  KDF_PBKDF2_SHA256,
  KDF_SALT_BYTES,
  KDF_VERSION,
  decodeKdfParams,
  deriveAccountKeys,
  encodeKdfParams,
  newKdfParams,
  type AccountKeys,
  type KdfParams,
} from './kdf.js';
export {
  BOX_PUBLIC_KEY_BYTES,
  BOX_SECRET_KEY_BYTES,
  KEM_PUBLIC_KEY_BYTES,
  KEM_SECRET_KEY_BYTES,
  KEM_SEED_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  SIGN_SECRET_KEY_BYTES,
  SIGN_SEED_BYTES,
} from './key-sizes.js';
export {
  addKemKeys,
  createIdentity,
  createIdentityAsync,
  identityFromSeeds,
  identityFromSeedsAsync,
  type Identity,
  type KemKeys,
} from './identity.js';
export {
  KEM_SEED_EXTENSION,
  KEM_SEED_VALUE_BYTES,
  KEM_SEED_VERSION,
  decodeKemSeed,
  encodeKemSeed,
  kemSeedOf,
} from './kem-seed.js';
export {
  PUBLIC_KEYS_BYTES,
  PUBLIC_KEYS_V1,
  PUBLIC_KEYS_V1_BYTES,
  PUBLIC_KEYS_V2,
  PUBLIC_KEYS_V2_BYTES,
  PUBLIC_KEYS_VERSION,
  SIGNATURE_BYTES,
  decodePublicKeys,
  decodePublicKeysAsync,
  encodePublicKeys,
  encodePublicKeysAsync,
  encodePublicKeysV1,
  isValidKemPublicKey,
  type IdentityKeys,
  type PublicKeys,
} from './public-keys.js';
export { FINGERPRINT_BYTES, fingerprint } from './fingerprint.js';
export {
  KEY_BUNDLE_MIN_BYTES,
  KEY_BUNDLE_NONCE_BYTES,
  KEY_BUNDLE_PLAINTEXT_VERSION,
  KEY_BUNDLE_VERSION,
  WRAP_KEY_BYTES,
  openKeyBundle,
  openKeyBundleAsync,
  sealKeyBundle,
  withExtension,
  type BundleExtension,
  type OpenedBundle,
} from './key-bundle.js';
export { UUID_BYTES, bytesToUuid, newUuid, uuidToBytes } from './uuid.js';
export {
  ROOM_KEY_BYTES,
  WRAPPED_ROOM_KEY_BYTES,
  WRAPPED_ROOM_KEY_HYBRID_VERSION,
  WRAPPED_ROOM_KEY_V1_BYTES,
  WRAPPED_ROOM_KEY_V2_BYTES,
  WRAPPED_ROOM_KEY_VERSION,
  newRoomKey,
  openRoomKey,
  openRoomKeyAsync,
  readRoomKeyContext,
  wrapRoomKey,
  wrapRoomKeyAsync,
  wrapRoomKeyHybrid,
  wrapRoomKeyHybridAsync,
  type HybridMemberKeys,
  type HybridWrapRandomness,
  type OpenedRoomKey,
  type RoomKeyContext,
  type RoomKeyWrapper,
} from './room-key.js';
export { DIRECT_ROOM_KIND, entitledWrapper, type EntitledWrapper, type RoomMembers } from './entitled-wrapper.js';
export {
  GROUP_INFO_MIN_BYTES,
  GROUP_RECORD_DIGEST_BYTES,
  GROUP_RECORD_MAX_ENTRIES,
  GROUP_RECORD_MIN_BYTES,
  GROUP_RECORD_VERSION,
  decodeGroupRecord,
  groupRecordDigest,
  type DecodedGroupRecord,
  type GroupAction,
  type GroupEntry,
  type GroupRecordFields,
  type GroupRole,
} from './group-record.js';
export {
  signGroupRecord,
  signGroupRecordAsync,
  verifyGroupRecordSignature,
  verifyGroupRecordSignatureAsync,
} from './group-signature.js';
export {
  GROUP_NAME_MAX_CHARS,
  GROUP_PICTURE_MAX_CHARS,
  openGroupInfo,
  sealGroupInfo,
  type GroupInfo,
} from './group-info.js';
export { GROUP_MAX_MEMBERS, type GroupMember } from './group-change.js';
export {
  applyGroupRecord,
  applyGroupRecordAsync,
  verifyGroupChain,
  verifyGroupChainAsync,
  type GroupChainFailure,
  type GroupChainResult,
  type GroupExpectation,
  type GroupState,
} from './group-chain.js';
export {
  entitledGroupSender,
  entitledGroupWrapper,
  groupMembersAtEpoch,
  requireGroupMemberKey,
} from './group-entitlement.js';
export { MESSAGE_MAX_PADDED_BYTES, MESSAGE_MIN_PADDED_BYTES } from './padding.js';
export {
  DISAPPEARING_TTLS,
  TIMER_MESSAGE_TYPE,
  effectiveTtl,
  expiryOf,
  laterTimer,
  latestTimer,
  readMessageTtl,
  timerInEffect,
  timerMessageBody,
  type TimerSetting,
} from './disappearing.js';
export {
  MAX_TEXT_CHARS,
  decodeMessageBody,
  encodeMessageBody,
  readSenderCounter,
  type MessageBody,
  type SenderCounter,
} from './message-body.js';
export {
  DELETE_MESSAGE_TYPE,
  EDIT_MESSAGE_TYPE,
  MAX_REACTION_CHARS,
  REACTION_MESSAGE_TYPE,
  deleteMessageBody,
  editMessageBody,
  reactionMessageBody,
  readMessageAction,
  readReplyTo,
  type MessageAction,
  type MessageRef,
} from './message-actions.js';
export {
  reactionCounts,
  resolveActions,
  type ActionMessage,
  type ActionRefusal,
  type HeldMessage,
  type Reaction,
  type ResolvedActions,
  type TargetOutcome,
} from './action-rules.js';
export {
  RECEIPT_TYPE,
  judgeReceiptRef,
  readReceipt,
  receiptBody,
  type Receipt,
  type ReceiptRefusal,
} from './receipt.js';
export {
  MESSAGE_HEADER_V1_BYTES,
  MESSAGE_HEADER_V2_BYTES,
  MESSAGE_MAX_ENVELOPE_BYTES,
  MESSAGE_MIN_ENVELOPE_BYTES,
  MESSAGE_VERSION,
  MESSAGE_VERSION_V1,
  openMessage,
  openMessageAsync,
  readMessageHeader,
  sealMessage,
  sealMessageAsync,
  sealMessageV1,
  type EnvelopeHeader,
  type MessageHeader,
  type MessageVersion,
  type OpenedMessage,
} from './message.js';
export {
  SEND_TIME_MAX_AHEAD_MS,
  SEND_TIME_MAX_BEHIND_MS,
  judgeSendTime,
  type SendTimeFacts,
  type SendTimeReason,
  type SendTimeVerdict,
} from './send-time.js';
export {
  CHAIN_MARKS_EXTENSION,
  CHAIN_MARKS_MAX,
  CHAIN_MARKS_VERSION,
  CHAIN_MARK_BYTES,
  chainMarkFor,
  decodeChainMarks,
  encodeChainMarks,
  judgeAgainstMark,
  mergeChainMarks,
  updateChainMarks,
  type ChainMark,
  type ChainPosition,
} from './chain-marks.js';
export {
  DEFAULT_SETTINGS,
  SETTINGS_EXTENSION,
  SETTINGS_MUTED_MAX,
  SETTINGS_VERSION,
  decodeSettings,
  encodeSettings,
  type AccountSettings,
} from './settings.js';
export { MessageLedger } from './message-ledger.js';
export { walkSenderCounters, type CountedMessage, type SenderCounterFinding } from './sender-counter-walk.js';
export {
  SAFETY_NUMBER_HALF_DIGITS,
  SAFETY_NUMBER_ITERATIONS,
  SAFETY_NUMBER_QR_BYTES,
  SAFETY_NUMBER_VERSION,
  matchSafetyNumberQr,
  safetyNumber,
  type SafetyNumber,
  type SafetyParty,
} from './safety-number.js';
export {
  CONTACT_PINS_EXTENSION,
  CONTACT_PINS_VERSION,
  CONTACT_PIN_MAX_BYTES,
  comparePin,
  comparePinAmong,
  decodeContactPins,
  encodeContactPins,
  mergeContactPins,
  pinFor,
  type ContactPin,
  type PinVerdict,
} from './contact-pins.js';
export {
  BUNDLE_DIGEST_BYTES,
  bundleDigest,
  signBundleUpdate,
  signBundleUpdateAsync,
  verifyBundleUpdate,
} from './bundle-update.js';
export { nativeSupport, type NativeSupport } from './native-crypto.js';
export {
  BUNDLE_REVISION_MAX,
  BUNDLE_STATE_BYTES,
  BUNDLE_STATE_EXTENSION,
  BUNDLE_STATE_VERSION,
  UNTRACKED_BUNDLE_STATE,
  checkBundleRevision,
  decodeBundleState,
  encodeBundleState,
  kdfFloorProblem,
  nextBundleState,
  readBundleState,
  type BundleState,
} from './bundle-state.js';
export {
  FILE_CHUNK_BYTES,
  FILE_CHUNK_CIPHER_BYTES,
  FILE_HEADER_BYTES,
  FILE_KEY_BYTES,
  FILE_MAX_BYTES,
  FILE_MAX_CHUNKS,
  FILE_NONCE_PREFIX_BYTES,
  FILE_TAG_BYTES,
  FILE_VERSION,
  FILE_VERSION_AES_GCM,
  FILE_VERSION_SECRETBOX,
  encryptedFileSize,
  fileChunkCount,
  fileVersionOf,
  isFileVersion,
  plainFileSize,
  readFileHeader,
  splitEncryptedFile,
  type FileHeader,
  type FileVersion,
} from './file-layout.js';
export {
  createFileDecryptor,
  createFileEncryptor,
  decryptFile,
  encryptFile,
  newFileKey,
  type FileDecryptor,
  type FileEncryptOptions,
  type FileEncryptor,
} from './file-crypto.js';
export { FILE_DIGEST_BYTES, createFileHasher, fileDigestOf, type FileHasher } from './file-digest.js';
export {
  FILE_DEFAULT_MIME,
  FILE_MESSAGE_TYPE,
  FILE_MIME_MAX_CHARS,
  FILE_NAME_MAX_CHARS,
  fileMessageBody,
  readFileMessageBody,
  sanitizeFileMime,
  sanitizeFileName,
  type FileMessage,
  type FileMessageBody,
} from './file-message.js';
