// BemsServer certification page: the tenant's certification runs and their verdicts, from the admin API (../admin),
// each verdict's frames linking to the console (./?tenant=…&frame=…). Plain script, no build step, relative URLs.
(() => {
  'use strict';
  const $ = s => document.querySelector(s);
  const query = new URLSearchParams(location.search);
  const state = { tenant: query.get('tenant') || 'default', token: sessionStorage.getItem('bems-admin-token') || '' };
  let timer = null;

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const c of children) if (c != null) e.append(c);
    return e;
  }

  const adminUrl = path => (state.tenant === 'default' ? '../admin' : '../admin/t/' + encodeURIComponent(state.tenant)) + path;
  const frameUrl = seq => './?' + new URLSearchParams(state.tenant === 'default' ? { frame: seq } : { tenant: state.tenant, frame: seq });

  async function api(method, url, body) {
    const headers = {};
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401) { $('#token-form').hidden = false; throw new Error('the admin token is needed'); }
    const text = await r.text();
    const data = text ? JSON.parse(text) : null;
    if (!r.ok) throw new Error((data && (data.detail || data.title)) || ('HTTP ' + r.status));
    return data;
  }

  function verdictRow(v) {
    const frames = el('td', { className: 'frames' });
    for (const seq of v.frames) frames.append(el('a', { href: frameUrl(seq), textContent: '#' + seq }), ' ');
    const row = el('tr', { className: 'verdict ' + (v.passed ? 'pass' : 'fail') },
      el('td', { textContent: v.passed ? 'PASS' : 'FAIL' }), el('td', { textContent: v.case }),
      el('td', { textContent: v.message }), el('td', { textContent: v.rule }), el('td', { textContent: v.window }), frames);
    row.dataset.case = v.case;
    return row;
  }

  function render(runs) {
    const box = $('#runs');
    box.replaceChildren();
    if (runs.length === 0) box.append(el('p', { textContent: 'No certification run on this tenant yet.' }));
    for (const run of runs.slice().reverse()) {
      const title = el('h3', { textContent: `${run.id} · ${run.user} · ${run.status} · ${run.passed} passed, ${run.failed} failed` });
      const section = el('section', { className: 'run', id: 'run-' + run.id }, title);
      section.dataset.status = run.status;
      if (run.current) section.append(el('p', { className: 'current', textContent: 'running: ' + run.current }));
      if (run.prompt) section.append(el('p', { className: 'prompt', textContent: run.prompt }));
      section.append(el('p', {}, el('a', { href: adminUrl('/certify/' + encodeURIComponent(run.id) + '/junit.xml'), textContent: 'JUnit XML' }), ' · ',
        el('a', { href: adminUrl('/certify/' + encodeURIComponent(run.id)), textContent: 'JSON' })));
      const table = el('table', { className: 'verdicts' },
        el('thead', {}, el('tr', {}, ...['', 'case', 'verdict', 'rule', 'window', 'frames'].map(h => el('th', { textContent: h })))));
      const body = el('tbody');
      for (const v of run.verdicts) body.append(verdictRow(v));
      for (const name of run.pending) body.append(el('tr', { className: 'verdict pending' }, el('td', { textContent: '…' }), el('td', { textContent: name })));
      table.append(body);
      section.append(table);
      box.append(section);
    }
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const runs = await api('GET', adminUrl('/certify'));
      render(runs);
      $('#status').textContent = 'live';
      if (runs.some(r => r.status === 'waiting' || r.status === 'running')) timer = setTimeout(refresh, 1000);
    } catch (e) {
      $('#status').textContent = e.message;
    }
  }

  $('#tenant').value = state.tenant;
  $('#console-link').href = state.tenant === 'default' ? './' : './?tenant=' + encodeURIComponent(state.tenant);
  $('#tenant').addEventListener('change', () => {
    state.tenant = $('#tenant').value.trim() || 'default';
    history.replaceState(null, '', state.tenant === 'default' ? location.pathname : '?tenant=' + encodeURIComponent(state.tenant));
    refresh();
  });
  $('#start').addEventListener('submit', async e => {
    e.preventDefault();
    const cases = $('#start-cases').value.split(',').map(s => s.trim()).filter(Boolean);
    try {
      const run = await api('POST', adminUrl('/certify'), { user: $('#start-user').value.trim(), cases: cases.length ? cases : undefined });
      $('#start-result').textContent = `${run.id} started: connect the client of ${run.user}`;
    } catch (err) {
      $('#start-result').textContent = err.message;
    }
    refresh();
  });
  $('#token-form').addEventListener('submit', e => {
    e.preventDefault();
    state.token = $('#token').value;
    sessionStorage.setItem('bems-admin-token', state.token);
    $('#token-form').hidden = true;
    refresh();
  });
  refresh();
})();
