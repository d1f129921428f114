// The kiosk screen: an idle timeout that clears it, polling of the intake while the station works, printing.
(function () {
  var body = document.body;
  var idle = parseInt(body.getAttribute('data-idle') || '0', 10);
  var last = Date.now();
  ['touchstart', 'mousedown', 'keydown'].forEach(function (e) {
    document.addEventListener(e, function () { last = Date.now(); });
  });
  if (idle > 0) setInterval(function () {
    if (Date.now() - last > idle * 1000) {
      var f = document.getElementById('cancel-form');
      if (f) { f.querySelector('[name=reason]').value = 'idle'; f.submit(); } else { location.replace('/kiosk'); }
    }
  }, 1000);
  function offline() {
    document.getElementById('offline').hidden = false;
    setTimeout(function () { location.replace('/kiosk'); }, 30000);
  }
  var print = document.getElementById('print');
  if (print) print.addEventListener('click', function () { window.print(); });
  var poll = body.getAttribute('data-poll');
  if (!poll) return;
  var seen = null;
  function step() {
    fetch(poll, {credentials: 'same-origin'})
      .then(function (r) { if (r.status === 404) { location.replace('/kiosk'); return null; } return r.json(); })
      .then(function (s) {
        if (!s) return;
        var key = JSON.stringify([s.phase, s.pages, s.error]);
        if (seen !== null && key !== seen) { location.reload(); return; }
        seen = key;
        // While the station works (scanning, checking) the citizen is waiting, not gone.
        var busy = s.phase === 'scanning' || s.phase === 'checking';
        if (busy) last = Date.now();
        setTimeout(step, busy ? 700 : 3000);
      })
      .catch(offline);
  }
  step();
})();
