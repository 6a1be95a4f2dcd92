// English for file cards and transfers (keys files.*), data only: said through
// `sayer` (present/phrasebook.ts), translated in web/src/i18n/locales/core/files.<language>.json.

import type { PhraseTable } from '../present/phrasebook.js';

export const FILE_PHRASES = {
  // What kind of file it is, in words.
  'files.kind.image': 'Image',
  'files.kind.video': 'Video',
  'files.kind.audio': 'Audio',
  'files.kind.pdf': 'PDF',
  'files.kind.archive': 'Archive',
  'files.kind.text': 'Text',
  'files.kind.document': 'Document',
  'files.kind.other': 'File',
  // The card's accessible name: "Image: photo.jpg, 1.2 MB".
  'files.card.label': '{{kind}}: {{name}}, {{size}}',
  'files.card.decryptingPreview': 'Decrypting preview… {{percent}}',

  // The card's status line.
  'files.status.uploadingElsewhere': 'Uploading… It can be downloaded once it has arrived.',
  'files.status.sending': 'Sending…',
  'files.status.waitingToUpload': 'Waiting to upload…',
  'files.status.encrypting': 'Encrypting…',
  'files.status.uploading': 'Uploading…',
  'files.status.tryingAgain': 'Trying again in a moment…',
  'files.status.tryingAgainWithNote': '{{note}}. Trying again in a moment…',
  'files.status.sendingMessage': 'Sending the message…',
  'files.status.sendingMessageWithNote': 'Sending the message ({{note}})…',
  'files.status.encrypted': 'End-to-end encrypted.',
  'files.status.verifying': 'Checking the file…',
  'files.status.downloading': 'Downloading and decrypting…',
  'files.status.downloaded': 'Downloaded and verified.',
  'files.status.tampered': 'This file was tampered with or damaged; it was not saved.',
  'files.status.notSent': 'Not sent.',
  'files.status.notSentWithNote': 'Not sent: {{note}}',
  'files.status.notSentResumable': 'Not sent. Retry continues where it stopped, as long as this page stays open.',
  'files.status.notSentWithNoteResumable':
    'Not sent: {{note}} Retry continues where it stopped, as long as this page stays open.',
  'files.status.downloadFailed': 'Download failed.',
  'files.status.downloadFailedWithNote': 'Download failed: {{note}}',
  'files.status.gone': 'This file is no longer on the server.',
  'files.status.unknownProblem': 'Something went wrong.',

  // Sizes, speeds and time left.
  'files.size.bytes_one': '{{count}} byte',
  'files.size.bytes_other': '{{count}} bytes',
  'files.size.kilobytes': '{{value}} KB',
  'files.size.megabytes': '{{value}} MB',
  'files.size.gigabytes': '{{value}} GB',
  'files.size.terabytes': '{{value}} TB',
  'files.progress.doneOfTotal': '{{done}} of {{total}}',
  'files.progress.speed': '{{size}}/s',
  'files.progress.fewSecondsLeft': 'a few seconds left',
  'files.progress.secondsLeft': 'about {{seconds}} s left',
  'files.progress.minutesLeft': 'about {{minutes}} min left',
  'files.progress.hoursLeft': 'about {{hours}} h left',

  // Why a transfer waits or stopped (kept on the transfer, shown in the status line).
  'files.note.connectionDropped': 'The connection dropped.',
  'files.note.encryptionInterrupted': 'Encryption was interrupted.',
  'files.note.decryptionInterrupted': 'Decryption was interrupted.',
  'files.note.uploadKeepsFailing': 'The upload keeps failing.',
  'files.note.uploadKeepsFailingBecause': 'The upload keeps failing ({{reason}}).',
  'files.note.downloadKeepsFailing': 'The download keeps failing.',
  'files.note.downloadKeepsFailingBecause': 'The download keeps failing ({{reason}}).',
  'files.note.notSaved': 'The file could not be saved.',
  'files.note.notSavedBecause': 'The file could not be saved ({{reason}}).',
  'files.note.unreadable': 'The file can’t be read any more (was it moved, changed or deleted?).',
  // Why a download was refused as tampered (the terminal shows these).
  'files.note.tooManyBytes': 'The server sent more bytes than this file has.',
  'files.note.endedEarly': 'The file ended early.',
  'files.note.digestMismatch': 'The file does not match the digest its sender signed.',
  'files.note.sizeMismatch': 'The server’s copy is not the size the sender described.',
} as const satisfies PhraseTable;
