import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { JwksResponse } from './dto/jwks.response';
import { SigningKeysService } from './signing-keys.service';

/** A consumer that honours it drops a retired key within the same minute as the instances do. */
export const JWKS_MAX_AGE_SECONDS = 60;

@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get('jwks.json')
  @Header('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
  @ApiOkResponse({
    type: JwksResponse,
    description: 'The public keys of every signing key whose access tokens may still be live; other services verify tokens with these.',
  })
  jwks(): Promise<JwksResponse> {
    return this.keys.jwks();
  }
}
