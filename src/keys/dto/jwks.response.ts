import { ApiProperty } from '@nestjs/swagger';
import type { PublishedJwk } from '../signing-key-store';

/** One public key (RFC 7517): never a private part. */
export class JwkResponse implements PublishedJwk {
  @ApiProperty({ description: 'The key id that access tokens name in their header.' })
  kid: string;

  @ApiProperty({ enum: ['EC'] })
  kty: string;

  @ApiProperty({ enum: ['P-256'] })
  crv: string;

  @ApiProperty({ description: 'base64url' })
  x: string;

  @ApiProperty({ description: 'base64url' })
  y: string;

  @ApiProperty({ enum: ['ES256'] })
  alg: 'ES256';

  @ApiProperty({ enum: ['sig'] })
  use: 'sig';
}

export class JwksResponse {
  @ApiProperty({ type: [JwkResponse] })
  keys: JwkResponse[];
}
