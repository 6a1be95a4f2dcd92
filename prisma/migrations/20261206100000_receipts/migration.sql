-- Delivered and read receipts: each member's latest sealed receipt per room, outside
-- the message sequence (PROTOCOL.md §22).
CREATE TABLE "Receipt" (
    "roomId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "envelope" BYTEA NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Receipt_pkey" PRIMARY KEY ("roomId","userId")
);

ALTER TABLE "Receipt" ADD CONSTRAINT "Receipt_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Receipt" ADD CONSTRAINT "Receipt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
