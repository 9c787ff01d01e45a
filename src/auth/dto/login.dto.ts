import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';

/** Credentials are checked by LocalStrategy before this DTO is validated. */
export class LoginDto {
  @ApiProperty({ description: 'Username or email address.', example: 'demo' })
  @IsString()
  username: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  password: string;

  @ApiPropertyOptional({ description: 'Form login only: the local path to go on to.', example: '/profile' })
  @IsOptional()
  @IsString()
  next?: string;

  /** The login form's checkbox: present ("on") when ticked. */
  @ApiPropertyOptional({ description: 'Form login only: keep the cookies after the browser closes.', enum: ['on', 'true', '1'] })
  @IsOptional()
  @IsIn(['on', 'true', '1'])
  remember?: string;
}
