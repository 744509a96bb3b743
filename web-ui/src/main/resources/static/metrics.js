// Metrics explorer: checks the PromQL as it is typed (/ui/metrics/check) and shows the error
// under the input with a caret at its position; Ctrl+Enter runs the query. Results are rendered
// by the server (table) and charts.js (graph), so the page state is the URL.
(function () {
  'use strict';
  var form = document.getElementById('metrics-form');
  var input = document.getElementById('expr');
  var box = document.getElementById('expr-error');
  var message = document.getElementById('expr-error-message');
  var caret = document.getElementById('expr-error-caret');
  var timer = null, seq = 0;

  function show(err, text) {
    if (!err) { box.hidden = true; return; }
    var line = text.split('\n')[err.line - 1] || '';
    message.textContent = err.error;
    caret.textContent = line + '\n' + ' '.repeat(Math.max(0, err.column - 1)) + '^';
    box.hidden = false;
  }

  function check() {
    var text = input.value, mine = ++seq;
    if (!text.trim()) { show(null); return; }
    fetch('/ui/metrics/check?expr=' + encodeURIComponent(text))
      .then(function (r) { return r.json(); })
      .then(function (res) { if (mine === seq) show(res.ok ? null : res, text); })
      .catch(function () { /* the server check on submit still applies */ });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  input.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.submit(); }
  });
})();
(function () {
  'use strict';
  // Picking a metric name inserts it at the cursor of the expression.
  var pick = document.getElementById('metric-pick');
  var input = document.getElementById('expr');
  pick.addEventListener('change', function () {
    var v = pick.value, at = input.selectionStart || input.value.length;
    if (!v) return;
    input.value = input.value.slice(0, at) + v + input.value.slice(input.selectionEnd || at);
    pick.value = '';
    input.focus();
    input.dispatchEvent(new Event('input'));
  });
})();
