import { defineErrors } from '../common/errors/app-error';

export const AccountErrors = defineErrors({
  WRONG_CURRENT_PASSWORD: { status: 401, message: 'Your current password is not correct.', field: 'currentPassword' },
  PASSWORD_IS_USERNAME: { status: 422, message: 'Password must not be the same as your username.', field: 'newPassword' },
});
