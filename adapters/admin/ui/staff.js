// よりそい 管理画面: answering parents (the 対応待ち queue, takeover, release,
// replies), the indicators that guide the work, and staff accounts.
// Uses app.js's helpers (h, api, state, parts, muniLabel, barChart, …).
'use strict';

const HANDOFF_STATES = { waiting: '対応待ち', active: '対応中', released: '終了' };
const RELEASED_BY = { timeout: '時間切れ', user: '利用者が退出' };

function staffWhen(iso) {
  if (!iso) return '—';
  const p = parts(iso);
  return `${p.md} ${p.time}`;
}

// ---------------------------------------------------------------------------
// 対応待ち

async function viewHandoffs(_args, params) {
  const st = params.get('state') || '';
  const data = await api('handoffs' + (st ? '?state=' + encodeURIComponent(st) : ''));
  updateWaiting(data.waiting);
  const tabs = h('p', { class: 'tabs' },
    [['', '対応待ち・対応中'], ['released', '終了したもの']].map(([v, label]) =>
      h('a', { href: '#/handoffs' + (v ? '?state=' + v : ''), class: v === st ? 'active' : '' }, label)));
  const rows = data.items.map((x) => h('tr', { 'data-handoff-id': x.id, 'data-state': x.state },
    h('td', {}, badge(HANDOFF_STATES[x.state] || x.state, x.state === 'waiting' ? 'warn' : x.state === 'active' ? 'ok' : '')),
    h('td', {}, staffWhen(x.requested_at)),
    h('td', {}, x.requested ? (x.during_hours ? '受付時間内' : '受付時間外') : '職員から開始'),
    h('td', {}, x.municipality_name || muniLabel(x.municipality)),
    h('td', {}, x.taken_by ? `${x.taken_by} さん` : '—'),
    h('td', {}, x.state === 'active' ? staffWhen(x.expires_at) : x.state === 'released' ? `${staffWhen(x.released_at)}（${RELEASED_BY[x.released_by] || x.released_by + ' さん'}）` : '—'),
    h('td', {}, x.conversation ? h('a', { href: '#/conversation/' + x.conversation, class: 'open-handoff' }, '会話を開く') : '—')));
  return h('div', {},
    h('h2', {}, '対応待ち'),
    h('p', { class: 'muted' }, '「人と話したい」と希望した保護者です。会話を開いて「対応を開始」すると、その保護者への自動応答が止まり、このLINEで返信できます（緊急の相談には自動応答が引き続きすぐに答えます）。'),
    tabs,
    data.items.length
      ? h('div', { class: 'table-wrap' }, h('table', { id: 'handoff-table' },
        h('thead', {}, h('tr', {}, ['状態', '希望した日時', '受付', '自治体', '担当', '自動終了／終了', ''].map((c) => h('th', {}, c)))),
        h('tbody', {}, rows)))
      : h('p', { class: 'muted', id: 'handoff-empty' }, '対応を待っている保護者はいません。'));
}

// ---------------------------------------------------------------------------
// Beside a conversation: who is answering, takeover / release, reply

async function handoffPanel(c) {
  if (!state.staffChat) return null;
  let info;
  try {
    info = await api(`conversations/${c.id}/handoff`);
  } catch (e) {
    return null;
  }
  const hand = info.handoff;
  const box = h('div', { class: 'card staff-panel', id: 'staff-panel' });
  const status = !hand ? '自動応答が答えています'
    : hand.state === 'waiting' ? '担当者との会話を希望しています（対応待ち）'
    : `${hand.taken_by} さんが対応中（${staffWhen(hand.expires_at)}に自動で終了）`;
  box.append(h('h3', {}, '担当者の対応'), h('p', { id: 'handoff-status' }, status));
  if (!info.reachable) {
    box.append(h('p', { class: 'muted small' }, 'この保護者とは1対1のトークの記録がないため、LINEで返信できません。'));
  }
  const message = h('p', { class: 'notice', id: 'staff-message', hidden: true });
  const act = async (path, body) => {
    try {
      const r = await api(`conversations/${c.id}/${path}`, { method: 'POST', body: body || {} });
      if (r && r.warning) sessionStorage.setItem('yorisoi-warning', r.warning);
      const me = await api('me');
      updateWaiting(me.waiting);
      render();
    } catch (e) {
      if (e.status === 401) return;
      message.textContent = e.status === 409 ? `ほかの職員が対応中です：${e.message}`
        : e.status === 502 ? `送信できませんでした：${e.message}`
        : e.status === 403 ? 'この操作は許可されていません。'
        : `失敗しました：${e.message}`;
      message.classList.add('error');
      message.hidden = false;
    }
  };
  const warned = sessionStorage.getItem('yorisoi-warning');
  if (warned) {
    sessionStorage.removeItem('yorisoi-warning');
    box.append(h('p', { class: 'error' }, `保護者へのお知らせを送れませんでした：${warned}`));
  }
  if (state.permissions.converse) {
    if (!hand || hand.state === 'waiting') {
      box.append(h('button', { type: 'button', id: 'takeover', onclick: () => act('takeover') }, '対応を開始（自動応答を止める）'));
    } else {
      box.append(h('button', { type: 'button', id: 'release', class: 'secondary', onclick: () => act('release') }, '対応を終了（自動応答に戻す）'));
    }
    if (info.reachable) {
      const text = h('textarea', { id: 'reply-text', rows: 4, maxlength: 2000, placeholder: '保護者への返信（「【担当者より】」を付けてLINEで送ります）' });
      const form = h('form', { id: 'reply-form' },
        h('label', {}, '返信', text),
        h('button', { type: 'submit', id: 'reply-send' }, 'LINEで送信'));
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (!text.value.trim()) return;
        await act('reply', { text: text.value });
      });
      box.append(form);
    }
  }
  box.append(message);
  return box;
}
conversationPanels.push(handoffPanel);

