import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody } from '../common/http/describe-exception';

/** The body of every error a JSON client gets (see describeException). */
export class ErrorResponse implements ErrorBody {
  @ApiProperty({ description: 'The HTTP status, repeated.', example: 422 })
  statusCode: number;

  @ApiProperty({ description: 'What went wrong, in words a person can act on.', example: 'Password must be at least 8 characters.' })
  message: string;

  @ApiPropertyOptional({
    description: 'One message per field at fault, keyed by the field name (validation and form errors).',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { newPassword: 'Password must be at least 8 characters.' },
  })
  errors?: Record<string, string>;
}
