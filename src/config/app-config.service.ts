import { ConfigService } from '@nestjs/config';
import { AppConfig } from './env.validation';

/** ConfigService typed over AppConfig: `config.get('jwtSecret', { infer: true })` is a string. */
export type AppConfigService = ConfigService<AppConfig, true>;
