// InProc dashboard: live updates without a reload. Server-sent events first; polling every 2 s when they fail;
// slower (10 s) while the tab is hidden. Loaded as a file (script-src 'self'): the pages carry no inline script.
(function () {
  'use strict';
  var base = document.documentElement.getAttribute('data-base') || '';
  var fastPoll = 2000;
  var slowPoll = 10000;
  var source = null;
  var pollTimer = null;
  var failures = 0;
  var refreshing = false;

  function status(text, on) {
    var el = document.getElementById('live-status');
    if (el) {
      el.textContent = text;
      el.className = on ? 'live on' : 'live';
    }
  }

  function content() { return document.getElementById('content'); }

  // Swap the page's main content for a fresh copy when the server's counts moved on.
  function refresh() {
    var main = content();
    if (refreshing || !main) { return; }
    var active = document.activeElement;
    if (active && main.contains(active) && (active.tagName === 'INPUT' || active.tagName === 'SELECT')) { return; }
    refreshing = true;
    fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('content');
        var current = content();
        if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
      })
      .catch(function () { })
      .then(function () { refreshing = false; });
  }

  function apply(summary) {
    var badges = document.querySelectorAll('[data-live="deadLetters"]');
    for (var i = 0; i < badges.length; i++) { badges[i].textContent = String(summary.deadLetters); }
    var main = content();
    if (main && main.getAttribute('data-version') !== summary.version) { refresh(); }
  }

  function stopPolling() { if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; } }

  function poll() {
    stopPolling();
    fetch(base + '/api/summary', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (summary) { if (summary) { apply(summary); status(document.hidden ? 'polling (hidden)' : 'polling', true); } })
      .catch(function () { status('offline', false); })
      .then(function () { pollTimer = setTimeout(poll, document.hidden ? slowPoll : fastPoll); });
  }

  function closeStream() { if (source) { source.close(); source = null; } }

  function stream() {
    if (!window.EventSource || failures >= 3) { poll(); return; }
    stopPolling();
    source = new EventSource(base + '/api/events');
    source.onopen = function () { status('live', true); };
    source.onmessage = function (e) {
      failures = 0;
      try { apply(JSON.parse(e.data)); } catch (x) { }
    };
    // The server ends each stream after a minute and EventSource reconnects by itself; errors in a row without a
    // message in between mean the stream does not work here (a proxy, a policy): fall back to polling.
    source.onerror = function () {
      failures++;
      if (failures >= 3 || source.readyState === EventSource.CLOSED) { closeStream(); poll(); }
    };
  }

  document.addEventListener('visibilitychange', function () {
    if (document.hidden) { closeStream(); poll(); } else { stream(); }
  });

  // Actions ask first; the pages mark them with data-confirm (no inline handlers under the CSP).
  document.addEventListener('submit', function (e) {
    var message = e.target && e.target.getAttribute && e.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) { e.preventDefault(); }
  });

  if (document.hidden) { poll(); } else { stream(); }
}());
