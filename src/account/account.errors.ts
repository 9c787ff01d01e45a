import { defineErrors } from '../common/errors/app-error';
import { PASSWORD_MESSAGES } from '../users/dto/password.rules';

export const AccountErrors = defineErrors({
  WRONG_CURRENT_PASSWORD: { status: 401, message: 'Your current password is not correct.', field: 'currentPassword' },
  PASSWORD_IS_USERNAME: { status: 422, message: PASSWORD_MESSAGES.sameAsUsername, field: 'newPassword' },
});
