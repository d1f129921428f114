// The desk's batch page: while the station scans or reads, poll the batch and reload the page when it changes. The
// page says what it showed when it was made (data-*), so that a read which ends before the first poll still reloads.
(function () {
  var b = document.body;
  var id = b.getAttribute('data-batch');
  if (!id) return;
  function key(status, pages, running, done, draft) {
    return JSON.stringify([status, pages, running, running ? done : 0, draft || null]);
  }
  var shown = key(b.getAttribute('data-status'), parseInt(b.getAttribute('data-pages'), 10),
                  b.getAttribute('data-running') === 'true', parseInt(b.getAttribute('data-done'), 10),
                  b.getAttribute('data-draft'));
  function poll() {
    fetch('/api/batches/' + encodeURIComponent(id), {credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var running = !!(s.job && s.job.running);
        if (key(s.status, s.pages, running, s.job ? s.job.done : 0, s.draftId) !== shown) { location.reload(); return; }
        if (running) setTimeout(poll, 1000);
      });
  }
  poll();
})();
