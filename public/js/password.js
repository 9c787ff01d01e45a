// Password fields (views/partials/field.hbs): a show/hide button, and, on
// fields marked data-strength (new passwords), a strength meter.
//
// The meter uses zxcvbn-ts, served from this origin (/vendor/…), and loads
// it only when someone starts typing a new password: about 500 kB that no
// other page, and no one who never types here, pays for.
(function () {
  'use strict';

  function setUpToggle(button) {
    var input = document.getElementById(button.getAttribute('data-password-toggle'));
    if (!input) return;
    var status = document.querySelector('[data-password-status="' + input.id + '"]');
    button.hidden = false;
    button.addEventListener('click', function () {
      var show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.textContent = button.getAttribute(show ? 'data-hide' : 'data-show');
      button.setAttribute('aria-label', button.getAttribute(show ? 'data-hide-label' : 'data-show-label'));
      if (status) status.textContent = button.getAttribute(show ? 'data-shown' : 'data-hidden');
    });
    // Never send or let the browser store a password while it is shown as text.
    if (input.form) {
      input.form.addEventListener('submit', function () {
        input.type = 'password';
      });
    }
  }

  var zxcvbn = null;
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  function estimator() {
    if (!zxcvbn) {
      zxcvbn = loadScript('/vendor/zxcvbn-core.js')
        .then(function () {
          return loadScript('/vendor/zxcvbn-language-common.js');
        })
        .then(function () {
          var lib = window.zxcvbnts;
          var common = lib['language-common'];
          return new lib.core.ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
        });
    }
    return zxcvbn;
  }

  function setUpMeter(input) {
    var meter = document.getElementById(input.getAttribute('data-strength'));
    if (!meter) return;
    var labels = meter.getAttribute('data-labels').split('|');
    var text = meter.querySelector('.strength__text');
    var latest = 0;
    var timer = null;
    function update() {
      var password = input.value;
      var ticket = ++latest;
      if (!password) {
        meter.hidden = true;
        return;
      }
      estimator()
        .then(function (z) {
          var others = Array.prototype.map.call(
            input.form.querySelectorAll('input[autocomplete="username"], input[autocomplete="email"]'),
            function (field) {
              return field.value;
            },
          );
          return z.check(password, others.filter(Boolean));
        })
        .then(function (result) {
          if (ticket !== latest) return;
          meter.hidden = false;
          meter.setAttribute('data-score', String(result.score));
          var words = meter.getAttribute('data-label') + ' ' + labels[result.score] + '.';
          if (result.feedback && result.feedback.warning === 'common') words += ' ' + meter.getAttribute('data-common');
          text.textContent = words;
        })
        .catch(function () {
          meter.hidden = true;
        });
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      // Quiet while typing: screen readers hear the verdict once, not per key.
      timer = setTimeout(update, 300);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-password-toggle]'), setUpToggle);
  Array.prototype.forEach.call(document.querySelectorAll('input[data-strength]'), setUpMeter);
})();
