// The refresh interstitial. With JavaScript, renew the session through
// Latchkey.refresh(), which lets only one tab refresh at a time (several
// restored tabs would otherwise all rotate the same token at once), then go
// on to `next`. Without JavaScript, or if the script cannot run its course,
// the form is there: one press does the same.
(function () {
  'use strict';

  var form = document.getElementById('refresh-form');
  if (!form) return;
  var next = form.elements.namedItem('next').value;

  if (!window.Latchkey || !window.Latchkey.refresh) {
    form.requestSubmit();
    return;
  }
  window.Latchkey.refresh().then(
    function (renewed) {
      location.replace(renewed ? next : '/auth/login?next=' + encodeURIComponent(next));
    },
    function () {
      form.requestSubmit();
    },
  );
})();
