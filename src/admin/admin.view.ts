import type { Request } from 'express';
import { AuthUser } from '../auth/auth-user';
import { confirmPage } from '../common/views/confirm.view';
import { timeView } from '../common/views/time';
import { PublicUser } from '../users/public-user';
import { UserPage } from './admin.service';

/** Everything the admin template shows, precomputed: templates stay free of logic. */
export function usersPage(result: UserPage, req: Request) {
  const currentUrl = req.originalUrl;
  const query = new URL(currentUrl, 'http://latchkey.invalid').searchParams.get('q') ?? '';
  const adminId = (req.user as AuthUser | undefined)?.id;
  const now = new Date();
  const confirmQuery = `?${new URLSearchParams({ returnTo: currentUrl })}`;
  const link = (page: number) => `/admin/users?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(page) })}`;
  return {
    title: 'Users',
    query,
    returnTo: currentUrl,
    total: result.total,
    users: result.users.map((user) => ({
      ...user,
      rolesText: user.roles.join(', '),
      created: timeView(user.createdAt, now),
      // An admin cannot disable themselves (AdminService), so their own row offers no such button.
      self: user.id === adminId,
      disableHref: `/admin/users/${user.id}/disable${confirmQuery}`,
      revokeSessionsHref: `/admin/users/${user.id}/revoke-sessions${confirmQuery}`,
      statusText: user.disabled ? 'Disabled' : 'Active',
      twoFactorText: user.twoFactor ? 'On' : 'Off',
      verifiedText: user.emailVerified ? 'Yes' : 'No',
    })),
    pageText: `Page ${result.page} of ${result.pages}`,
    previousUrl: result.page > 1 ? link(result.page - 1) : null,
    nextUrl: result.page < result.pages ? link(result.page + 1) : null,
  };
}

export function confirmDisablePage(user: PublicUser, returnTo: string) {
  return confirmPage({
    question: `Disable ${user.username}?`,
    details: `${user.username} will be logged out everywhere at once and will not be able to log in until an admin enables the account again.`,
    action: `/admin/users/${user.id}/disable`,
    fields: { returnTo },
    confirmLabel: `Disable ${user.username}`,
    cancelHref: returnTo,
  });
}

export function confirmRevokeSessionsPage(user: PublicUser, returnTo: string) {
  return confirmPage({
    question: `End all of ${user.username}’s sessions?`,
    details: `${user.username} will be logged out on every device, and can log in again with their password.`,
    action: `/admin/users/${user.id}/revoke-sessions`,
    fields: { returnTo },
    confirmLabel: 'End all sessions',
    cancelHref: returnTo,
  });
}
