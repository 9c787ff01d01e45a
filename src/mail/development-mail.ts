import { AppConfig } from '../config/env.validation';
import { MailCatcher } from './mail-catcher';
import { startMailCatcherPage } from './mail-catcher-page';

/** MailDev's well-known ports, so a bookmark keeps working; any free port when taken. */
const SMTP_PORT = 1025;
const PAGE_PORT = 1080;

/**
 * SMTP_URL when set; otherwise (never in production: loadConfig refuses it)
 * the development mail catcher, started now, in this process, on loopback.
 * It lives as long as the app and keeps mail in memory only.
 */
export async function resolveMail(config: AppConfig, log: (line: string) => void): Promise<AppConfig> {
  if (config.smtpUrl) return config;
  const catcher = await firstFreePort((port) => new MailCatcher().start(port), SMTP_PORT);
  const page = await firstFreePort((port) => startMailCatcherPage(catcher, port), PAGE_PORT);
  log(`SMTP_URL is not set: started the development mail catcher; read sent mail at ${page.url}`);
  return { ...config, smtpUrl: catcher.smtpUrl, mailCatcherUrl: page.url };
}

async function firstFreePort<T>(start: (port: number) => Promise<T>, preferred: number): Promise<T> {
  try {
    return await start(preferred);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return start(0);
  }
}
