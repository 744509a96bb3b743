// A <select data-autosubmit> submits its form when changed. Kept here, not in an inline
// onchange handler, because the pages' Content-Security-Policy allows no inline script.
document.querySelectorAll('select[data-autosubmit]').forEach(function (s) {
  s.addEventListener('change', function () { s.form.submit(); });
});
