// The refresh interstitial: renew the session with the same form a person
// without JavaScript presses once. A form POST keeps this working under a
// strict CSP and needs no token handling in script.
document.getElementById('refresh-form')?.requestSubmit();
