-- AlterTable
ALTER TABLE "RoomMember" ADD COLUMN "deliveredSeq" BIGINT NOT NULL DEFAULT 0;
