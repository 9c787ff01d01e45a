import { SetMetadata } from '@nestjs/common';

export const IS_SENSITIVE_KEY = 'isSensitive';

/**
 * The route checks the caller's login against the database on every
 * request, so a session ended elsewhere stops working here at once instead
 * of when its access token expires (ASVS 7.4.1; docs/architecture.md).
 */
export const Sensitive = () => SetMetadata(IS_SENSITIVE_KEY, true);