// ---------------------------------------------------------------------------
// 改善の指標

async function viewInsights(_args, params) {
  const to = params.get('to') || jstToday();
  const from = params.get('from') || addDays(to, -27);
  const muni = params.get('municipality') || '';
  const q = new URLSearchParams({ from, to });
  if (muni) q.set('municipality', muni);
  const d = await api('insights?' + q.toString());
  const f = state.facets || {};
  const form = h('form', { class: 'card filters', id: 'insights-form' },
    h('label', {}, '期間（から）', h('input', { type: 'date', name: 'from', value: from })),
    h('label', {}, '期間（まで）', h('input', { type: 'date', name: 'to', value: to })),
    h('label', {}, '自治体', selectOf('municipality', muni, (f.municipalities || []).map((m) => [m, muniLabel(m)]), 'すべて')),
    h('button', { type: 'submit' }, '表示'),
    h('a', { class: 'button secondary', id: 'insights-csv', href: 'api/insights.csv?' + q.toString(), download: '' }, 'CSVを出力'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const el of form.elements) if (el.name && el.value) p.set(el.name, el.value);
    location.hash = '#/insights?' + p.toString();
  });
  const kpi = (v, l, id) => h('div', { class: 'kpi', id }, h('div', { class: 'v' }, v), h('div', { class: 'l' }, l));
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const ho = d.handoffs;
  const minutes = ho && ho.median_first_reply_s >= 0 ? `${Math.round(ho.median_first_reply_s / 60)}分` : '—';
  const labels = d.days.map((x) => parts(x.date + 'T00:00:00+09:00').short);
  const weeks = {};
  for (const t of d.topics) {
    const key = `${t.week}|${t.municipality}`;
    (weeks[key] = weeks[key] || []).push(t);
  }
  const weekRows = Object.keys(weeks).sort().reverse().map((key) => {
    const [week, m] = key.split('|');
    return h('tr', {},
      h('td', {}, `${parts(week + 'T00:00:00+09:00').md}の週`),
      h('td', {}, (weeks[key][0].municipality_name) || (m ? muniLabel(m) : '不明')),
      h('td', {}, h('ol', { class: 'topics' }, weeks[key].map((t) =>
        h('li', {}, h('a', { href: '#/review' }, t.sample), ` （${t.count}件）`)))));
  });
  return h('div', {},
    h('h2', {}, '改善の指標'),
    form,
    h('div', { class: 'kpis', id: 'insight-kpis' },
      kpi(pct(d.containment), '自動応答で完結（担当者への引き継ぎなし）', 'kpi-containment'),
      kpi(pct(d.fallback_rate), '未回答率', 'kpi-fallback'),
      kpi(ho ? ho.requested : '—', '担当者との会話の希望', 'kpi-handoffs'),
      kpi(minutes, '希望から最初の返信まで（中央値）', 'kpi-first-reply')),
    h('div', { class: 'charts' },
      barChart('日別の相談・未回答・引き継ぎ', labels, [
        { name: '相談', values: d.days.map((x) => x.inbound), cls: 'c1' },
        { name: '未回答', values: d.days.map((x) => x.fallbacks), cls: 'c3' },
        { name: '引き継ぎ', values: d.days.map((x) => x.handoffs), cls: 'c2' },
      ])),
    h('h3', {}, '週ごと・自治体ごとの未回答の質問（上位5件）'),
    weekRows.length
      ? h('div', { class: 'table-wrap' }, h('table', { id: 'topics-table' },
        h('thead', {}, h('tr', {}, ['週', '自治体', '質問（伏せ字済み）'].map((c) => h('th', {}, c)))),
        h('tbody', {}, weekRows)))
      : h('p', { class: 'muted' }, 'この期間の未回答の質問はありません。'));
}

