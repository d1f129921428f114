// Review: F (outside an input) or Alt+F opens the whole page.
document.addEventListener('keydown', function (e) {
  var typing = e.target && e.target.tagName === 'INPUT';
  if ((e.key === 'f' || e.key === 'F') && (e.altKey || !typing)) {
    var link = document.getElementById('fullpage');
    if (!link) return;
    e.preventDefault();
    window.open(link.href, '_blank');
  }
});
