import { PasskeySummary } from './passkeys.service';
import { SecondFactorStatus, TotpSetup } from './second-factor.service';

const WHEN = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const when = (date: Date) => `${WHEN.format(date)} UTC`;

export interface SecurityOverview {
  twoFactor: SecondFactorStatus;
  passkeys: PasskeySummary[];
  emailVerified: boolean;
}

export function securityPage(overview: SecurityOverview) {
  const { twoFactor, passkeys } = overview;
  const left = twoFactor.recoveryCodesLeft;
  return {
    title: 'Security',
    canAddFactors: overview.emailVerified,
    totpEnabled: twoFactor.enabled,
    enabledText: twoFactor.enabledAt ? `Since ${when(twoFactor.enabledAt)}.` : '',
    recoveryCodesLeftText: `${left} recovery code${left === 1 ? '' : 's'} left.${left <= 3 ? ' Get a new set soon.' : ''}`,
    hasPasskeys: passkeys.length > 0,
    passkeys: passkeys.map((p) => ({
      id: p.id,
      name: p.name,
      createdText: when(p.createdAt),
      lastUsedText: p.lastUsedAt ? when(p.lastUsedAt) : 'Never',
    })),
  };
}

export function totpSetupPage(setup: TotpSetup) {
  return {
    title: 'Set up an authenticator app',
    qrDataUrl: setup.qrDataUrl,
    uri: setup.uri,
    // Groups of four are easier to type into an app by hand.
    secretText: setup.secret.replace(/(.{4})/g, '$1 ').trim(),
    values: {},
    errors: {},
  };
}

export function recoveryCodesPage(result: { recovery_codes: string[] }, heading: string) {
  return { title: heading, heading, codes: result.recovery_codes };
}

export function twoFactorOnPage(result: { recovery_codes: string[]; endedSessions: number }) {
  const ended = result.endedSessions;
  return {
    ...recoveryCodesPage(result, 'Two-factor authentication is on'),
    sessionsEndedText:
      ended === 0
        ? 'You were not logged in anywhere else.'
        : `You were logged out everywhere else (${ended} other login${ended === 1 ? '' : 's'}): signing in there again asks for a code.`,
  };
}
