-- Delivered and read receipts: each member's latest sealed receipt per room, outside
-- the message sequence (PROTOCOL.md §22). It belongs to the membership and goes with it.
CREATE TABLE "Receipt" (
    "roomId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "envelope" BYTEA NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Receipt_pkey" PRIMARY KEY ("roomId","userId")
);

ALTER TABLE "Receipt" ADD CONSTRAINT "Receipt_roomId_userId_fkey" FOREIGN KEY ("roomId", "userId") REFERENCES "RoomMember"("roomId", "userId") ON DELETE CASCADE ON UPDATE CASCADE;
