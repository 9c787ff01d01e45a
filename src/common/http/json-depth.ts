import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Keys that name an object's prototype machinery. JSON.parse makes them
 * ordinary own properties, and validation would drop them without a word;
 * no form or API field here is called that, so a body carrying one is
 * refused as clearly as any other unknown field (OWASP Prototype Pollution
 * Prevention Cheat Sheet).
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * No form or API body here nests more than a couple of levels. A deeply
 * nested one is an attempt to make validation or a query recurse, so it is
 * refused right after parsing, before any work is spent on it, as is one
 * with a reserved key at any depth.
 */
export function limitJsonDepth(maxDepth: number) {
  return (req: Request, _res: Response, next: NextFunction) => {
    next(checkShape(req.body, maxDepth));
  };
}

function checkShape(value: unknown, maxDepth: number): BadRequestException | undefined {
  // Iterative, so measuring a hostile body cannot itself overflow the stack.
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) return new BadRequestException(`The request body is nested more than ${maxDepth} levels deep.`);
    for (const key of Object.keys(node)) {
      if (RESERVED_KEYS.has(key)) return new BadRequestException(`property ${key} should not exist`);
      stack.push([(node as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

/**
 * The JSON parser's own message quotes the body it choked on, which may be a
 * password; Nest would pass it to the client verbatim. This replaces it
 * before it gets there.
 */
export function hideParserDetails(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const type = (error as { type?: string } | null)?.type;
  next(type === 'entity.parse.failed' ? new BadRequestException('The request body is not valid JSON.') : error);
}
