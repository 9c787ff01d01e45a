import type { Request } from 'express';
import { AuthUser } from '../auth/auth-user';
import { timeView } from '../common/views/time';
import { UserPage } from './admin.service';

/** Everything the admin template shows, precomputed: templates stay free of logic. */
export function usersPage(result: UserPage, req: Request) {
  const currentUrl = req.originalUrl;
  const query = new URL(currentUrl, 'http://latchkey.invalid').searchParams.get('q') ?? '';
  const adminId = (req.user as AuthUser | undefined)?.id;
  const now = new Date();
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
      statusText: user.disabled ? 'Disabled' : 'Active',
    })),
    pageText: `Page ${result.page} of ${result.pages}`,
    previousUrl: result.page > 1 ? link(result.page - 1) : null,
    nextUrl: result.page < result.pages ? link(result.page + 1) : null,
  };
}
