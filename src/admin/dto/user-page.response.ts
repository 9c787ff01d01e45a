import { ApiProperty } from '@nestjs/swagger';
import { Role, ROLES } from '../../users/schemas/user.schema';
import type { PublicUser } from '../../users/public-user';
import type { UserPage } from '../admin.service';

export class AdminUserResponse implements PublicUser {
  @ApiProperty()
  id: string;

  @ApiProperty()
  username: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles: Role[];

  @ApiProperty()
  disabled: boolean;

  @ApiProperty()
  emailVerified: boolean;

  @ApiProperty({ description: 'Whether two-factor authentication (TOTP) is on.' })
  twoFactor: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class UserPageResponse implements UserPage {
  @ApiProperty({ type: [AdminUserResponse] })
  users: AdminUserResponse[];

  @ApiProperty({ description: 'Users matching the search.' })
  total: number;

  @ApiProperty()
  page: number;

  @ApiProperty()
  pages: number;
}
