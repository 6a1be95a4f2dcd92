export interface FileRow {
  id: string;
  roomId: string;
  uploaderId: string;
  size: bigint;
  received: bigint;
  status: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export function fileView(f: FileRow) {
  return {
    id: f.id,
    roomId: f.roomId,
    uploaderId: f.uploaderId,
    size: Number(f.size),
    received: Number(f.received),
    status: f.status,
    createdAt: f.createdAt.toISOString(),
    expiresAt: f.expiresAt?.toISOString() ?? null,
  };
}
