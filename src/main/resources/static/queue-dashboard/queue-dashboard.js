// The /queue-dashboard page: sign-in, the queue summary with the dead jobs, and db-scheduler-ui's
// app below. Plain browser JavaScript, no build step, nothing from other origins (the page's CSP
// allows only this origin). The page holds no data: it signs in with the API and keeps the tokens
// in sessionStorage (this tab only).
//
// Loaded as a classic script in the body, before the app's module bundle runs (modules run only
// after parsing). It wraps window.fetch so that the app's calls to /queue-dashboard/db-scheduler-api
// carry the bearer token, and holds them until a platform administrator has signed in; a call
// answered 401 renews the token or asks to sign in again and is then sent again, so the app never
// sees a 401 (it would send the browser to /db-scheduler). Everything shown here is written with
// textContent, never parsed as HTML.
'use strict';

(() => {
  const TOKENS = 'hb.queue-dashboard.tokens';
  const APP_API = '/queue-dashboard/db-scheduler-api/';
  const SUMMARY = '/queue-dashboard/api/summary';
  const REFRESH_EVERY_MS = 5000;
  const $ = (id) => document.getElementById(id);
  const nativeFetch = window.fetch.bind(window);

  // --- tokens (shared/session.js: one renewal at a time, a lost refresh race is no sign-out) ---
  // Sent with the native fetch: the app's calls, which the wrapper below holds, must not wait on themselves.
  const session = window.HbSession.create(TOKENS, nativeFetch);
  const { tokens, keep, forget, call } = session;

  // --- the gate the app's calls wait at ------------------------------------------------------
  let gateOpen = false;
  let admit = null;
  let admitted = null;
  function closeGate() {
    if (gateOpen || !admitted) {
      admitted = new Promise((resolve) => { admit = resolve; });
    }
    gateOpen = false;
  }
  function openGate() {
    gateOpen = true;
    admit();
  }
  closeGate();

  const urlOf = (input) => new URL(input instanceof Request ? input.url : String(input), window.location.href);
  const isAppApi = (url) => url.origin === window.location.origin && url.pathname.startsWith(APP_API);

  window.fetch = function queueDashboardFetch(input, init) {
    return isAppApi(urlOf(input)) ? forApp(input, init) : nativeFetch(input, init);
  };

  async function forApp(input, init) {
    for (;;) {
      await admitted;
      const res = await call(input, init);
      if (res === null) {
        signedOut('Your session has ended; sign in again.');
        continue; // sent again once signed in
      }
      if (res.status === 403) {
        denied();
        return new Promise(() => {}); // never answered: the app shows nothing to this user
      }
      const method = ((init && init.method) || (input instanceof Request ? input.method : 'GET')).toUpperCase();
      if (method !== 'GET') refreshSummary(); // a run or delete in the app's view changes the counts
      return res;
    }
  }

  // --- views --------------------------------------------------------------------------------
  function show(view) {
    for (const id of ['qd-login-view', 'qd-denied-view', 'qd-summary-view']) $(id).hidden = id !== view;
    $('qd-who').hidden = view === 'qd-login-view';
    document.body.classList.toggle('qd-admin', view === 'qd-summary-view');
  }

  let timer = null;
  function stopRefreshing() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function signedOut(message) {
    stopRefreshing();
    closeGate();
    forget();
    $('qd-totp-field').hidden = true;
    $('qd-totp').value = '';
    const error = $('qd-login-error');
    error.textContent = message || '';
    error.hidden = !message;
    show('qd-login-view');
  }

  function denied() {
    stopRefreshing();
    closeGate();
    $('qd-scope').textContent = 'no access';
    show('qd-denied-view');
  }

  async function enter() {
    const res = await call(SUMMARY, { headers: { Accept: 'application/json' } });
    if (res === null) { signedOut(); return; }
    if (res.status === 403) { denied(); return; }
    if (!res.ok) throw new Error('The queue summary is unavailable (' + res.status + ').');
    render(await res.json());
    $('qd-scope').textContent = 'PLATFORM_ADMIN';
    show('qd-summary-view');
    openGate();
    stopRefreshing();
    timer = setInterval(refreshSummary, REFRESH_EVERY_MS);
  }

  // One load at a time; a change asked for meanwhile loads once more afterwards.
  let loading = false;
  let again = false;
  async function refreshSummary() {
    if (!gateOpen) return;
    if (loading) { again = true; return; }
    loading = true;
    try {
      const res = await call(SUMMARY, { headers: { Accept: 'application/json' } });
      if (res === null) signedOut('Your session has ended; sign in again.');
      else if (res.status === 403) denied();
      else if (res.ok) render(await res.json());
    } catch (e) {
      // Offline for a moment: the next round tries again.
    } finally {
      loading = false;
    }
    if (again) {
      again = false;
      refreshSummary();
    }
  }

  // --- sign-in ------------------------------------------------------------------------------
  $('qd-login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const error = $('qd-login-error');
    error.hidden = true;
    const body = { email: $('qd-email').value, password: $('qd-password').value };
    if (!$('qd-totp-field').hidden && $('qd-totp').value.trim()) body.totp = $('qd-totp').value.trim();
    try {
      const res = await nativeFetch('/api/v1/auth/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body), cache: 'no-store',
      });
      if (res.ok) {
        keep(await res.json());
        $('qd-password').value = '';
        $('qd-totp').value = '';
        $('qd-totp-field').hidden = true;
        await enter();
        return;
      }
      let problem = {};
      try { problem = await res.json(); } catch (ignored) { /* not JSON */ }
      if (res.status === 401 && problem.code === 'MFA_REQUIRED') {
        $('qd-totp-field').hidden = false;
        $('qd-totp').focus();
        throw new Error(body.totp ? 'The code is wrong; try the current one.' : 'Enter the code from your authenticator app.');
      }
      if (problem.code === 'MFA_ENROLLMENT_REQUIRED') {
        throw new Error('This account has to set up two-factor authentication first.');
      }
      if (res.status === 429) throw new Error('Too many attempts; try again later.');
      throw new Error(res.status === 401 ? 'E-mail, password or code is wrong.' : 'Sign-in failed (' + res.status + ').');
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  });

  $('qd-logout').addEventListener('click', async () => {
    try { await call('/api/v1/auth/logout', { method: 'POST' }); } catch (e) { /* signed out anyway */ }
    forget();
    // A fresh page: the app below keeps no state of the session that ended.
    window.location.replace('/queue-dashboard/db-scheduler');
  });

  // --- rendering ----------------------------------------------------------------------------
  function cell(row, text, name) {
    const td = document.createElement('td');
    td.textContent = text;
    if (name) td.dataset.count = name;
    row.appendChild(td);
    return td;
  }

  function age(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    if (seconds < 120) return seconds + ' s';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
    return Math.round(seconds / 86400) + ' d';
  }

  const when = (instant) => (instant ? new Date(instant).toLocaleString() : '—');

  function countCells(row, q) {
    cell(row, String(q.due), 'due');
    cell(row, age(q.oldestDueSeconds), 'oldest-due');
    cell(row, String(q.scheduled), 'scheduled');
    cell(row, String(q.running), 'running');
    cell(row, String(q.failed), 'failed').classList.toggle('qd-warn', q.failed > 0);
    cell(row, String(q.dead), 'dead').classList.toggle('qd-bad', q.dead > 0);
  }

  function render(summary) {
    $('qd-updated').textContent = 'as of ' + new Date(summary.at).toLocaleTimeString();
    const body = $('qd-queues').tBodies[0];
    body.replaceChildren();
    for (const q of summary.queues) {
      const row = document.createElement('tr');
      row.dataset.task = q.task;
      const name = cell(row, q.task);
      if (!q.known) {
        const note = document.createElement('span');
        note.className = 'qd-muted';
        note.textContent = ' (no such task in this service)';
        name.appendChild(note);
      }
      countCells(row, q);
      body.appendChild(row);
    }
    const foot = $('qd-queues').tFoot;
    foot.replaceChildren();
    const total = document.createElement('tr');
    total.dataset.task = '';
    cell(total, 'all queues');
    const waiting = summary.queues.map((q) => q.oldestDueSeconds).filter((s) => s !== null && s !== undefined);
    countCells(total, Object.assign({ oldestDueSeconds: waiting.length ? Math.max(...waiting) : null }, summary.totals));
    foot.appendChild(total);

    $('qd-dead-count').textContent = summary.totals.dead > summary.deadShown
      ? '(newest ' + summary.deadShown + ' of ' + summary.totals.dead + ')' : '(' + summary.totals.dead + ')';
    const dead = $('qd-dead').tBodies[0];
    dead.replaceChildren();
    for (const job of summary.dead) {
      const row = document.createElement('tr');
      row.dataset.task = job.task;
      row.dataset.instance = job.instance;
      cell(row, job.task);
      cell(row, job.instance);
      cell(row, String(job.failures));
      cell(row, when(job.lastFailure));
      cell(row, when(job.lastSuccess));
      const actions = cell(row, '');
      actions.appendChild(button('Retry', 'qd-retry', () => act('rerun', job)));
      actions.appendChild(button('Discard', 'qd-discard', (b) => {
        // Discarding cannot be undone: the first click only asks.
        if (b.dataset.armed !== 'true') {
          b.dataset.armed = 'true';
          b.textContent = 'Confirm discard';
          return;
        }
        act('delete', job);
      }));
      dead.appendChild(row);
    }
    $('qd-dead-none').hidden = summary.dead.length > 0;
    $('qd-dead').hidden = summary.dead.length === 0;
  }

  function button(text, className, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = text;
    b.addEventListener('click', () => onClick(b));
    return b;
  }

  async function act(kind, job) {
    const query = new URLSearchParams({ id: job.instance, name: job.task });
    if (kind === 'rerun') query.append('scheduleTime', new Date().toISOString());
    const status = $('qd-status');
    try {
      const res = await call(APP_API + 'tasks/' + kind + '?' + query, { method: 'POST' });
      if (res === null) { signedOut('Your session has ended; sign in again.'); return; }
      if (res.status === 403) { denied(); return; }
      status.textContent = res.ok
        ? (kind === 'rerun' ? 'Retrying ' : 'Discarded ') + job.task + ' / ' + job.instance
          + (kind === 'rerun' ? ': due now.' : '.')
        : 'Could not ' + (kind === 'rerun' ? 'retry ' : 'discard ') + job.task + ' / ' + job.instance
          + ' (' + res.status + '): it may have changed meanwhile.';
      status.className = res.ok ? '' : 'qd-error';
    } catch (err) {
      status.textContent = 'The service did not answer; try again.';
      status.className = 'qd-error';
    }
    refreshSummary();
  }

  // --- start --------------------------------------------------------------------------------
  if (tokens()) {
    enter().catch((err) => signedOut(err.message));
  } else {
    show('qd-login-view');
  }
})();
