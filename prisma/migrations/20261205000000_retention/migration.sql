-- Disappearing messages and files: deleted, and no longer served, after "disappearsAt".
ALTER TABLE "Message" ADD COLUMN "disappearsAt" TIMESTAMP(3);
ALTER TABLE "StoredFile" ADD COLUMN "disappearsAt" TIMESTAMP(3);

CREATE INDEX "Message_disappearsAt_idx" ON "Message"("disappearsAt");
CREATE INDEX "Message_createdAt_idx" ON "Message"("createdAt");
CREATE INDEX "StoredFile_disappearsAt_idx" ON "StoredFile"("disappearsAt");
CREATE INDEX "StoredFile_createdAt_idx" ON "StoredFile"("createdAt");

-- A used invite is deleted, so no row says who invited whom (the ones already used go now).
DELETE FROM "Invite" WHERE "usedAt" IS NOT NULL;
ALTER TABLE "Invite" DROP CONSTRAINT "Invite_usedById_fkey";
DROP INDEX "Invite_usedById_key";
ALTER TABLE "Invite" DROP COLUMN "usedById", DROP COLUMN "usedAt";
