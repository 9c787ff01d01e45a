import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';


/**
 * No form or API body here nests more than a couple of levels. A deeply
 * nested one is an attempt to make validation or a query recurse, so it is
 * refused right after parsing, before any work is spent on it.
 */
export function limitJsonDepth(maxDepth: number) {
  return (req: Request, _res: Response, next: NextFunction) => {
    next(depthExceeds(req.body, maxDepth) ? new BadRequestException(`The request body is nested more than ${maxDepth} levels deep.`) : undefined);
  };
}

function depthExceeds(value: unknown, maxDepth: number): boolean {
  // Iterative, so measuring a hostile body cannot itself overflow the stack.
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
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
