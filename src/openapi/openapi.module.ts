import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ApiDescription } from './api-description';
import { OpenApiController } from './openapi.controller';

@Module({
  imports: [DiscoveryModule],
  controllers: [OpenApiController],
  providers: [ApiDescription],
})
export class OpenApiModule {}