// ---------------------------------------------------------------------------
// 職員アカウント (admin)

async function viewUsers() {
  const data = await api('users');
  const message = h('p', { class: 'notice', id: 'users-message', hidden: true });
  const say = (text, error) => {
    message.textContent = text;
    message.classList.toggle('error', !!error);
    message.hidden = false;
  };
  const roleSelect = (value, id) => h('select', { id },
    Object.keys(ROLE_LABELS).map((r) => h('option', { value: r, selected: r === value }, `${ROLE_LABELS[r]}（${r}）`)));
  const post = async (path, body, done) => {
    try {
      await api(path, { method: 'POST', body: body || {} });
      sessionStorage.setItem('yorisoi-users', done);
      render();
    } catch (e) {
      if (e.status !== 401) say(`失敗しました：${e.message}`, true);
    }
  };
  const rows = data.items.map((u) => {
    const sel = roleSelect(u.role, 'role-' + u.name);
    return h('tr', { 'data-user': u.name },
      h('td', {}, u.name),
      h('td', {}, sel, ' ', h('button', { type: 'button', class: 'secondary small', onclick: () => post(`users/${encodeURIComponent(u.name)}`, { role: sel.value }, `${u.name} さんの権限を変更しました。`) }, '変更')),
      h('td', {}, staffWhen(u.last_login_at)),
      h('td', {}, u.failed_logins),
      h('td', {},
        h('button', { type: 'button', class: 'secondary small', onclick: () => post(`users/${encodeURIComponent(u.name)}/revoke`, {}, `${u.name} さんのログインを無効にしました。`) }, 'ログインを無効化'), ' ',
        u.name === state.user ? null : h('button', { type: 'button', class: 'danger small', onclick: () => {
          if (confirm(`${u.name} さんのアカウントを削除しますか？`)) post(`users/${encodeURIComponent(u.name)}/remove`, {}, `${u.name} さんを削除しました。`);
        } }, '削除')));
  });
  const name = h('input', { id: 'new-user-name', required: true, maxlength: 64, autocomplete: 'off' });
  const pass = h('input', { id: 'new-user-password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' });
  const role = roleSelect('staff', 'new-user-role');
  const form = h('form', { class: 'card filters', id: 'new-user-form' },
    h('label', {}, 'ユーザー名', name), h('label', {}, '初期パスワード（8文字以上）', pass), h('label', {}, '権限', role),
    h('button', { type: 'submit' }, '追加'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    post('users', { name: name.value.trim(), password: pass.value, role: role.value }, `${name.value.trim()} さんを追加しました。`);
  });
  const done = sessionStorage.getItem('yorisoi-users');
  if (done) {
    sessionStorage.removeItem('yorisoi-users');
    say(done, false);
  }
  return h('div', {},
    h('h2', {}, '職員アカウント'),
    h('p', { class: 'muted' }, '閲覧：ログと統計を見る ／ 対応：保護者に返信・対応の開始と終了 ／ 編集：例文とFAQの追加 ／ 管理者：すべてとアカウント管理。'),
    message,
    h('div', { class: 'table-wrap' }, h('table', { id: 'users-table' },
      h('thead', {}, h('tr', {}, ['ユーザー名', '権限', '最終ログイン', 'ログイン失敗', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, rows))),
    h('h3', {}, '職員を追加'),
    form);
}

registerView((p) => (p === '/handoffs' ? [] : null), viewHandoffs);
registerView((p) => (p === '/insights' ? [] : null), viewInsights);
registerView((p) => (p === '/users' ? [] : null), viewUsers);

// The 対応待ち badge stays current while the console is open.
setInterval(async () => {
  if (!state.user || !state.staffChat) return;
  try {
    const me = await api('me');
    updateWaiting(me.waiting);
  } catch (e) {
    // the next poll tries again
  }
}, 30000);
