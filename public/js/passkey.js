// Passkeys (WebAuthn) for the login, security and re-authentication pages,
// with SimpleWebAuthnBrowser served from /vendor (this origin, like every
// script: the CSP allows no other). Every passkey control starts `hidden`
// and is shown only here, where the browser supports WebAuthn; without
// JavaScript nothing about passkeys appears and the forms work as ever.
(function () {
  'use strict';

  var lib = window.SimpleWebAuthnBrowser;
  if (!lib || !lib.browserSupportsWebAuthn()) return;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
      body: JSON.stringify(body || {}),
    }).then(function (res) {
      return res
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          if (res.ok) return data;
          var error = new Error(data.message || 'Something went wrong.');
          error.body = data;
          throw error;
        });
    });
  }

  function show(box, onClick) {
    var button = box.querySelector('button');
    var message = box.querySelector('[data-passkey-error]');
    box.hidden = false;
    button.addEventListener('click', function () {
      message.textContent = '';
      button.disabled = true;
      onClick()
        .catch(function (error) {
          // Past the re-authentication window: prove it is you, then come back.
          if (error.body && error.body.error === 'reauth_required') {
            location.assign('/auth/reauth?next=' + encodeURIComponent(location.pathname));
            return;
          }
          message.textContent = error.name === 'NotAllowedError' ? 'The passkey prompt was closed or timed out.' : error.message;
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  }

  function signIn(optionsPath, verifyPath, extra, useAutofill) {
    return post(optionsPath)
      .then(function (optionsJSON) {
        return lib.startAuthentication({ optionsJSON: optionsJSON, useBrowserAutofill: useAutofill });
      })
      .then(function (response) {
        return post(verifyPath, Object.assign({ response: response }, extra));
      })
      .then(function (result) {
        location.assign(result.next || '/profile');
      });
  }

  var login = document.querySelector('[data-passkey="login"]');
  if (login) {
    var next = login.getAttribute('data-next') || '/profile';
    show(login, function () {
      return signIn('/auth/passkey/options', '/auth/passkey/login', { next: next }, false);
    });
    // Conditional UI: passkeys offered in the username field's autofill
    // (autocomplete="username webauthn"). A click on the button cancels it.
    lib.browserSupportsWebAuthnAutofill().then(function (supported) {
      if (supported) signIn('/auth/passkey/options', '/auth/passkey/login', { next: next }, true).catch(function () {});
    });
  }

  var reauth = document.querySelector('[data-passkey="reauth"]');
  if (reauth) {
    show(reauth, function () {
      return signIn('/auth/reauth/passkey/options', '/auth/reauth/passkey', { next: reauth.getAttribute('data-next') }, false);
    });
  }

  var register = document.querySelector('[data-passkey="register"]');
  if (register) {
    show(register, function () {
      var name = document.getElementById('passkey-name').value;
      return post('/account/passkeys/options')
        .then(function (optionsJSON) {
          return lib.startRegistration({ optionsJSON: optionsJSON });
        })
        .then(function (response) {
          return post('/account/passkeys', { name: name, response: response });
        })
        .then(function () {
          location.assign('/account/security');
        });
    });
  }
})();
