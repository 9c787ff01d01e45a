import { defineErrors } from '../common/errors/app-error';

export const AdminErrors = defineErrors({
  NO_SUCH_USER: { status: 404, message: 'No such user.' },
  /** Locking yourself out is never what an admin means to do. */
  CANNOT_DISABLE_SELF: { status: 409, message: 'You cannot disable your own account.' },
});
