import { applyDecorators, SetMetadata } from '@nestjs/common';
import { Role } from '../../users/schemas/user.schema';
import { Sensitive } from './sensitive.decorator';

export const ROLES_KEY = 'roles';

/** Only callers holding one of these roles pass; role-gated pages are always sensitive. */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), Sensitive());
