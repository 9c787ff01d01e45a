// A service that trusts Latchkey's access tokens with nothing but the public
// keys Latchkey publishes: no secret, no call to Latchkey per request.
'use strict';
const { createPublicKey, verify } = require('node:crypto');
const http = require('node:http');

/** Latchkey's APP_URL: the tokens' issuer, and where its JWKS lives. */
const ISSUER = (process.env.LATCHKEY_URL || 'http://localhost:3000').replace(/\/$/, '');
const PORT = Number(process.env.PORT || 4000);
/** Keys are kept as long as the JWKS's max-age allows, or less if this says so. */
const MAX_CACHE_MS = Number(process.env.JWKS_CACHE_SECONDS || Infinity) * 1000;
/** Fetch at most this often, so tokens with made-up kids cannot turn this service against Latchkey. */
const REFETCH_GAP_MS = 1000;

let cache = { keys: new Map(), until: 0 };
let lastFetch = 0;

async function fetchKeys() {
  const res = await fetch(`${ISSUER}/.well-known/jwks.json`);
  if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
  const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('cache-control') || '')?.[1] || 0) * 1000;
  const { keys } = await res.json();
  const usable = keys.filter((k) => k.alg === 'ES256' && k.use === 'sig');
  return {
    keys: new Map(usable.map((k) => [k.kid, createPublicKey({ key: k, format: 'jwk' })])),
    until: Date.now() + Math.min(maxAge, MAX_CACHE_MS),
  };
}

/** A new kid (Latchkey rotated) or an expired cache (a key may have been retired) means: ask again. */
async function keyFor(kid) {
  const now = Date.now();
  if ((now >= cache.until || !cache.keys.has(kid)) && now - lastFetch >= REFETCH_GAP_MS) {
    lastFetch = now;
    // Latchkey unreachable: keep judging with the keys already known.
    cache = await fetchKeys().catch(() => cache);
  }
  return cache.keys.get(kid);
}

const json = (segment) => {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
};

/** The token's subject (the user id) when Latchkey signed it and it is a live access token; otherwise undefined. */
async function subjectOf(token) {
  const [header, payload, signature] = token.split('.');
  const h = json(header || '');
  const claims = json(payload || '');
  // Only ES256, and only with a key from the JWKS: never `none`, never an HMAC keyed with a public key.
  if (!signature || !claims || h?.alg !== 'ES256' || typeof h.kid !== 'string') return undefined;
  const key = await keyFor(h.kid);
  const data = Buffer.from(`${header}.${payload}`);
  if (!key || !verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))) return undefined;
  const now = Date.now() / 1000;
  const live = typeof claims.exp === 'number' && claims.exp > now && !(typeof claims.nbf === 'number' && claims.nbf > now);
  return live && claims.iss === ISSUER && claims.typ === 'access' && typeof claims.sub === 'string' ? claims.sub : undefined;
}

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/hello') return send(res, 404, { error: 'not found' });
  const token = /^Bearer (\S+)$/i.exec(req.headers.authorization || '')?.[1];
  (token ? subjectOf(token) : Promise.resolve(undefined)).then(
    (sub) => (sub ? send(res, 200, { hello: sub }) : send(res, 401, { error: 'a valid Latchkey access token is required' })),
    () => send(res, 401, { error: 'a valid Latchkey access token is required' }),
  );
});
server.listen(PORT, '127.0.0.1', () => console.log(`Resource server on http://127.0.0.1:${server.address().port}, trusting ${ISSUER}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
