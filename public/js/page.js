// Runs on every page (after api.js). Two small improvements; each page works
// without them.
//
// 1. A form sent after the access token expired would reach the server
//    without a valid login. So before a form is sent, one cheap request
//    (GET /profile as JSON, checked from the token alone) lets Latchkey.api
//    renew the session if it has to; then the form goes as the person sent
//    it. Without JavaScript the server shows the refresh interstitial
//    instead and brings the form back (docs/architecture.md).
// 2. <time> elements get their exact time in the reader's own time zone on
//    hover; the server can only write it in UTC.
(function () {
  'use strict';

  function renewThenSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
    // /auth/* forms (log in, sign up, refresh, log out) need no access token.
    if (new URL(form.action, location.href).pathname.indexOf('/auth/') === 0) return;
    if (!window.Latchkey || form.getAttribute('data-renewed') === 'yes') return;
    event.preventDefault();
    // A second press while the check runs must not send the form twice.
    if (form.getAttribute('data-renewing') === 'yes') return;
    form.setAttribute('data-renewing', 'yes');
    var submitter = event.submitter || null;
    var send = function () {
      form.removeAttribute('data-renewing');
      form.setAttribute('data-renewed', 'yes');
      if (submitter) form.requestSubmit(submitter);
      else form.requestSubmit();
    };
    window.Latchkey.api('/profile').then(send, send);
  }

  function localTimes() {
    if (!window.Intl || !Intl.DateTimeFormat) return;
    var exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });
    var times = document.querySelectorAll('time[datetime]');
    for (var i = 0; i < times.length; i++) {
      var date = new Date(times[i].getAttribute('datetime'));
      if (!isNaN(date.getTime())) times[i].title = exact.format(date);
    }
  }

  document.addEventListener('submit', renewThenSubmit);
  localTimes();
})();
