import type { ServerFile } from '@onionchat/contract';

export interface FileRow {
  id: string;
  roomId: string;
  uploaderId: string;
  size: bigint;
  received: bigint;
  status: string;
  createdAt: Date;
  expiresAt: Date | null;
  disappearsAt: Date | null;
}

export function fileView(f: FileRow): ServerFile {
  return {
    id: f.id,
    roomId: f.roomId,
    uploaderId: f.uploaderId,
    size: Number(f.size),
    received: Number(f.received),
    status: fileStatus(f.status),
    createdAt: f.createdAt.toISOString(),
    expiresAt: f.expiresAt?.toISOString() ?? null,
    disappearsAt: f.disappearsAt?.toISOString() ?? null,
  };
}

/** The column is text; only these two values are ever written to it (see FilesRepository). */
function fileStatus(status: string): ServerFile['status'] {
  if (status === 'uploading' || status === 'ready') return status;
  throw new Error(`unknown file status ${JSON.stringify(status)}`);
}
