import type { Request } from 'express';

/**
 * Where a browser that is not (or no longer) logged in is sent when it asks
 * for a page. common/ only declares it; the auth feature, which knows its
 * cookies and routes, provides it.
 */
export const SIGN_IN_REDIRECT = Symbol('SIGN_IN_REDIRECT');

export type SignInRedirect = (req: Request) => string;
