import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '../../users/schemas/user.schema';
import type { ProfileJson } from '../profile.view';
import type { SessionJson } from '../sessions.view';

export class ProfileResponse implements ProfileJson {
  @ApiProperty({ example: '665f1c2e9b1e8a3d4c5b6a79' })
  id: string;

  @ApiProperty({ example: 'alice' })
  username: string;

  @ApiProperty({ format: 'email', example: 'alice@example.com' })
  email: string;

  @ApiProperty({ description: 'Whether the owner has confirmed the address from a mailed link.' })
  emailVerified: boolean;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['user'] })
  roles: string[];

  @ApiProperty({ format: 'date-time' })
  memberSince: string;
}

/** One active login (refresh-token family) of the caller. */
export class SessionResponse implements SessionJson {
  @ApiProperty({ description: 'The id to revoke it with.' })
  id: string;

  @ApiProperty({ description: 'Whether this is the login making the request.' })
  current: boolean;

  @ApiProperty({ description: 'Browser and system, from the user agent.', example: 'Chrome 126 on Linux' })
  device: string;

  @ApiProperty()
  userAgent: string;

  @ApiProperty({ example: '203.0.113.7' })
  ip: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  lastUsedAt: string;
}

export class PasswordChangedResponse {
  @ApiProperty({ example: 'Password changed.' })
  message: string;

  @ApiProperty({ description: 'How many other logins were ended.', example: 2 })
  endedSessions: number;
}
