// Validates a request body against a zod schema and answers 400 with the first
// problems in plain words.
import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { badRequest } from './api-error.js';

export class ZodBody<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.infer<T> {
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.slice(0, 3).map((issue) => {
      const field = issue.path.join('.');
      return field ? `${field}: ${issue.message}` : issue.message;
    });
    throw badRequest(problems.join('; '));
  }
}
