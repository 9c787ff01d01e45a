import { UAParser } from 'ua-parser-js';
import { ActiveSession } from '../sessions/sessions.service';

export interface SessionJson {
  id: string;
  current: boolean;
  device: string;
  userAgent: string;
  ip: string;
  createdAt: string;
  lastUsedAt: string;
}

/** "Chrome 156 on Linux", or a plain fallback for clients that say little (curl). */
export function describeDevice(userAgent: string): string {
  const { browser, os } = new UAParser(userAgent).getResult();
  const name = [browser.name, browser.major].filter(Boolean).join(' ');
  const system = [os.name, os.version].filter(Boolean).join(' ');
  if (name && system) return `${name} on ${system}`;
  return name || system || (userAgent ? userAgent.slice(0, 60) : 'Unknown device');
}

export function toSessionJson(session: ActiveSession, currentId: string): SessionJson {
  return {
    id: session.id,
    current: session.id === currentId,
    device: describeDevice(session.userAgent),
    userAgent: session.userAgent,
    ip: session.ip,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
  };
}

const WHEN = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function sessionsPage(sessions: SessionJson[]) {
  const rows = sessions.map((s) => ({
    ...s,
    createdText: `${WHEN.format(new Date(s.createdAt))} UTC`,
    lastUsedText: `${WHEN.format(new Date(s.lastUsedAt))} UTC`,
    actionLabel: s.current ? 'Log out' : 'End session',
  }));
  return { title: 'Your sessions', sessions: rows, hasOthers: rows.some((row) => !row.current) };
}
