import { IsIn, IsOptional, IsString } from 'class-validator';

/** Credentials are checked by LocalStrategy before this DTO is validated. */
export class LoginDto {
  @IsString()
  username: string;

  @IsString()
  password: string;

  @IsOptional() @IsString()
  next?: string;

  /** The login form's checkbox: present ("on") when ticked. */
  @IsOptional() @IsIn(['on', 'true', '1'])
  remember?: string;
}
