// Baton's admin UI: plain JavaScript, no build step. Every element is built from text with h() below and
// never parsed from a string (the page's Content-Security-Policy enforces Trusted Types, so innerHTML with
// a string would throw): a key named "<script>" shows as those characters.
'use strict';
(() => {
  const $ = (selector, root = document) => root.querySelector(selector);

  /** An element with attributes, listeners (onclick: ...) and children (nodes, or strings as text). */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value == null || value === false) continue;
      if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else if (name === 'class') el.className = value;
      else if (name === 'value') el.value = value;
      else el.setAttribute(name, value === true ? '' : String(value));
    }
    add(el, children);
    return el;
  }

  function add(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child == null || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) el.setAttribute(name, String(value));
    return add(el, children);
  }

  // Numbers, money, times.
  const integer = new Intl.NumberFormat('en-US');
  const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 });
  const usd = (x) => x == null ? '—' : x === 0 ? '$0' : Math.abs(x) >= 1 ? dollars.format(x) : cents.format(x);
  const num = (x) => x == null ? '—' : integer.format(x);
  const ms = (x) => x == null ? '—' : x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(x < 10000 ? 2 : 1)} s`;
  const pct = (x) => x == null ? '—' : `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;
  function when(iso) {
    if (!iso) return '—';
    const t = new Date(iso);
    const today = new Date().toDateString() === t.toDateString();
    return today ? t.toLocaleTimeString() : `${t.toLocaleDateString()} ${t.toLocaleTimeString()}`;
  }

  // Talking to the gateway: the session cookie goes by itself; a change carries the session's CSRF token.
  const session = { csrf: null };

  class ApiError extends Error {
    constructor(status, message, param) {
      super(message);
      this.status = status;
      this.param = param;
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
    const res = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json = null;
    try { json = await res.json(); } catch { /* an empty or non-JSON answer */ }
    if (!res.ok) {
      const error = new ApiError(res.status, (json && json.error && json.error.message) || `${res.status} ${res.statusText}`,
        json && json.error && json.error.param);
      if (res.status === 401 && !path.startsWith('/ui/session')) signedOut('Your session has ended: sign in again.');
      throw error;
    }
    return json;
  }

  const query = (params) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, v);
    const text = q.toString();
    return text ? `?${text}` : '';
  };

  function toast(message, kind = 'error') {
    let box = $('#toasts');
    if (!box) document.body.append(box = h('div', { id: 'toasts', role: 'status' }));
    const item = h('div', { class: `toast ${kind}` }, message);
    box.append(item);
    setTimeout(() => item.remove(), 6000);
  }

  const failed = (e) => { if (!(e instanceof ApiError && e.status === 401)) toast(e.message); };

  /** Runs fn now and every `period` ms while the tab is visible; returns the stop function. */
  function every(period, fn) {
    let timer = null;
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      if (!document.hidden) {
        try { await fn(); } catch (e) { failed(e); }
      }
      if (!stopped) timer = setTimeout(tick, period);
    };
    tick();
    return () => { stopped = true; clearTimeout(timer); };
  }

  // Names the pages share: keys and teams by id, the models served.
  const names = { keys: new Map(), teams: new Map(), models: [] };

  async function loadNames() {
    const [keys, teams, deployments] = await Promise.all([
      api('GET', '/admin/keys'), api('GET', '/admin/teams'), api('GET', '/admin/deployments')]);
    names.keys = new Map(keys.data.map((k) => [k.id, k]));
    names.teams = new Map(teams.data.map((t) => [t.id, t]));
    names.models = [...new Set(deployments.data.map((d) => d.model))];
    return { keys: keys.data, teams: teams.data, deployments: deployments.data };
  }

  /** Names keys the list no longer has (revoked ones), from /admin/keys/{id}; a few at a time. */
  async function nameKeys(ids) {
    const unknown = [...new Set(ids)].filter((id) => id && !names.keys.has(id)).slice(0, 20);
    await Promise.all(unknown.map(async (id) => {
      try {
        const k = await api('GET', `/admin/keys/${encodeURIComponent(id)}`);
        names.keys.set(id, { ...k, name: k.revoked_at ? `${k.name} (revoked)` : k.name });
      } catch { names.keys.set(id, { id, name: id }); }
    }));
  }

  const keyName = (id) => id == null ? 'master key' : names.keys.has(id) ? names.keys.get(id).name : id;
  const teamName = (id) => id == null ? '—' : names.teams.has(id) ? names.teams.get(id).name : id;

  // Pieces of pages.
  const heading = (title, ...extra) => h('div', { class: 'heading' }, h('h1', null, title), ...extra);
  const table = (head, body) => h('table', null, h('thead', null, h('tr', null, head.map((c) => h('th', null, c)))), body);
  const empty = (cols, text) => h('tr', { class: 'empty' }, h('td', { colspan: cols }, text));
  const circuit = (state) => h('span', { class: `badge circuit-${state}` }, state);
  const liveDot = () => h('span', { class: 'live-dot', title: 'updates live' }, 'live');

  /** A figure with its label; returns [the tile, the element that holds its value]. */
  function tile(label) {
    const value = h('div', { class: 'tile-value' }, '—');
    return [h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, label), value), value];
  }

  /** A uPlot chart that fills its box's width and follows it. */
  function chart(box, title, series, options = {}) {
    const holder = h('div', { class: 'chart-body' });
    box.append(h('div', { class: 'chart card' }, h('h2', null, title), holder));
    let plot = null;
    let gone = false;
    const width = () => Math.max(240, holder.clientWidth);
    const resize = new ResizeObserver(() => plot && plot.setSize({ width: width(), height: 190 }));
    resize.observe(holder);
    return {
      update(data) {
        if (gone) return;
        if (!plot) {
          plot = new uPlot({
            width: width(), height: 190, series: [{}, ...series],
            scales: { x: { time: true }, ...(options.scales || {}) },
            axes: [{ stroke: '#6b7280', grid: { stroke: '#eef0f4' } },
              { stroke: '#6b7280', grid: { stroke: '#eef0f4' }, size: options.size || 50, values: options.values }],
            legend: { live: true }, cursor: { drag: { x: false, y: false } },
          }, data, holder);
        } else {
          plot.setData(data);
        }
      },
      destroy() { gone = true; resize.disconnect(); if (plot) plot.destroy(); },
    };
  }

  // Overview: traffic over time and each deployment's health, every two seconds.
  function overview(root) {
    const windowSelect = h('select', { id: 'window', 'aria-label': 'Window' },
      [['5m', 'Last 5 minutes'], ['15m', 'Last 15 minutes'], ['1h', 'Last hour'], ['6h', 'Last 6 hours'],
        ['24h', 'Last 24 hours']].map(([v, label]) => h('option', { value: v, selected: v === '15m' }, label)));
    const since = h('span', { class: 'muted' });
    root.append(heading('Overview', liveDot(), h('span', { class: 'grow' }), since, windowSelect));
    const tiles = Object.fromEntries([['requests', 'Requests'], ['errors', 'Errors'], ['fallbacks', 'Fallbacks'],
      ['p50', 'Latency p50'], ['p95', 'p95'], ['p99', 'p99'], ['spend', 'Spend']].map(([k, label]) => [k, tile(label)]));
    root.append(h('div', { class: 'tiles' }, Object.values(tiles).map(([el]) => el)));
    const show = (k, text) => { tiles[k][1].textContent = text; };
    const charts = h('div', { class: 'charts' });
    root.append(charts);
    const traffic = chart(charts, 'Requests, errors and fallbacks', [
      { label: 'Requests', stroke: '#3b6fd8', width: 2, fill: 'rgba(59,111,216,0.08)' },
      { label: 'Errors', stroke: '#d64545', width: 2 },
      { label: 'Fallbacks', stroke: '#d99a1e', width: 2 }]);
    const latency = chart(charts, 'Latency', [
      { label: 'p50', stroke: '#2f9e72', width: 2, spanGaps: true, value: (u, v) => ms(v) },
      { label: 'p95', stroke: '#d99a1e', width: 2, spanGaps: true, value: (u, v) => ms(v) },
      { label: 'p99', stroke: '#d64545', width: 2, spanGaps: true, value: (u, v) => ms(v) }],
      { values: (u, vals) => vals.map((v) => ms(v)), size: 64 });
    const spend = chart(charts, 'Spend', [
      { label: 'USD', stroke: '#7c4dd8', width: 2, fill: 'rgba(124,77,216,0.10)', value: (u, v) => usd(v) }],
      { values: (u, vals) => vals.map((v) => usd(v)), size: 84 });
    const health = h('tbody');
    root.append(h('div', { class: 'card' }, h('h2', null, 'Deployments'),
      table(['Deployment', 'Model', 'Provider', 'Circuit', 'In flight', 'Error rate (5 min)', 'Attempts (5 min)', 'p50 (5 min)'], health)));

    const refresh = async () => {
      const [stats, deployments] = await Promise.all([
        api('GET', `/admin/stats${query({ window: windowSelect.value })}`), api('GET', '/admin/deployments')]);
      const t = stats.totals;
      show('requests', num(t.requests));
      show('errors', `${num(t.errors)} (${pct(t.error_rate)})`);
      show('fallbacks', num(t.fallbacks));
      show('p50', ms(t.p50_ms));
      show('p95', ms(t.p95_ms));
      show('p99', ms(t.p99_ms));
      show('spend', usd(t.spend_usd));
      since.textContent = `this instance, since ${when(stats.since)}`;
      const x = stats.series.time;
      traffic.update([x, stats.series.requests, stats.series.errors, stats.series.fallbacks]);
      latency.update([x, stats.series.p50_ms, stats.series.p95_ms, stats.series.p99_ms]);
      spend.update([x, stats.series.spend_usd]);
      health.replaceChildren(...deployments.data.map((d) => h('tr', null,
        h('td', null, h('strong', null, d.deployment)), h('td', null, d.model), h('td', null, d.provider),
        h('td', null, circuit(d.circuit)), h('td', { class: 'n' }, num(d.in_flight)),
        h('td', { class: `n ${d.error_rate > 0.2 ? 'bad' : ''}` }, pct(d.error_rate)),
        h('td', { class: 'n' }, num(d.attempts)), h('td', { class: 'n' }, ms(d.p50_ms)))));
    };
    let stop = every(2000, refresh);
    windowSelect.addEventListener('change', () => { stop(); stop = every(2000, refresh); });
    return () => { stop(); traffic.destroy(); latency.destroy(); spend.destroy(); };
  }

  // Models: every deployment, its provider and model id, its circuit; live.
  function models(root) {
    const body = h('tbody');
    root.append(heading('Models', liveDot()), h('div', { class: 'card' },
      table(['Public name', 'Deployment', 'Provider', 'Model id', 'Circuit', 'Takes requests', 'In flight', 'Falls back to'], body)));
    return every(2000, async () => {
      const deployments = await api('GET', '/admin/deployments');
      body.replaceChildren(...(deployments.data.length ? deployments.data.map((d) => h('tr', null,
        h('td', null, h('strong', null, d.model)), h('td', null, d.deployment), h('td', null, d.provider),
        h('td', null, h('code', null, d.upstream_model)), h('td', null, circuit(d.circuit)),
        h('td', null, d.available ? 'yes' : 'no'), h('td', { class: 'n' }, num(d.in_flight)),
        h('td', null, d.fallbacks.length ? d.fallbacks.join(' → ') : '—'))) : [empty(8, 'No models are configured.')]));
    });
  }

  // Keys: the list, the create form (its secret shown once), revoking.
  function keys(root) {
    const body = h('tbody');
    const formBox = h('div');
    const secretBox = h('div');
    const createButton = h('button', { type: 'button', onclick: () => openForm() }, 'Create key');
    root.append(heading('Keys', h('span', { class: 'grow' }), createButton), secretBox, formBox,
      h('div', { class: 'card' }, table(['Name', 'Prefix', 'Team', 'Models', 'Budget', 'Spend', 'RPM', 'TPM', 'Expires', ''], body)));

    async function load() {
      const { keys: list } = await loadNames();
      body.replaceChildren(...(list.length ? list.map(row) : [empty(10, 'No keys yet: create one.')]));
    }

    function row(k) {
      const budget = k.max_budget_usd == null ? 'none'
        : `${usd(k.max_budget_usd)}${k.budget_duration ? ` / ${k.budget_duration}` : ''}`;
      const revoke = h('button', { type: 'button', class: 'danger small', onclick: async () => {
        revoke.disabled = true;
        try {
          await api('DELETE', `/admin/keys/${encodeURIComponent(k.id)}`);
          toast(`Revoked the key “${k.name}”: requests with it now get 401.`, 'ok');
          await load();
        } catch (e) { revoke.disabled = false; failed(e); }
      } }, 'Revoke');
      return h('tr', { 'data-key-id': k.id },
        h('td', null, h('strong', { class: 'key-name' }, k.name)), h('td', null, h('code', null, `${k.key_prefix}…`)),
        h('td', null, teamName(k.team_id)),
        h('td', null, k.models.length ? k.models.map((m) => h('span', { class: 'chip' }, m)) : h('span', { class: 'muted' }, 'all')),
        h('td', null, budget), h('td', { class: 'n' }, usd(k.spend_usd)),
        h('td', { class: 'n' }, num(k.rpm)), h('td', { class: 'n' }, num(k.tpm)),
        h('td', null, k.expires_at ? when(k.expires_at) : 'never'), h('td', { class: 'actions' }, revoke));
    }

    function field(label, id, input, hint) {
      input.id = id;
      return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('small', { class: 'muted' }, hint) : null);
    }

    function openForm() {
      createButton.disabled = true;
      const name = h('input', { type: 'text', required: true, maxlength: 200, autocomplete: 'off' });
      const modelsInput = h('input', { type: 'text', placeholder: 'all models', autocomplete: 'off' });
      const team = h('select', null, h('option', { value: '' }, 'No team'),
        [...names.teams.values()].map((t) => h('option', { value: t.id }, t.name)));
      const budget = h('input', { type: 'number', min: 0, step: 'any', inputmode: 'decimal' });
      const period = h('select', null, [['', 'never resets'], ['1d', 'every day'], ['7d', 'every week'], ['30d', 'every 30 days']]
        .map(([v, label]) => h('option', { value: v }, label)));
      const rpm = h('input', { type: 'number', min: 1, step: 1 });
      const tpm = h('input', { type: 'number', min: 1, step: 1 });
      const expires = h('select', null, [['', 'never'], ['1d', 'in a day'], ['7d', 'in a week'], ['30d', 'in 30 days'], ['90d', 'in 90 days']]
        .map(([v, label]) => h('option', { value: v }, label)));
      const error = h('p', { class: 'error', role: 'alert' });
      const served = h('div', { class: 'chips' }, names.models.map((m) => h('button', { type: 'button', class: 'chip pick', onclick: () => {
        const chosen = modelsInput.value.split(',').map((x) => x.trim()).filter(Boolean);
        if (!chosen.includes(m)) modelsInput.value = [...chosen, m].join(', ');
      } }, m)));
      const close = () => { formBox.replaceChildren(); createButton.disabled = false; };
      const form = h('form', { class: 'card form', id: 'create-key' },
        h('h2', null, 'Create a key'),
        h('div', { class: 'grid' },
          field('Name', 'key-name', name),
          field('Team', 'key-team', team),
          h('div', { class: 'field wide' }, h('label', { for: 'key-models' }, 'Models'), modelsInput,
            h('small', { class: 'muted' }, 'Comma-separated public names; empty allows every model. Served:'), served),
          field('Budget (USD)', 'key-budget', budget, 'empty: no budget'),
          field('Budget period', 'key-period', period),
          field('RPM', 'key-rpm', rpm, 'requests a minute; empty: no limit'),
          field('TPM', 'key-tpm', tpm, 'tokens a minute; empty: no limit'),
          field('Expires', 'key-expires', expires)),
        error,
        h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Create'),
          h('button', { type: 'button', class: 'quiet', onclick: close }, 'Cancel')));
      modelsInput.id = 'key-models';
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        error.textContent = '';
        const request = { name: name.value.trim() };
        const chosen = modelsInput.value.split(',').map((x) => x.trim()).filter(Boolean);
        if (chosen.length) request.models = chosen;
        if (team.value) request.team_id = team.value;
        if (budget.value !== '') request.max_budget_usd = Number(budget.value);
        if (period.value) request.budget_duration = period.value;
        if (rpm.value !== '') request.rpm = Number(rpm.value);
        if (tpm.value !== '') request.tpm = Number(tpm.value);
        if (expires.value) request.expires_in = expires.value;
        try {
          const created = await api('POST', '/admin/keys', request);
          close();
          showSecret(created);
          await load();
        } catch (e) {
          error.textContent = e.message;
        }
      });
      formBox.replaceChildren(form);
      name.focus();
    }

    // The new key's secret, this once: it lives only in this element, which goes when dismissed.
    function showSecret(created) {
      const secret = h('code', { id: 'new-key-secret', class: 'secret' }, created.key);
      const copy = h('button', { type: 'button', class: 'quiet', onclick: async () => {
        try { await navigator.clipboard.writeText(created.key); copy.textContent = 'Copied'; } catch { copy.textContent = 'Select and copy it'; }
      } }, 'Copy');
      secretBox.replaceChildren(h('div', { class: 'card notice', role: 'alert' },
        h('h2', null, `New key “${created.name}”`),
        h('p', null, 'Copy the secret now: it is shown this once and never again.'),
        h('div', { class: 'secret-row' }, secret, copy),
        h('button', { type: 'button', onclick: () => secretBox.replaceChildren() }, 'Done')));
    }

    load().catch(failed);
    return () => secretBox.replaceChildren();
  }

  // Requests: the log with each request's attempt trail, filtered, and new requests as they end.
  function requests(root) {
    const keySelect = h('select', { id: 'filter-key' }, h('option', { value: '' }, 'Any key'));
    const modelSelect = h('select', { id: 'filter-model' }, h('option', { value: '' }, 'Any model'));
    const statusSelect = h('select', { id: 'filter-status' }, h('option', { value: '' }, 'Any status'),
      [200, 400, 403, 404, 408, 413, 429, 500, 502, 503, 504].map((c) => h('option', { value: c }, String(c))));
    const body = h('tbody', { id: 'request-rows' });
    const shown = new Set();
    const dot = liveDot();
    dot.dataset.state = 'connecting';
    root.append(heading('Requests', dot, h('span', { class: 'grow' }),
      h('label', { for: 'filter-key', class: 'inline' }, 'Key'), keySelect,
      h('label', { for: 'filter-model', class: 'inline' }, 'Model'), modelSelect,
      h('label', { for: 'filter-status', class: 'inline' }, 'Status'), statusSelect),
    h('div', { class: 'card' }, table(['Time', 'Key', 'Model', 'Attempt trail', 'Status', 'Latency', 'Tokens', 'Cost'], body)));

    const filters = () => ({ key_id: keySelect.value, model: modelSelect.value, status: statusSelect.value });
    const matches = (r, f) => (!f.key_id || r.key_id === f.key_id) && (!f.model || r.model === f.model)
      && (!f.status || String(r.status) === f.status);

    async function load() {
      const rows = await api('GET', `/admin/requests${query({ limit: 100, ...filters() })}`);
      await names.ready;
      await nameKeys(rows.data.map((r) => r.key_id));
      shown.clear();
      body.replaceChildren(...rows.data.map((r) => { shown.add(r.id); return row(r, false); }));
      if (!rows.data.length) body.append(empty(8, 'No requests yet.'));
    }

    for (const select of [keySelect, modelSelect, statusSelect]) select.addEventListener('change', () => load().catch(failed));

    names.ready = loadNames();
    names.ready.then(({ keys: list }) => {
      add(keySelect, list.map((k) => h('option', { value: k.id }, k.name)));
      add(modelSelect, names.models.map((m) => h('option', { value: m }, m)));
    }).catch(failed);
    load().catch(failed);

    const events = new EventSource('/admin/events');
    events.addEventListener('open', () => { dot.dataset.state = 'open'; });
    events.addEventListener('request', (event) => {
      const r = JSON.parse(event.data);
      if (shown.has(r.id) || !matches(r, filters())) return;
      shown.add(r.id);
      const placeholder = $('tr.empty', body);
      if (placeholder) placeholder.remove();
      body.prepend(row(r, true));
      while (body.children.length > 200) body.lastElementChild.remove();
    });
    events.addEventListener('error', () => {
      dot.dataset.state = 'reconnecting';
      if (events.readyState === EventSource.CLOSED) api('GET', '/ui/session').then((s) => { if (!s.signed_in) signedOut('Your session has ended: sign in again.'); }).catch(() => {});
    });
    return () => events.close();
  }

  /** One attempt's short label: the upstream's status when it gave one, else what happened. */
  function attemptLabel(a) {
    if (a.outcome === 'success') return 'answered';
    const status = /^(\d{3})\b/.exec(a.reason || '');
    if (status) return status[1];
    return a.outcome.replace(/_/g, ' ');
  }

  function attemptKind(a) {
    if (a.outcome === 'success') return 'ok';
    if (a.outcome === 'skipped' || a.outcome === 'cancelled') return 'skip';
    if (a.outcome === 'rate_limited') return 'warn';
    return 'bad';
  }

  /** "smart 503 → fast 429 → local answered", each step coloured, its reason on hover and when opened. */
  function trail(r) {
    const steps = r.attempts.map((a, i) => [i ? h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→') : null,
      h('span', { class: `step ${attemptKind(a)}`, title: a.reason || 'answered' },
        h('span', { class: 'step-name' }, a.deployment), ' ', h('span', { class: 'step-label' }, attemptLabel(a)))]);
    if (!r.attempts.length) {
      if (r.cache === 'hit' || r.cache === 'semantic-hit') {
        return h('span', { class: 'step ok', title: 'answered from the response cache, no upstream call' },
          r.cache === 'hit' ? 'cache hit' : 'semantic cache hit');
      }
      return h('span', { class: 'step skip', title: r.error || '' }, r.error ? `refused: ${r.error}` : 'no upstream call');
    }
    if (!r.answered_by && r.error) steps.push(h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'), h('span', { class: 'step bad' }, 'failed'));
    return h('details', { class: 'trail' }, h('summary', null, steps),
      h('ol', { class: 'attempts' }, r.attempts.map((a) => h('li', null,
        h('strong', null, a.deployment), ` — ${a.outcome.replace(/_/g, ' ')}`, a.reason ? `: ${a.reason}` : '',
        h('span', { class: 'muted' }, ` (${ms(a.latency_ms)})`)))));
  }

  function row(r, fresh) {
    const status = r.status >= 400 || (r.error && r.error !== 'client_disconnected') ? 'bad' : 'ok';
    return h('tr', { class: fresh ? 'fresh' : null, 'data-id': r.id, 'data-request-id': r.request_id },
      h('td', { class: 'nowrap' }, when(r.time)), h('td', null, keyName(r.key_id)), h('td', null, r.model || '—'),
      h('td', { class: 'trail-cell' }, trail(r)),
      h('td', null, h('span', { class: `badge status-${status}` }, String(r.status))),
      h('td', { class: 'n' }, ms(r.latency_ms)), h('td', { class: 'n' }, `${num(r.input_tokens)} / ${num(r.output_tokens)}`),
      h('td', { class: 'n' }, usd(r.cost_usd)));
  }

  // Spend: by key, team, model or day, as a chart and a table.
  function spend(root) {
    let groupBy = 'key';
    const buttons = ['key', 'team', 'model', 'day'].map((g) => h('button', {
      type: 'button', class: 'segment', 'aria-pressed': String(g === groupBy), 'data-group': g,
      onclick: () => { groupBy = g; buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.group === g))); load().catch(failed); },
    }, g[0].toUpperCase() + g.slice(1)));
    const from = h('input', { type: 'date', id: 'spend-from' });
    const to = h('input', { type: 'date', id: 'spend-to' });
    const graph = h('div', { class: 'bars' });
    const body = h('tbody');
    const groupHead = h('th', null, 'Key');
    root.append(heading('Spend', h('span', { class: 'grow' }),
      h('span', { class: 'inline' }, 'Group by'), h('div', { class: 'segments', role: 'group', 'aria-label': 'Group by' }, buttons),
      h('label', { for: 'spend-from', class: 'inline' }, 'From'), from, h('label', { for: 'spend-to', class: 'inline' }, 'To'), to),
    h('div', { class: 'card chart' }, h('h2', null, 'Spend (USD)'), graph),
    h('div', { class: 'card' }, h('table', null, h('thead', null, h('tr', null, groupHead,
      ['Spend', 'Share', 'Requests', 'Input tokens', 'Output tokens'].map((c) => h('th', null, c)))), body)));
    for (const input of [from, to]) input.addEventListener('change', () => load().catch(failed));

    const label = (group) => groupBy === 'key' ? keyName(group === '' ? null : group)
      : groupBy === 'team' ? (group ? teamName(group) : 'no team') : group || '—';

    async function load() {
      const [answer] = await Promise.all([
        api('GET', `/admin/spend${query({ group_by: groupBy, from: from.value, to: to.value })}`),
        names.keys.size ? null : loadNames()]);
      if (groupBy === 'key') await nameKeys(answer.data.map((r) => r.group));
      let rows = answer.data.map((r) => ({ ...r, label: label(r.group) }));
      if (groupBy === 'day') rows.sort((a, b) => a.group.localeCompare(b.group));
      else rows.sort((a, b) => b.spend_usd - a.spend_usd);
      const total = rows.reduce((sum, r) => sum + r.spend_usd, 0);
      groupHead.textContent = groupBy[0].toUpperCase() + groupBy.slice(1);
      body.replaceChildren(...(rows.length ? rows.map((r) => h('tr', null, h('td', null, r.label),
        h('td', { class: 'n' }, usd(r.spend_usd)), h('td', { class: 'n' }, total ? pct(r.spend_usd / total) : '—'),
        h('td', { class: 'n' }, num(r.requests)), h('td', { class: 'n' }, num(r.input_tokens)),
        h('td', { class: 'n' }, num(r.output_tokens)))) : [empty(6, 'No spend in this period.')]));
      if (rows.length) body.append(h('tr', { class: 'total' }, h('td', null, 'Total'), h('td', { class: 'n' }, usd(total)),
        h('td', null, ''), h('td', { class: 'n' }, num(rows.reduce((n, r) => n + r.requests, 0))), h('td', null, ''), h('td', null, '')));
      const width = Math.max(480, graph.clientWidth || 800);
      graph.replaceChildren(groupBy === 'day' ? columns(rows, width) : bars(rows.slice(0, 12), width));
    }

    load().catch(failed);
    return null;
  }

  /** Horizontal bars, one per group, longest first: drawn as SVG from numbers, never from markup. */
  function bars(rows, width) {
    if (!rows.length) return h('p', { class: 'muted' }, 'Nothing to chart.');
    const max = Math.max(...rows.map((r) => r.spend_usd), 1e-12);
    const line = 28;
    const labels = 220;
    const room = width - labels - 110;
    const svg = s('svg', { viewBox: `0 0 ${width} ${rows.length * line}`, width, height: rows.length * line,
      class: 'bar-chart', role: 'img', 'aria-label': 'Spend by group' });
    rows.forEach((r, i) => {
      const y = i * line;
      const w = Math.max(1, (r.spend_usd / max) * room);
      svg.append(s('text', { x: 0, y: y + 18, class: 'bar-label' }, r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label),
        s('rect', { x: labels, y: y + 5, width: w, height: 18, rx: 3, class: 'bar' }, s('title', null, `${r.label}: ${usd(r.spend_usd)}`)),
        s('text', { x: labels + w + 8, y: y + 18, class: 'bar-value' }, usd(r.spend_usd)));
    });
    return svg;
  }

  /** Columns, one per day, in order. */
  function columns(rows, width) {
    if (!rows.length) return h('p', { class: 'muted' }, 'Nothing to chart.');
    const max = Math.max(...rows.map((r) => r.spend_usd), 1e-12);
    const step = Math.min(80, width / rows.length);
    const svg = s('svg', { viewBox: `0 0 ${width} 220`, width, height: 220, class: 'bar-chart', role: 'img', 'aria-label': 'Spend by day' });
    rows.forEach((r, i) => {
      const height = Math.max(1, (r.spend_usd / max) * 170);
      const x = i * step + step * 0.15;
      svg.append(s('rect', { x, y: 180 - height, width: step * 0.7, height, rx: 3, class: 'bar' },
        s('title', null, `${r.group}: ${usd(r.spend_usd)}`)));
      if (rows.length <= 16 || i % Math.ceil(rows.length / 16) === 0) {
        svg.append(s('text', { x: x + step * 0.35, y: 200, class: 'bar-label', 'text-anchor': 'middle' }, r.group.slice(5)));
      }
    });
    return svg;
  }

  // The frame: signing in and out, the navigation, one page at a time.
  const pages = { overview, models, keys, requests, spend };
  const titles = { overview: 'Overview', models: 'Models', keys: 'Keys', requests: 'Requests', spend: 'Spend' };
  let leave = null;

  function render(name) {
    if (leave) { leave(); leave = null; }
    const root = $('#page');
    root.replaceChildren();
    for (const link of document.querySelectorAll('#nav a')) {
      if (link.dataset.page === name) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    }
    document.title = `${titles[name]} · Baton`;
    leave = pages[name](root) || null;
  }

  function route() {
    if (!session.csrf) return;
    const name = (/^#\/(\w+)/.exec(location.hash) || [])[1];
    render(pages[name] ? name : 'overview');
  }

  function showApp() {
    $('#sign-in').hidden = true;
    $('#nav').hidden = false;
    $('#sign-out').hidden = false;
    route();
  }

  /** Back to the sign-in form, saying why: an ended session is an error, signing out is not. */
  function signedOut(message, quiet = false) {
    if (leave) { leave(); leave = null; }
    session.csrf = null;
    names.keys = new Map();
    $('#page').replaceChildren();
    $('#nav').hidden = true;
    $('#sign-out').hidden = true;
    $('#sign-in').hidden = false;
    $('#sign-in-error').textContent = message || '';
    $('#sign-in-error').className = quiet ? 'muted' : 'error';
    document.title = 'Sign in · Baton';
    $('#master-key').focus();
  }

  $('#sign-in').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('#master-key');
    const button = $('#sign-in button');
    button.disabled = true;
    try {
      const signedIn = await api('POST', '/ui/session', { master_key: input.value });
      input.value = '';
      session.csrf = signedIn.csrf_token;
      $('#sign-in-error').textContent = '';
      showApp();
    } catch (e) {
      $('#sign-in-error').textContent = e.message;
      $('#sign-in-error').className = 'error';
      input.select();
    } finally {
      button.disabled = false;
    }
  });

  $('#sign-out').addEventListener('click', async () => {
    try { await api('DELETE', '/ui/session'); } catch (e) { failed(e); }
    signedOut('Signed out.', true);
  });

  window.addEventListener('hashchange', route);

  api('GET', '/ui/session').then((s) => {
    if (s.signed_in) { session.csrf = s.csrf_token; showApp(); } else signedOut('');
  }).catch((e) => signedOut(e.message));
})();
