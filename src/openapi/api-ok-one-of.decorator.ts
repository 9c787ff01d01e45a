import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/** A 200 whose body is one of several response classes, depending on how the client called. */
export const ApiOkOneOf = (description: string, ...types: Type[]) =>
  applyDecorators(
    ApiExtraModels(...types),
    ApiOkResponse({ description, schema: { oneOf: types.map((type) => ({ $ref: getSchemaPath(type) })) } }),
  );
