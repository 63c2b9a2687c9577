// The sign-in tokens of a dashboard page (/logger, /queue-dashboard), shared by both: kept in
// sessionStorage (this tab only), sent as a bearer header, renewed with the refresh token when the
// service answers 401. Plain browser JavaScript, no build step, a classic script loaded before the
// page's own (the pages' CSP allows scripts of this origin only, none inline).
//
// A refresh token is exchanged once (POST /api/v1/auth/refresh). Of several exchanges of one token
// exactly one rotates the session; the others get 409 REFRESH_IN_PROGRESS, the session stays valid
// and they are to use the tokens the winner received (docs/api-extensions.md). Sending the same
// token again would not help: within the grace window it is 409 again, after it a reuse that ends
// the session. So:
//  - a page renews once at a time: every call that meets a 401 waits for the same renewal;
//  - on 409 the loser takes the winner's tokens: from this tab's storage if they are there already
//    (re-read after a short wait), else from the tab that won — two tabs hold the same tokens when
//    one was duplicated from the other — asked over a BroadcastChannel (same origin only), and
//    asked once more after a short delay in case the winner's answer was still on its way;
//  - only when nobody has them (the winning tab was closed or reloaded first) is the page signed out.
'use strict';

window.HbSession = (() => {
  const REFRESH = '/api/v1/auth/refresh';
  const ASK_EVERY_MS = 300;
  const ASKS = 2;
  const WAIT_MS = 3000;

  const wellFormed = (t) => Boolean(t) && typeof t.access === 'string' && typeof t.refresh === 'string';

  // storageKey: the page's sessionStorage entry; fetchFn: the fetch to send with (the page's own may wrap it).
  function create(storageKey, fetchFn) {
    const send = fetchFn || window.fetch.bind(window);
    const tokens = () => {
      try { return JSON.parse(sessionStorage.getItem(storageKey) || 'null'); } catch (e) { return null; }
    };
    const store = (t) => sessionStorage.setItem(storageKey, JSON.stringify({ access: t.access, refresh: t.refresh }));
    const keep = (answer) => store({ access: answer.accessToken, refresh: answer.refreshToken });
    const forget = () => sessionStorage.removeItem(storageKey);

    // --- what this tab exchanged, for the tabs that lost the same exchange ----------------------
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(storageKey + '.renewals') : null;
    let exchanged = null; // { from, to }: the refresh token this tab exchanged last, and the tokens it got
    let renewing = null; // the renewal in flight
    let renewingFrom = null;
    const listeners = new Set();

    async function answer(from) {
      if (renewing && renewingFrom === from) await renewing;
      if (exchanged && exchanged.from === from) channel.postMessage({ type: 'renewed', from, to: exchanged.to });
    }

    if (channel) {
      channel.onmessage = (e) => {
        const m = e.data || {};
        if (m.type === 'ask' && typeof m.from === 'string') answer(m.from);
        else if (m.type === 'renewed' && wellFormed(m.to)) listeners.forEach((heard) => heard(m));
      };
    }

    // The winner's tokens for `from` when another tab tells them within `ms`, else null.
    function hear(from, ms) {
      return new Promise((resolve) => {
        const heard = (m) => { if (m.from === from) done(m.to); };
        const done = (to) => { clearTimeout(timer); listeners.delete(heard); resolve(to); };
        const timer = setTimeout(() => done(null), ms);
        listeners.add(heard);
      });
    }

    async function takeWinners(from) {
      const deadline = Date.now() + WAIT_MS;
      for (let asked = 0; ; asked++) {
        const now = tokens();
        if (now && now.refresh !== from) return true; // stored here meanwhile
        if (Date.now() >= deadline) return false;
        if (channel && asked < ASKS) channel.postMessage({ type: 'ask', from });
        const to = await hear(from, ASK_EVERY_MS);
        if (to) {
          store(to);
          exchanged = { from, to };
          return true;
        }
      }
    }

    async function exchange() {
      const t = tokens();
      if (!t || !t.refresh) return false;
      renewingFrom = t.refresh;
      try {
        const res = await send(REFRESH, {
          method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ refreshToken: t.refresh }), cache: 'no-store',
        });
        if (res.status === 409) return await takeWinners(t.refresh);
        if (!res.ok) return false;
        keep(await res.json());
        exchanged = { from: t.refresh, to: tokens() };
        return true;
      } catch (e) {
        return false;
      }
    }

    // Renews the tokens; true when there are fresh ones. One renewal at a time per page.
    function renew() {
      if (!renewing) renewing = exchange().finally(() => { renewing = null; renewingFrom = null; });
      return renewing;
    }

    function withToken(input, init, access) {
      const headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      headers.set('Authorization', 'Bearer ' + access);
      return Object.assign({}, init, { headers, cache: 'no-store' });
    }

    // Calls the service with the bearer token; on a 401 renews the token (or takes one renewed
    // meanwhile) and sends again. Answers the response, or null when there is no usable token any
    // more (sign in again).
    async function call(input, init) {
      let renewed = false;
      for (let attempt = 0; attempt < 4; attempt++) {
        const t = tokens();
        if (!t) return null;
        const res = await send(input instanceof Request ? input.clone() : input, withToken(input, init, t.access));
        if (res.status !== 401) return res;
        const now = tokens();
        if (now && now.access !== t.access) continue; // another call renewed it meanwhile
        if (renewed || !(await renew())) return null;
        renewed = true;
      }
      return null;
    }

    return Object.freeze({ tokens, keep, forget, renew, call });
  }

  return Object.freeze({ create });
})();
