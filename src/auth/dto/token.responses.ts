import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { tokenResponse } from '../token-response';

/** The body of a JSON login or API refresh (RFC 6749 §5.1), as tokenResponse() builds it. */
export class TokenPairResponse implements ReturnType<typeof tokenResponse> {
  @ApiProperty({ description: 'A JWT to send as `Authorization: Bearer <access_token>`.' })
  access_token: string;

  @ApiProperty({ description: 'Single use: POST it to /auth/refresh for a new pair.' })
  refresh_token: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires.', example: 300 })
  expires_in: number;

  @ApiPropertyOptional({
    description:
      'After a login or sign-up, not a refresh: send it back as the `Device-Token` header of your next logins to this account, so strangers exhausting its login limit do not lock this client out. No access to anything.',
  })
  device_token?: string;
}

/** The body of a browser's refresh: the new tokens went into cookies. */
export class CookieRefreshResponse {
  @ApiProperty({ description: 'Seconds until the new access token expires.', example: 300 })
  expires_in: number;
}
