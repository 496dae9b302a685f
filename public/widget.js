/*! 执行公开 · credit-check widget loader. Two lines on a partner page:
 *  <div id="credit-check"></div>   (optional: where to put it; else right after the script)
 *  <script src="https://PORTAL/widget.js" data-partner="PARTNER_ID" async></script>
 * It frames PORTAL/embed/check, fits the frame to its content, and re-announces each result to the
 * host page as a `credit-check:result` DOM event (on the frame, bubbling) and a window message.
 * Only { type, status, check_id } is ever passed on. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var portal = new URL(script.src).origin;
  var partner = script.getAttribute('data-partner') || '';
  var lang = script.getAttribute('data-lang') || document.documentElement.lang || 'zh-CN';
  var target = document.getElementById(script.getAttribute('data-target') || 'credit-check');

  var frame = document.createElement('iframe');
  frame.src = portal + '/embed/check?partner=' + encodeURIComponent(partner) +
    '&host=' + encodeURIComponent(window.location.origin) + '&lang=' + encodeURIComponent(lang);
  frame.title = /^en/i.test(lang) ? 'Dishonest-debtor check' : '失信被执行人核查';
  frame.setAttribute('referrerpolicy', 'strict-origin');
  frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
  frame.style.cssText = 'display:block;width:100%;max-width:36rem;height:26rem;border:1px solid #c9ced6;border-radius:12px;background:#fff';
  if (target) target.appendChild(frame);
  else script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener('message', function (event) {
    if (event.origin !== portal || event.source !== frame.contentWindow) return;
    var m = event.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'credit-check:resize' && typeof m.height === 'number' && m.height > 0 && m.height < 5000) {
      frame.style.height = Math.ceil(m.height) + 2 + 'px';
    } else if (m.type === 'credit-check:result' && (m.status === 'listed' || m.status === 'clear')) {
      var detail = { type: 'credit-check:result', status: m.status, check_id: String(m.check_id || '') };
      var ev;
      try {
        ev = new CustomEvent('credit-check:result', { detail: detail, bubbles: true });
      } catch (e) {
        ev = document.createEvent('CustomEvent');
        ev.initCustomEvent('credit-check:result', true, false, detail);
      }
      frame.dispatchEvent(ev);
      window.postMessage(detail, window.location.origin);
    }
  });
})();
