-- Erasing a message on its sender's request: the envelope is emptied and "erasedAt" set;
-- the row keeps its sequence number so the room's numbering and sender counters stay whole.
ALTER TABLE "Message" ADD COLUMN "erasedAt" TIMESTAMP(3);
