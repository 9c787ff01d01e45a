import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

export class RefreshDto {
  /** API clients send it here; browsers send the refresh cookie instead. */
  @ApiPropertyOptional({
    description: 'API clients: the refresh_token of the last login or refresh. Browsers omit it and send the refresh cookie.',
  })
  @IsOptional()
  @IsString()
  refresh_token?: string;

  /** The interstitial form's destination after refreshing. */
  @ApiPropertyOptional({ description: 'Form refresh only: the local path to go on to.', example: '/profile' })
  @IsOptional()
  @IsString()
  next?: string;
}
