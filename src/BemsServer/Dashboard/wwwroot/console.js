// BemsServer live console: frames over SignalR (hub "hub"), everything else through the admin API (../admin).
// Plain script, no build step. All URLs are relative to the page, so the console works under any path base.
(() => {
  'use strict';
  const $ = s => document.querySelector(s);
  const MaxRows = 2000;
  const MaxPushes = 50; // the newest of the tenant's push log (it keeps up to 10,000)
  const query = new URLSearchParams(location.search);
  const state = {
    tenant: query.get('tenant') || 'default',
    user: query.get('user') || '', method: query.get('method') || '', dir: query.get('dir') || '', text: query.get('text') || '',
    frame: query.get('frame') ? Number(query.get('frame')) : null,
    chat: query.get('chat'),
    paused: false,
    token: sessionStorage.getItem('bems-admin-token') || '',
  };
  const seen = new Set();

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    Object.assign(e, props || {});
    for (const c of children) if (c != null) e.append(c);
    return e;
  }

  function writeUrl() {
    const p = new URLSearchParams();
    if (state.tenant !== 'default') p.set('tenant', state.tenant);
    for (const k of ['user', 'method', 'dir', 'text']) if (state[k]) p.set(k, state[k]);
    if (state.frame != null) p.set('frame', state.frame);
    if (state.chat) p.set('chat', state.chat);
    const qs = p.toString();
    history.replaceState(null, '', qs ? '?' + qs : location.pathname);
    $('#certify-link').href = 'certify.html' + (state.tenant === 'default' ? '' : '?tenant=' + encodeURIComponent(state.tenant));
  }

  const adminUrl = path => (state.tenant === 'default' ? '../admin' : '../admin/t/' + encodeURIComponent(state.tenant)) + path;

  async function api(method, url, body) {
    const headers = {};
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401) { askToken(); throw new Error('the admin token is needed'); }
    const text = await r.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    if (!r.ok) throw new Error((data && (data.detail || data.title)) || (typeof data === 'string' && data) || ('HTTP ' + r.status));
    return data;
  }

  // ---- hub ----
  const hub = new signalR.HubConnectionBuilder()
    .withUrl('hub', { accessTokenFactory: () => state.token })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(5000, 250 * (ctx.previousRetryCount + 1)) })
    .build();

  function setStatus(text, cls) { const s = $('#status'); s.textContent = text; s.className = 'status ' + (cls || ''); }

  hub.on('Frames', batch => {
    if (batch.tenant !== state.tenant || state.paused) return;
    appendRows(batch.frames);
    if (batch.skipped) $('#frame-count').textContent = batch.skipped + ' frames skipped (narrow the filter)';
    scheduleRefresh();
  });
  hub.onreconnecting(() => setStatus('reconnecting…', 'down'));
  hub.onreconnected(() => { setStatus('live', 'live'); resync().catch(e => console.warn('console: ' + e)); });
  hub.onclose(() => { setStatus('disconnected', 'down'); setTimeout(start, 1000); });

  async function start() {
    if (hub.state !== signalR.HubConnectionState.Disconnected) return;
    try {
      await hub.start();
      setStatus('live', 'live');
      await resync();
    } catch (e) {
      console.warn('console: ' + e);
      if (hub.state !== signalR.HubConnectionState.Disconnected) return;
      setStatus('disconnected', 'down');
      if (String(e).includes('401')) askToken(); else setTimeout(start, 1000);
    }
  }

  function filter() { return { tenant: state.tenant, user: state.user, method: state.method, direction: state.dir, text: state.text }; }

  async function resync() {
    if (hub.state !== signalR.HubConnectionState.Connected) return;
    if (state.paused) { refreshPanels(); return; }
    const snap = await hub.invoke('Subscribe', filter());
    $('#frames tbody').replaceChildren();
    seen.clear();
    appendRows(snap.frames, true);
    $('#frame-count').textContent = snap.skipped ? snap.skipped + ' older frames not shown' : '';
    refreshPanels();
    if (state.frame != null) showFrame(state.frame);
  }

  // ---- frames ----
  const time = t => new Date(t).toISOString().substring(11, 23);

  function appendRows(rows, forceBottom) {
    const scroll = $('#frames-scroll');
    const atBottom = forceBottom || scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 40;
    const body = $('#frames tbody');
    for (const f of rows) {
      if (seen.has(f.seq)) continue;
      seen.add(f.seq);
      const tr = el('tr', { className: 'frame k-' + f.kind });
      tr.dataset.seq = f.seq;
      tr.dataset.kind = f.kind;
      tr.dataset.direction = f.direction;
      if (f.method) tr.dataset.method = f.method;
      if (f.seq === state.frame) tr.classList.add('selected');
      tr.append(el('td', { textContent: f.seq }), el('td', { textContent: time(f.time) }),
        el('td', { className: f.direction, textContent: f.direction === 'in' ? '→' : '←', title: f.direction === 'in' ? 'client to server' : 'server to client' }),
        el('td', { textContent: f.user || f.connection, title: f.connection }), el('td', { textContent: f.method || '' }),
        el('td', { textContent: f.id || '' }), el('td', { textContent: f.state || f.kind }), el('td', { textContent: f.preview }));
      body.append(tr);
    }
    while (body.rows.length > MaxRows) { seen.delete(Number(body.rows[0].dataset.seq)); body.rows[0].remove(); }
    if (atBottom) scroll.scrollTop = scroll.scrollHeight;
  }

  $('#frames tbody').addEventListener('click', e => {
    const tr = e.target.closest('tr.frame');
    if (tr) showFrame(Number(tr.dataset.seq));
  });

  async function showFrame(seq) {
    state.frame = seq;
    writeUrl();
    const d = await hub.invoke('Frame', state.tenant, seq);
    document.querySelectorAll('#frames tr.selected, #frames tr.linked').forEach(r => r.classList.remove('selected', 'linked'));
    if (!d) { $('#detail').hidden = true; return; }
    document.querySelector(`#frames tr[data-seq="${seq}"]`)?.classList.add('selected');
    $('#detail').hidden = false;
    $('#detail-title').textContent = `#${d.row.seq} ${d.row.direction === 'in' ? 'from' : 'to'} ${d.row.user || d.row.connection} · ${d.row.method || ''} ${d.row.kind}`;
    $('#related').replaceChildren(...d.related.map(r => {
      document.querySelector(`#frames tr[data-seq="${r.seq}"]`)?.classList.add('linked');
      const li = el('li', { className: 'related', textContent: `#${r.seq} ${r.direction} ${r.method || ''} ${r.kind} ${r.state || ''}`.trim() });
      li.dataset.seq = r.seq;
      li.dataset.kind = r.kind;
      if (r.state) li.dataset.state = r.state;
      li.onclick = () => showFrame(r.seq);
      return li;
    }));
    $('#detail-json').textContent = JSON.stringify(d.frame, null, 2);
  }

  // ---- panels (admin API), refreshed at most twice a second while traffic flows ----
  let refreshTimer = null;
  function scheduleRefresh() { if (!refreshTimer) refreshTimer = setTimeout(() => { refreshTimer = null; refreshPanels(); }, 500); }

  async function refreshPanels() {
    try {
      const [users, sessions, chats, rooms, pushes, faults, clock, tenants, advice] = await Promise.all([
        api('GET', adminUrl('/users')), api('GET', adminUrl('/sessions')), api('GET', adminUrl('/chats')), api('GET', adminUrl('/rooms')),
        api('GET', adminUrl('/pushes?limit=' + MaxPushes)), api('GET', adminUrl('/faults')), api('GET', '../admin/clock'),
        api('GET', '../admin/tenants'), hub.invoke('Advice', state.tenant)]);
      renderPeople(users, sessions);
      renderChats(chats);
      $('#rooms').replaceChildren(...rooms.map(r => el('li', { title: r.id, textContent: `${r.name} (${r.privacy}${r.disabled ? ', disabled' : ''}): ${r.members} members, ${r.participants} in, ${r.messages} messages` })));
      renderPushes(pushes);
      renderFaults(faults);
      $('#clock').textContent = `${clock.mode} clock ${clock.now.substring(0, 19).replace('T', ' ')}`;
      $('#tenants').replaceChildren(...tenants.map(t => el('option', { value: t.name })));
      renderAdvice(advice);
    } catch (e) {
      $('#control-result').textContent = String(e.message || e);
    }
  }

  function renderPeople(users, sessions) {
    const byUser = new Map();
    for (const s of sessions) (byUser.get(s.user) || byUser.set(s.user, []).get(s.user)).push(s);
    $('#people tbody').replaceChildren(...users.map(u => {
      const own = byUser.get(u.id) || [];
      const devices = own.map(s => s.simulated ? 'simulated' : `${s.deviceToken}${s.connection ? '' : ' (parked)'}`).join(', ');
      const tr = el('tr', {}, el('td', { textContent: u.id }), el('td', { textContent: u.behavior === 'none' ? '' : u.behavior }),
        el('td', { textContent: u.online ? devices || 'online' : 'offline' }),
        el('td', { className: 'presence', textContent: u.presence + (u.personalMessage ? ` · ${u.personalMessage}` : '') }));
      tr.dataset.user = u.id;
      tr.dataset.online = u.online;
      return tr;
    }));
  }

  function renderChats(chats) {
    $('#chats').replaceChildren(...chats.map(c => {
      const li = el('li', { textContent: `${c.inviter} ↔ ${c.invitee}: ${c.state}${c.queued.length ? `, ${c.queued.length} queued` : ''}` });
      li.dataset.chat = c.id;
      if (c.id === state.chat) li.classList.add('selected');
      li.onclick = () => { state.chat = c.id; writeUrl(); showChat(); };
      return li;
    }));
    if (state.chat) showChat();
  }

  async function showChat() {
    const pre = $('#chat-detail');
    try {
      pre.textContent = JSON.stringify(await api('GET', adminUrl('/chats/' + encodeURIComponent(state.chat))), null, 2);
    } catch (e) {
      pre.textContent = 'chat ' + state.chat + ': ' + (e.message || e);
    }
    pre.hidden = false;
  }

  const cut = (text, max) => text.length <= max ? text : text.substring(0, max - 1) + '…';

  // The push log's newest first, whatever the source (a Connect background event, a presence change, an app server's notify).
  function renderPushes(pushes) {
    $('#push-count').textContent = pushes.length === 0 ? '(none)' : pushes.length < MaxPushes ? `(${pushes.length})` : `(newest ${MaxPushes})`;
    $('#pushes').replaceChildren(...pushes.slice().reverse().map(p => {
      const token = p.gnpToken || '';
      const li = el('li', { className: 'push' },
        el('div', { className: 'meta' }, el('span', { className: 'time', textContent: time(p.time) }), ' ',
          el('span', { className: 'source', textContent: p.source }), ' ', el('span', { className: 'user', textContent: p.userId || '' }), ' ',
          el('span', { className: 'token', textContent: cut(token, 24), title: 'GNP token ' + token })),
        el('div', { className: 'text', textContent: cut(p.text, 100), title: p.text }));
      li.dataset.source = p.source;
      if (token) li.dataset.token = token;
      return li;
    }));
  }

  function renderFaults(faults) {
    $('#faults').replaceChildren(...faults.map(f => {
      const r = f.rule || f;
      const li = el('li', { textContent: `${r.method} → ${r.action}${r.user ? ' for ' + r.user : ''}${r.times ? ' ×' + r.times : ''} ` },
        el('button', { type: 'button', textContent: 'remove', onclick: () => act(() => api('DELETE', adminUrl('/faults/' + f.id))) }));
      li.dataset.fault = f.id;
      return li;
    }));
  }

  function renderAdvice(advice) {
    $('#advice-count').textContent = advice.length ? `(${advice.length})` : '(none)';
    $('#advice').replaceChildren(...advice.map(a => {
      const li = el('li', { className: 'advice' }, el('b', { textContent: a.title }), ` ${a.detail} — ${a.user || a.connection}`,
        el('div', { className: 'spec', textContent: a.spec }));
      li.dataset.rule = a.rule;
      if (a.frame) { li.title = 'show the frame'; li.onclick = () => showFrame(a.seq); }
      return li;
    }));
  }

  async function act(action, out) {
    const target = out || $('#control-result');
    try {
      const result = await action();
      target.textContent = result === null || result === undefined ? 'done' : JSON.stringify(result.outcome || result);
    } catch (e) {
      target.textContent = 'refused: ' + (e.message || e);
    }
    refreshPanels();
  }

  // ---- acting as a user (the admin inject routes) ----
  $('#act').addEventListener('submit', e => {
    e.preventDefault();
    const as = $('#act-as').value.trim(), to = $('#act-to').value.trim(), text = $('#act-text').value, action = $('#act-action').value;
    const user = adminUrl('/users/' + encodeURIComponent(as));
    const calls = {
      send: () => api('POST', user + '/send', { to, message: text }),
      'start-chat': () => api('POST', user + '/start-chat', { to }),
      'end-chat': () => api('POST', user + '/end-chat', { to }),
      typing: () => api('POST', user + '/typing', { to, typing: true }),
      accept: () => api('POST', user + '/accept', { from: to }),
      decline: () => api('POST', user + '/decline', { from: to }),
      presence: () => api('POST', user + '/presence', { presence: text }),
      'room-post': () => api('POST', user + '/room-post', { room: to, message: text }),
      behavior: () => api('PATCH', user, { behavior: text || 'accept' }),
    };
    act(calls[action], $('#act-result'));
  });

  // ---- control ----
  $('#fault-form').addEventListener('submit', e => {
    e.preventDefault();
    const rule = { method: $('#fault-method').value.trim(), action: $('#fault-action').value };
    if ($('#fault-user').value.trim()) rule.user = $('#fault-user').value.trim();
    if ($('#fault-times').value.trim()) rule.times = Number($('#fault-times').value);
    act(() => api('POST', adminUrl('/faults'), rule));
  });
  $('#clock-form').addEventListener('submit', e => {
    e.preventDefault();
    act(() => api('POST', '../admin/clock/advance', { by: $('#clock-by').value.trim() }));
  });
  $('#reset-traffic').onclick = () => act(() => api('POST', adminUrl('/reset?scope=traffic')).then(() => resync()));
  $('#reset-all').onclick = () => act(() => api('POST', adminUrl('/reset?scope=all')).then(() => resync()));
  // Fetched through api() (it carries the admin token), then saved as a file.
  async function download(path, name) {
    const data = await api('GET', adminUrl(path));
    el('a', { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })), download: name }).click();
    return name + ' downloaded';
  }
  $('#snapshot-download').onclick = () => act(() => download('/snapshot', `snapshot-${state.tenant}.json`));
  $('#har-download').onclick = () => act(() => download('/journal.har', `bems-${state.tenant}.har`), $('#frame-count'));
  $('#snapshot-upload').onchange = e => {
    const file = e.target.files[0];
    if (file) act(async () => { await api('POST', adminUrl('/snapshot'), JSON.parse(await file.text())); return 'snapshot imported'; });
  };

  // ---- filter, tenant, pause ----
  let filterTimer = null;
  function readFilter() {
    state.user = $('#f-user').value.trim(); state.method = $('#f-method').value.trim();
    state.dir = $('#f-dir').value; state.text = $('#f-text').value;
    writeUrl();
    clearTimeout(filterTimer);
    filterTimer = setTimeout(resync, 250);
  }
  for (const id of ['#f-user', '#f-method', '#f-text']) $(id).addEventListener('input', readFilter);
  $('#f-dir').addEventListener('change', readFilter);
  $('#filter').addEventListener('submit', e => e.preventDefault());
  $('#tenant').addEventListener('change', () => {
    state.tenant = $('#tenant').value.trim() || 'default';
    state.frame = null; state.chat = null;
    $('#detail').hidden = true; $('#chat-detail').hidden = true;
    writeUrl();
    resync();
  });
  $('#pause').onclick = async () => {
    state.paused = !state.paused;
    $('#pause').textContent = state.paused ? 'Resume' : 'Pause';
    if (state.paused) await hub.invoke('Pause'); else await resync();
  };

  // ---- token ----
  function askToken() { $('#token-form').hidden = false; $('#token').focus(); }
  $('#token-form').addEventListener('submit', async e => {
    e.preventDefault();
    state.token = $('#token').value;
    sessionStorage.setItem('bems-admin-token', state.token);
    $('#token-form').hidden = true;
    if (hub.state === signalR.HubConnectionState.Disconnected) start(); else resync();
  });

  // ---- start ----
  $('#tenant').value = state.tenant;
  $('#f-user').value = state.user; $('#f-method').value = state.method; $('#f-dir').value = state.dir; $('#f-text').value = state.text;
  writeUrl();
  window.bemsConsole = { hub, state }; // for debugging from the browser's devtools
  start();
})();
