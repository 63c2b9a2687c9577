// The /logger dashboard. Plain browser JavaScript, no build step and nothing from other origins
// (the page's CSP allows only this origin). The page holds no data: it signs in with the API,
// keeps the tokens in sessionStorage (this tab only) and calls the APIs with a bearer header.
// Everything shown is written with textContent, never parsed as HTML.
'use strict';

(() => {
  const TOKENS = 'hb.logger.tokens';
  const MAX_ROWS = 500;
  const $ = (id) => document.getElementById(id);
  let tail = null; // AbortController of the running live-tail stream
  let routesTimer = null;
  let auditNext = null;

  // --- tokens (shared/session.js: one renewal at a time, a lost refresh race is no sign-out) ---
  const session = window.HbSession.create(TOKENS);
  const { tokens, keep, forget } = session;

  // fetch with the bearer token, renewed when it has expired.
  async function api(path, options = {}) {
    const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
    const res = await session.call(path, Object.assign({}, options, { headers }));
    if (res === null || res.status === 401) { signedOut(); throw new Error('signed out'); }
    return res;
  }

  // --- views --------------------------------------------------------------------------------
  function show(view) {
    for (const id of ['login-view', 'denied-view', 'dashboard-view']) $(id).hidden = id !== view;
    $('who').hidden = view === 'login-view';
  }

  function signedOut() {
    stop();
    forget();
    show('login-view');
  }

  function stop() {
    if (tail) tail.abort();
    tail = null;
    if (routesTimer) clearInterval(routesTimer);
    routesTimer = null;
  }

  async function enter() {
    const res = await api('/logger/api/me');
    if (res.status === 403) {
      $('scope').textContent = 'no access';
      show('denied-view');
      return;
    }
    if (!res.ok) throw new Error('dashboard unavailable (' + res.status + ')');
    const me = await res.json();
    $('scope').textContent = me.role + ' · ' + (me.scope === 'platform' ? 'platform events'
      : 'clinic ' + me.clinicId) + ' · ' + me.transport;
    document.body.dataset.scope = me.scope;
    show('dashboard-view');
    startTail();
    loadAudit(false);
    loadRoutes();
    routesTimer = setInterval(loadRoutes, 10000);
  }

  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('login-error').hidden = true;
    try {
      const res = await fetch('/api/v1/auth/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email: $('email').value, password: $('password').value }), cache: 'no-store',
      });
      if (!res.ok) throw new Error(res.status === 401 ? 'E-mail or password is wrong.' : 'Sign-in failed (' + res.status + ').');
      keep(await res.json());
      $('password').value = '';
      await enter();
    } catch (err) {
      $('login-error').textContent = err.message;
      $('login-error').hidden = false;
    }
  });

  $('logout').addEventListener('click', async () => {
    try { await api('/api/v1/auth/logout', { method: 'POST' }); } catch (e) { /* signed out anyway */ }
    signedOut();
  });

  // --- live tail: server-sent events over fetch() (EventSource cannot send a bearer header) ---
  function setStatus(text) {
    const badge = $('tail-status');
    badge.textContent = text;
    badge.className = 'badge ' + text;
  }

  async function startTail() {
    if (tail) tail.abort();
    const control = new AbortController();
    tail = control;
    let lastId = null;
    let retry = 2000;
    while (!control.signal.aborted) {
      try {
        setStatus('connecting');
        const headers = { Accept: 'text/event-stream' };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const res = await api('/logger/api/stream', { headers, signal: control.signal });
        if (res.status === 403) { show('denied-view'); return; }
        if (!res.ok || !res.body) throw new Error('stream answered ' + res.status);
        setStatus('live');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = parseFrame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (frame.retry) retry = frame.retry;
            if (frame.id) lastId = frame.id;
            // 'end': the server closes the stream (token expired, session ended, instance stopping);
            // the reconnect below renews the token or, for an ended session, signs out.
            if (frame.data && frame.event !== 'end') addTailRow(frame.event, JSON.parse(frame.data), frame.id);
          }
        }
      } catch (err) {
        if (control.signal.aborted) return;
      }
      setStatus('reconnecting');
      await new Promise((r) => setTimeout(r, retry));
    }
  }

  function parseFrame(text) {
    const frame = { event: 'message', data: '', id: null, retry: null };
    const data = [];
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith(':')) continue; // comment: heartbeat
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') frame.event = value;
      else if (field === 'id') frame.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) frame.retry = Number(value);
    }
    frame.data = data.join('\n');
    return frame;
  }

  function cell(row, text, cls) {
    const td = row.insertCell();
    td.textContent = text == null ? '' : String(text);
    if (cls) td.className = cls;
    return td;
  }

  const short = (id) => (id ? String(id).slice(0, 8) : '');
  const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');

  function addTailRow(kind, e, id) {
    const body = $('tail').tBodies[0];
    const row = document.createElement('tr');
    row.dataset.kind = e.kind || kind;
    row.dataset.id = id || '';
    row.dataset.traceId = e.traceId || '';
    row.dataset.clinicId = e.clinicId || '';
    if (e.kind === 'request') {
      row.dataset.route = e.route;
      row.dataset.method = e.method;
      row.dataset.status = e.status;
      if (e.status >= 500) row.className = 'status-5xx';
    } else {
      row.className = 'level-' + e.level;
    }
    row.dataset.search = [e.kind, e.method, e.route, e.status, e.level, e.logger, e.message, e.userId,
      e.traceId, e.clinicId, e.instance].filter((v) => v != null).join(' ').toLowerCase();
    cell(row, clock(e.at));
    cell(row, e.instance);
    cell(row, e.kind === 'request' ? 'request' : e.level);
    cell(row, e.kind === 'request' ? e.method + ' ' + e.route : e.logger + ': ' + e.message, 'message');
    cell(row, e.status);
    cell(row, e.durationMs);
    cell(row, short(e.userId)).title = e.userId || '';
    cell(row, short(e.traceId)).title = e.traceId || '';
    row.hidden = !matchesTail(row);
    body.insertBefore(row, body.firstChild);
    while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
  }

  function matchesTail(row) {
    const text = $('tail-filter').value.trim().toLowerCase();
    const kind = $('tail-kind').value;
    return (!kind || row.dataset.kind === kind) && (!text || row.dataset.search.includes(text));
  }

  function refilterTail() {
    for (const row of $('tail').tBodies[0].rows) row.hidden = !matchesTail(row);
  }
  $('tail-filter').addEventListener('input', refilterTail);
  $('tail-kind').addEventListener('change', refilterTail);
  $('tail-clear').addEventListener('click', () => { $('tail').tBodies[0].replaceChildren(); });

  // --- audit trail browser (GET /api/v1/audit-events decides the clinic scope) ---------------
  function auditQuery() {
    const q = new URLSearchParams();
    const put = (name, value) => { if (value) q.set(name, value); };
    put('patientId', $('audit-patient').value.trim());
    put('actorId', $('audit-actor').value.trim());
    put('action', $('audit-action').value.trim().toUpperCase());
    if ($('audit-from').value) q.set('from', new Date($('audit-from').value).toISOString());
    if ($('audit-to').value) q.set('to', new Date($('audit-to').value).toISOString());
    if ($('audit-emergency').checked) q.set('emergency', 'true');
    q.set('limit', '50');
    return q;
  }

  async function loadAudit(more) {
    const q = auditQuery();
    if (more && auditNext) q.set('cursor', auditNext);
    const body = $('audit').tBodies[0];
    $('audit-status').textContent = 'loading…';
    try {
      const res = await api('/api/v1/audit-events?' + q.toString());
      if (!res.ok) {
        let detail = '';
        try { detail = (await res.json()).detail || ''; } catch (e) { /* not JSON */ }
        throw new Error('audit trail answered ' + res.status + (detail ? ': ' + detail : ''));
      }
      const page = await res.json();
      if (!more) body.replaceChildren();
      for (const a of page.items || []) {
        const row = body.insertRow();
        row.dataset.id = a.id;
        row.dataset.action = a.action;
        row.dataset.patientId = a.patientId || '';
        row.dataset.actorId = a.actorId || '';
        row.dataset.emergency = String(Boolean(a.emergency));
        cell(row, a.at ? new Date(a.at).toLocaleString() : '');
        cell(row, short(a.actorId)).title = a.actorId || '';
        cell(row, a.actorRole);
        cell(row, a.action);
        cell(row, (a.resourceType || '') + ' ' + short(a.resourceId)).title = a.resourceId || '';
        cell(row, short(a.patientId)).title = a.patientId || '';
        cell(row, a.outcome);
        cell(row, a.ip);
        cell(row, short(a.traceId)).title = a.traceId || '';
        cell(row, a.emergency ? 'yes' + (a.reason ? ': ' + a.reason : '') : '');
      }
      auditNext = page.next || null;
      $('audit-more').hidden = !auditNext;
      $('audit-status').textContent = body.rows.length + ' event(s)' + (auditNext ? ', more available' : '');
    } catch (err) {
      if (err.message !== 'signed out') $('audit-status').textContent = err.message;
    }
  }
  $('audit-filters').addEventListener('submit', (e) => { e.preventDefault(); loadAudit(false); });
  $('audit-more').addEventListener('click', () => loadAudit(true));

  // --- route latency -------------------------------------------------------------------------
  async function loadRoutes() {
    try {
      const res = await api('/logger/api/routes');
      if (!res.ok) return;
      const body = $('routes').tBodies[0];
      body.replaceChildren();
      for (const r of (await res.json()).routes) {
        const row = body.insertRow();
        row.dataset.route = r.route;
        cell(row, r.route);
        cell(row, r.count);
        cell(row, r.p50Ms);
        cell(row, r.p95Ms);
        cell(row, r.p99Ms);
        cell(row, (r.errorRate * 100).toFixed(2) + ' %');
      }
    } catch (err) { /* next poll tries again */ }
  }

  // --- start ----------------------------------------------------------------------------------
  if (tokens()) enter().catch(() => signedOut());
  else show('login-view');
})();
