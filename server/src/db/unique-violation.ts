// A write refused because it would duplicate a unique key (Prisma's P2002): for the
// services that turn a lost race or a taken name into a 409.
import { Prisma } from '@onionchat/db';

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
