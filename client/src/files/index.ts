// File transfers: the public names of client/src/files.

export {
  FileTransfers,
  MAX_FAILURES,
  type DownloadPhase,
  type DownloadView,
  type FileSource,
  type FileTransfersOptions,
  type Progress,
  type RemoteStatus,
  type TransferHooks,
  type UploadPhase,
  type UploadView,
} from './transfers.js';
export { FileCrypto, type CryptoMode, type FileCryptoOptions, type FileWorker } from './file-crypto.js';
export { serveFileEngine, type FileEngineScope } from './file-engine-worker.js';
export {
  EngineError,
  FileEngine,
  type EngineErrorKind,
  type EngineOptions,
  type EngineRequest,
  type EngineResult,
} from './file-engine.js';
export type { FileSink } from './sink.js';
/** The page's FileSink (document, blob: URLs): for the web app only. */
export { browserFileSink } from './browser-sink.js';
export {
  AUTO_PREVIEW_MAX_BYTES,
  PREVIEW_MAX_BYTES,
  SpeedMeter,
  downloadName,
  fileKind,
  formatBytes,
  formatSpeed,
  formatTimeLeft,
  previewable,
  type Clock,
  type FileKind,
} from './file-info.js';
