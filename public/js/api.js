// Latchkey.api(path, options): fetch() for same-origin JSON endpoints.
//
// The access token lives in an HttpOnly cookie that this script can never
// read, which is the point: an XSS bug cannot steal it. The browser attaches
// the cookie itself; this helper adds the CSRF header that proves the call
// comes from our own page, and when the access token has expired (401) it
// renews the session once and retries.
//
// Only one refresh runs at a time across every tab of this site (Web Locks
// API). A tab that waited for the lock first checks whether another tab has
// just refreshed, and then simply retries. Where Web Locks are missing, a
// per-tab single flight is the fallback; the server accepts concurrent
// refreshes with the same token anyway, so the lock saves work, not logins.
(function () {
  'use strict';

  var LOCK_NAME = 'latchkey-refresh';
  var STAMP_KEY = 'latchkey:refreshed-at';
  var inFlight = null;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  function lastRefresh() {
    try {
      return Number(localStorage.getItem(STAMP_KEY)) || 0;
    } catch (e) {
      return 0;
    }
  }

  function markRefreshed() {
    try {
      localStorage.setItem(STAMP_KEY, String(Date.now()));
    } catch (e) {
      // Storage can be off (private mode); the lock still serialises refreshes.
    }
  }

  function postRefresh(since) {
    if (lastRefresh() > since) return Promise.resolve(true);
    return fetch('/auth/refresh', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrfToken() },
    }).then(function (res) {
      if (res.ok) markRefreshed();
      return res.ok;
    });
  }

  function refreshOnce(since) {
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request(LOCK_NAME, function () {
        return postRefresh(since);
      });
    }
    if (!inFlight) {
      inFlight = postRefresh(since).finally(function () {
        inFlight = null;
      });
    }
    return inFlight;
  }

  function api(path, options) {
    options = options || {};
    var startedAt = Date.now();
    var headers = Object.assign(
      { Accept: 'application/json', 'X-CSRF-Token': csrfToken() },
      options.body !== undefined ? { 'Content-Type': 'application/json' } : {},
      options.headers || {},
    );
    var send = function () {
      return fetch(path, Object.assign({}, options, { credentials: 'same-origin', headers: headers }));
    };
    return send().then(function (res) {
      if (res.status !== 401) return res;
      return refreshOnce(startedAt).then(function (renewed) {
        return renewed ? send() : res;
      });
    });
  }

  // refresh(): renews the session once for every tab (the interstitial uses
  // it); resolves false when the session cannot be renewed.
  window.Latchkey = Object.assign(window.Latchkey || {}, {
    api: api,
    refresh: function () {
      return refreshOnce(Date.now());
    },
  });
})();
