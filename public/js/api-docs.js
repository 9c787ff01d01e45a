// Starts Swagger UI on /api/docs. It lives in its own file because the CSP
// allows scripts from this origin only, never inline ones.
//
// The page is a reader: "Try it out" is off (a browser's cookie-authenticated
// writes would need a CSRF token anyway; API clients use curl or their own
// code), and the online validator badge is off, since it would call a third
// party.
(function () {
  'use strict';

  var root = document.getElementById('swagger-ui');
  window.SwaggerUIBundle({
    url: root.getAttribute('data-document-url'),
    domNode: root,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    supportedSubmitMethods: [],
    validatorUrl: null,
  });
})();
