import { defineErrors } from '../common/errors/app-error';

export const UsersErrors = defineErrors({
  USERNAME_TAKEN: { status: 409, message: 'That username is taken.', field: 'username' },
  EMAIL_TAKEN: { status: 409, message: 'An account with that email already exists.', field: 'email' },
});
