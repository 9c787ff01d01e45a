import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsAcceptablePassword } from '../../users/dto/password.rules';

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString({ message: 'Enter your current password.' })
  @MaxLength(1024, { message: 'Enter your current password.' })
  currentPassword: string;

  @IsAcceptablePassword()
  newPassword: string;
}
