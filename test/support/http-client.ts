/**
 * A minimal browser stand-in over fetch() for suites that talk to a real
 * app process: a cookie jar, forms with the page's CSRF token, and no
 * automatic redirects so every status can be asserted.
 */
export class HttpClient {
  private readonly jar = new Map<string, string>();
  private csrf = '';

  constructor(readonly baseUrl: string) {}

  async get(path: string, accept = 'text/html'): Promise<Response> {
    const res = await this.send(path, { method: 'GET', headers: { Accept: accept } });
    if (accept.includes('text/html')) {
      const html = await res.clone().text();
      this.csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1] ?? this.csrf;
    }
    return res;
  }

  /** Posts a form with the CSRF token of the last page loaded, like a browser. */
  postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.send(path, {
      method: 'POST',
      headers: { Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, _csrf: this.csrf }).toString(),
    });
  }

  /** Posts JSON as a page script would: cookies plus the X-CSRF-Token header. */
  postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': this.csrf, ...headers },
      body: JSON.stringify(body),
    });
  }

  cookie(namePart: string): string | undefined {
    for (const [name, value] of this.jar) if (name.includes(namePart)) return value;
    return undefined;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { Cookie: cookie } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}
