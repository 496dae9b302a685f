// Starts asking for the certificate's live status while the verify page's wasm still downloads:
// the server names the certificate in <meta name="certificate-number"> and its subject in
// <meta name="certificate-name"> (decoded from the QR address), and the page awaits
// window.verifyLive ([status, body]) instead of asking again.
(function () {
  var meta = document.querySelector('meta[name="certificate-number"]');
  var name = document.querySelector('meta[name="certificate-name"]');
  if (!meta || !name || !window.fetch) return;
  var lang = 'zh-CN';
  try { if (localStorage.getItem('portal.lang') === 'en') lang = 'en'; } catch (e) {}
  var url = '/api/v1/certificates/' + meta.content + '?channel=qr&name=' +
    encodeURIComponent(name.content);
  window.verifyLive = fetch(url, {
    headers: { 'Accept-Language': lang },
  }).then(function (r) {
    return r.json().catch(function () { return null; }).then(function (b) { return [r.status, b]; });
  });
  // A rejection is read by the page (offline); never an unhandled one.
  window.verifyLive.catch(function () {});
})();
