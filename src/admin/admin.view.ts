import type { Request } from 'express';
import { UserPage } from './admin.service';

const DAY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** Everything the admin template shows, precomputed: templates stay free of logic. */
export function usersPage(result: UserPage, req: Request) {
  const currentUrl = req.originalUrl;
  const query = new URL(currentUrl, 'http://latchkey.invalid').searchParams.get('q') ?? '';
  const link = (page: number) => `/admin/users?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(page) })}`;
  return {
    title: 'Users',
    query,
    returnTo: currentUrl,
    total: result.total,
    users: result.users.map((user) => ({
      ...user,
      rolesText: user.roles.join(', '),
      createdText: DAY.format(user.createdAt),
      statusText: user.disabled ? 'Disabled' : 'Active',
      twoFactorText: user.twoFactor ? 'On' : 'Off',
      verifiedText: user.emailVerified ? 'Yes' : 'No',
    })),
    pageText: `Page ${result.page} of ${result.pages}`,
    previousUrl: result.page > 1 ? link(result.page - 1) : null,
    nextUrl: result.page < result.pages ? link(result.page + 1) : null,
  };
}
