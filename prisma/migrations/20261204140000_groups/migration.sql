-- CreateTable
CREATE TABLE "GroupRecord" (
    "roomId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "record" BYTEA NOT NULL,
    "signerId" UUID NOT NULL,
    "action" VARCHAR(16) NOT NULL,
    "epoch" INTEGER NOT NULL,
    "afterSeq" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupRecord_pkey" PRIMARY KEY ("roomId","index")
);

-- AddForeignKey
ALTER TABLE "GroupRecord" ADD CONSTRAINT "GroupRecord_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

