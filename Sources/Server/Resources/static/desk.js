// The desk's batch page: while the station scans or reads, poll the batch and reload the page when it changes.
(function () {
  var id = document.body.getAttribute('data-batch');
  if (!id) return;
  var last = null;
  function poll() {
    fetch('/api/batches/' + encodeURIComponent(id), {credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var key = JSON.stringify([s.status, s.pages, s.job && s.job.running, s.job && s.job.done, s.draftId]);
        if (last !== null && key !== last) { location.reload(); return; }
        last = key;
        if (s.job && s.job.running) setTimeout(poll, 1000);
      });
  }
  poll();
})();
