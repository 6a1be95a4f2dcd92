// What the fake servers of the group tests file: records with the message count they
// came after, and room keys wrapped by one member for another.

export interface FiledRecord {
  index: number;
  record: Uint8Array;
  afterSeq: number;
}

export interface FiledKey {
  epoch: number;
  wrapperId: string;
  memberId: string;
  record: string;
}
