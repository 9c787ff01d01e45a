// The profile page's live list of sessions, fetched through Latchkey.api.
// Without JavaScript the list stays hidden and the link to the sessions page
// below it does the job.
// Text is set with textContent, never innerHTML, so a hostile user agent
// string cannot inject markup.
(function () {
  'use strict';

  var list = document.getElementById('live-sessions');
  if (!list || !window.Latchkey) return;

  function item(text) {
    var li = document.createElement('li');
    li.textContent = text;
    return li;
  }

  window.Latchkey.api('/account/sessions')
    .then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    })
    .then(function (sessions) {
      list.replaceChildren.apply(
        list,
        sessions.map(function (s) {
          return item(s.device + ' · ' + s.ip + (s.current ? ' · this device' : ''));
        }),
      );
      list.setAttribute('data-loaded', String(sessions.length));
      list.hidden = false;
    })
    .catch(function () {
      list.replaceChildren(item('Could not load your sessions. Reload the page to try again.'));
      list.setAttribute('data-loaded', 'error');
      list.hidden = false;
    });
})();
