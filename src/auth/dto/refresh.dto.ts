import { IsOptional, IsString } from 'class-validator';

export class RefreshDto {
  /** API clients send it here; browsers send the refresh cookie instead. */
  @IsOptional() @IsString()
  refresh_token?: string;

  /** The interstitial form's destination after refreshing. */
  @IsOptional() @IsString()
  next?: string;
}
