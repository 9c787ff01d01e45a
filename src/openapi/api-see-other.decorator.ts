import { ApiResponse } from '@nestjs/swagger';

/**
 * Documents the 303 of a handler that returns seeOther(): where the client is
 * sent after the POST (every client, unless the handler gives a JSON answer).
 */
export const ApiSeeOther = (description: string) =>
  ApiResponse({
    status: 303,
    description,
    headers: { Location: { description: 'Where to go next: a local path.', schema: { type: 'string' } } },
  });
