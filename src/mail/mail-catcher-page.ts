import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { CaughtMail, MailCatcher } from './mail-catcher';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
const WHEN = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium', dateStyle: 'short', timeZone: 'UTC' });

/**
 * Mail is shown as its plain-text part, escaped, with http(s) links made
 * clickable. The HTML part is offered in a sandboxed frame without scripts;
 * the page itself runs no script at all (its CSP says so).
 */
function linkify(text: string): string {
  return escape(text).replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Latchkey mail catcher</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
iframe{width:100%;height:28rem;border:1px solid #ddd}.muted{color:#666}</style></head><body>
<p class="muted">Development only: mail the app sent, caught before it left this machine. Newest first, kept in memory.</p>
${body}</body></html>`;
}

function inbox(mails: CaughtMail[]): string {
  const rows = mails
    .map(
      (m) =>
        `<tr><td>${WHEN.format(m.receivedAt)}</td><td>${escape(m.to.join(', '))}</td><td><a href="/mail/${m.id}">${escape(m.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('');
  return layout(
    'Inbox',
    `<h1>Sent mail</h1>${mails.length ? `<table><thead><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>No mail yet. Ask for a password reset or sign up, then reload.</p>'}`,
  );
}

function message(mail: CaughtMail): string {
  return layout(
    mail.subject,
    `<p><a href="/">← All mail</a></p><h1>${escape(mail.subject)}</h1>
<p>From ${escape(mail.from)} to ${escape(mail.to.join(', '))}, ${WHEN.format(mail.receivedAt)} UTC</p>
<h2>Text part</h2><pre>${linkify(mail.text)}</pre>
<h2>HTML part</h2><iframe sandbox title="HTML part" srcdoc="${escape(mail.html)}"></iframe>`,
  );
}

/**
 * The catcher's read-only page on loopback. It is a separate server, not a
 * route of the app, so nothing of it exists in production and no mail is
 * ever readable from the app's own origin.
 */
export async function startMailCatcherPage(catcher: MailCatcher, port = 0): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; img-src data:");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    const id = /^\/mail\/(\d+)$/.exec(req.url ?? '')?.[1];
    const mail = id ? catcher.find(Number(id)) : undefined;
    if (req.method !== 'GET') res.writeHead(405).end();
    else if (req.url === '/') res.end(inbox(catcher.list()));
    else if (mail) res.end(message(mail));
    else res.writeHead(404).end(layout('Not found', '<p>No such message. <a href="/">All mail</a></p>'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
