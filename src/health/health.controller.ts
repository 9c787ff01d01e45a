import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/decorators/public.decorator';

/** For orchestrators: liveness restarts a stuck process, readiness routes traffic away during an outage. */
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
  ) {}

  /** Alive: the event loop answers. Deliberately no dependencies, so a database outage never restarts the app. */
  @Get('healthz')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Ready: the database answers a ping; 503 otherwise. */
  @Get('readyz')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.mongoose.pingCheck('database', { timeout: 1_500 })]);
  }
}
