import type { CDPSession, Page } from '@playwright/test';

/**
 * WebAuthn needs a relying-party ID that is a host name, not an IP address:
 * passkey tests open the pages on localhost, which is APP_URL's default
 * (http://localhost:$PORT) and a secure context without TLS. The mail
 * fixture opens them there already, and brings the mailbox an account needs
 * to verify its address before it may add a passkey.
 */
export { test } from './mail';

/**
 * A virtual platform authenticator in Chromium through the DevTools protocol:
 * CTAP2, built in ("internal"), holding resident keys (passkeys), and with
 * user verification that always succeeds, like a fingerprint that matches.
 * The same set-up as Ory Kratos' Playwright fixture.
 */
export async function addVirtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

export async function credentialsOn(cdp: CDPSession, authenticatorId: string) {
  return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
}

/**
 * Chromium's virtual authenticator answers the login page's autofill request
 * (conditional UI) at once, without a person choosing the passkey. Tests of
 * the button turn autofill detection off first, so only the button signs in.
 */
export async function withoutPasskeyAutofill(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (window.PublicKeyCredential) window.PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);
  });
}
