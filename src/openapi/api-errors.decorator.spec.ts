import { DECORATORS } from '@nestjs/swagger';
import { ApiErrors, errorBody } from './api-errors.decorator';

class Richer {}
const CATALOGUE_ENTRY = { status: 401, message: 'Wrong code.' };

function responsesOf(decorator: MethodDecorator): Record<string, { description: string; schema: object }> {
  class Host {
    handler() {}
  }
  const descriptor = Object.getOwnPropertyDescriptor(Host.prototype, 'handler')!;
  decorator(Host.prototype, 'handler', descriptor);
  return Reflect.getMetadata(DECORATORS.API_RESPONSE, descriptor.value as object) as Record<
    string,
    { description: string; schema: object }
  >;
}

describe('ApiErrors', () => {
  it('catalogue entries - grouped by status, their messages quoted, the ErrorResponse schema', () => {
    const responses = responsesOf(ApiErrors(CATALOGUE_ENTRY, { status: 401, message: 'Too old.' }, 503));
    expect(Object.keys(responses).sort()).toEqual(['401', '503']);
    expect(responses[401].description).toContain('"Wrong code.", "Too old."');
    expect(responses[401].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
  });

  it('a body of its own - that status is ErrorResponse or it, and says when', () => {
    const responses = responsesOf(ApiErrors(CATALOGUE_ENTRY, errorBody(401, Richer, 'a second step is owed'), 503));
    expect(responses[401].schema).toEqual({
      anyOf: [{ $ref: '#/components/schemas/ErrorResponse' }, { $ref: '#/components/schemas/Richer' }],
    });
    expect(responses[401].description).toContain('"Wrong code."');
    expect(responses[401].description).toContain('When a second step is owed: the Richer body.');
    expect(responses[503].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
  });
});
