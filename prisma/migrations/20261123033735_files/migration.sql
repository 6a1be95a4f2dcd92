-- CreateTable
CREATE TABLE "StoredFile" (
    "id" UUID NOT NULL,
    "roomId" UUID NOT NULL,
    "uploaderId" UUID NOT NULL,
    "size" BIGINT NOT NULL,
    "received" BIGINT NOT NULL DEFAULT 0,
    "status" VARCHAR(16) NOT NULL DEFAULT 'uploading',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "readyAt" TIMESTAMP(3),

    CONSTRAINT "StoredFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StoredFile_roomId_idx" ON "StoredFile"("roomId");

-- CreateIndex
CREATE INDEX "StoredFile_uploaderId_idx" ON "StoredFile"("uploaderId");

-- CreateIndex
CREATE INDEX "StoredFile_status_expiresAt_idx" ON "StoredFile"("status", "expiresAt");

-- AddForeignKey
ALTER TABLE "StoredFile" ADD CONSTRAINT "StoredFile_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoredFile" ADD CONSTRAINT "StoredFile_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
