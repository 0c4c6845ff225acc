// よりそい 管理画面: a small single-page app over /admin/api/ (no libraries).
// Every value from the server is inserted as text (never as HTML).
'use strict';

const state = {
  user: null, role: null, permissions: {}, staffChat: false, csrf: null, facets: null,
  lastList: '#/conversations',
};
const ROLE_LABELS = { viewer: '閲覧', staff: '対応', editor: '編集', admin: '管理者' };
// Views added by other scripts (staff.js, edits.js): [{ match(path) → args | null, view(args, params) }].
const extraViews = [];
function registerView(match, view) {
  extraViews.push({ match, view });
}
// Panels other scripts add beside a conversation: fn(conversation) → element | null.
const conversationPanels = [];

const FLAG_LABELS = {
  answered: '回答済み',
  fallback: '未回答',
  ambiguous: 'あいまい',
  handoff: '窓口案内',
  crisis: '緊急対応',
  reviewed: '確認済み',
  unreviewed: '未確認',
};
const STATUS_LABELS = { pending: '未対応', resolved: '対応済み', ignored: '対象外' };
const ACTION_LABELS = {
  login: 'ログイン',
  login_failed: 'ログイン失敗',
  login_throttled: 'ログイン制限',
  logout: 'ログアウト',
  list_conversations: '会話の一覧・検索',
  view_conversation: '会話の閲覧',
  tag_conversation: 'タグ・確認済み',
  update_review: '未回答の質問の対応',
  export: 'CSV出力',
  view_audit: '操作記録の閲覧',
  staff_reply: '担当者の返信',
  staff_reply_failed: '担当者の返信（未送信）',
  takeover: '対応を開始',
  release: '対応を終了',
  add_user: '職員の追加',
  remove_user: '職員の削除',
  set_role: '権限の変更',
  set_password: 'パスワード変更',
  revoke_sessions: 'ログインの無効化',
};
const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

// ---------------------------------------------------------------------------
// DOM helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function s(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

const $ = (sel) => document.querySelector(sel);

// ---------------------------------------------------------------------------
// Labels and dates

function muniLabel(id) {
  if (!id) return '自治体不明';
  const l = state.facets && state.facets.labels && state.facets.labels.municipality[id];
  return l || id;
}
function programLabel(id) {
  const l = state.facets && state.facets.labels && state.facets.labels.program[id];
  return l || id;
}

// "2026-11-24T22:15:00+09:00" → parts in JST (the server sends JST).
function parts(iso) {
  const d = iso.slice(0, 10);
  const [y, m, day] = d.split('-').map(Number);
  const wd = WEEKDAYS[new Date(Date.UTC(y, m - 1, day)).getUTCDay()];
  return { date: d, md: `${m}月${day}日(${wd})`, time: iso.slice(11, 16), short: `${m}/${day}` };
}

function jstToday() {
  const now = new Date(Date.now() + 9 * 3600 * 1000);
  return now.toISOString().slice(0, 10);
}
function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function badge(name, cls) {
  return h('span', { class: 'badge ' + (cls || name) }, FLAG_LABELS[name] || name);
}

function flagBadges(flags) {
  return (flags || []).filter((f) => f !== 'answered').map((f) => badge(f));
}

// Text with every occurrence of `q` wrapped in <mark>.
function highlight(text, q) {
  if (!q) return [text];
  const out = [];
  const lower = text.toLowerCase();
  const needle = q.toLowerCase();
  let i = 0;
  while (true) {
    const j = lower.indexOf(needle, i);
    if (j < 0) break;
    out.push(text.slice(i, j), h('mark', {}, text.slice(j, j + needle.length)));
    i = j + needle.length;
  }
  out.push(text.slice(i));
  return out;
}

// ---------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, opts = {}) {
  const init = { method: opts.method || 'GET', headers: {}, credentials: 'same-origin' };
  if (opts.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (init.method !== 'GET' && state.csrf) init.headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch('api/' + path, init);
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (res.status === 401 && path !== 'login') {
    state.user = null;
    showLogin('ログインの有効期限が切れました。もう一度ログインしてください。');
  }
  if (!res.ok) throw new ApiError(res.status, (data && data.error) || res.statusText);
  return data;
}

function errorBox(e) {
  const text =
    e.status === 403 ? 'この操作は許可されていません（画面を再読み込みしてください）。'
    : e.status === 404 ? '見つかりませんでした。保存期間を過ぎて削除された可能性があります。'
    : e.status === 400 ? '入力内容を確認してください。'
    : '読み込みに失敗しました。時間をおいて再度お試しください。';
  return h('p', { class: 'error', role: 'alert' }, text);
}

async function loadFacets() {
  try {
    state.facets = await api('facets');
  } catch (e) {
    state.facets = { labels: { municipality: {}, program: {} }, municipalities: [], intents: [], programs: [], tags: [] };
  }
}

// ---------------------------------------------------------------------------
// Login

function showLogin(message) {
  $('#top').hidden = true;
  $('#app').hidden = true;
  $('#login').hidden = false;
  const err = $('#login-error');
  if (message) {
    err.textContent = message;
    err.hidden = false;
  } else {
    err.hidden = true;
  }
  $('#login-name').focus();
}

function showApp() {
  $('#login').hidden = true;
  $('#top').hidden = false;
  $('#app').hidden = false;
  $('#whoami').textContent = state.user + ' さん';
  $('#whorole').textContent = state.role ? `（${ROLE_LABELS[state.role] || state.role}）` : '';
  for (const a of document.querySelectorAll('[data-needs]')) {
    const need = a.getAttribute('data-needs');
    a.hidden = need === 'staff_chat' ? !state.staffChat : !state.permissions[need];
  }
}

// Who is logged in, what they may do and the 対応待ち badge.
async function loadMe() {
  const me = await api('me');
  state.user = me.user;
  state.role = me.role;
  state.permissions = me.permissions || {};
  state.staffChat = !!me.staff_chat;
  if (me.csrf) state.csrf = me.csrf;
  updateWaiting(me.waiting);
}

function updateWaiting(n) {
  const b = $('#waiting-badge');
  if (!b) return;
  b.textContent = n > 0 ? String(n) : '';
  b.hidden = !(n > 0);
}

async function onLogin(ev) {
  ev.preventDefault();
  const button = $('#login-submit');
  const err = $('#login-error');
  button.disabled = true;
  err.hidden = true;
  try {
    const res = await api('login', {
      method: 'POST',
      body: { name: $('#login-name').value.trim(), password: $('#login-password').value },
    });
    state.user = res.user;
    state.csrf = res.csrf;
    $('#login-password').value = '';
    await loadMe();
    await loadFacets();
    showApp();
    if (!location.hash || location.hash === '#') location.hash = '#/conversations';
    else render();
  } catch (e) {
    err.textContent =
      e.status === 429 ? 'ログインの失敗が続いたため、しばらく待ってからお試しください。'
      : e.status === 401 ? 'ユーザー名またはパスワードが違います。'
      : 'ログインできませんでした。';
    err.hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function onLogout() {
  try {
    await api('logout', { method: 'POST', body: {} });
  } catch (e) {
    // the session is gone either way
  }
  state.user = null;
  state.csrf = null;
  showLogin();
}

// ---------------------------------------------------------------------------
// Router

function route() {
  const raw = location.hash.replace(/^#/, '') || '/conversations';
  const q = raw.indexOf('?');
  return {
    path: q < 0 ? raw : raw.slice(0, q),
    params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
  };
}

async function render() {
  if (!state.user) return;
  const { path, params } = route();
  for (const a of document.querySelectorAll('[data-nav]')) {
    const nav = a.getAttribute('data-nav');
    a.classList.toggle('active', path === nav || (nav === '/conversations' && path.startsWith('/conversation/')));
  }
  const main = $('#app');
  main.replaceChildren(h('p', { class: 'loading' }, '読み込み中…'));
  try {
    let view;
    const m = path.match(/^\/conversation\/(\d+)$/);
    const extra = extraViews.map((v) => ({ v, args: v.match(path) })).find((x) => x.args);
    if (extra) view = await extra.v.view(extra.args, params);
    else if (m) view = await viewConversation(m[1]);
    else if (path === '/review') view = await viewReview(params);
    else if (path === '/stats') view = await viewStats(params);
    else if (path === '/audit') view = await viewAudit(params);
    else if (path === '/edits' && window.yorisoiEdits) view = await window.yorisoiEdits.view(params);  // edits.js
    else view = await viewConversations(params);
    main.replaceChildren(view);
    main.setAttribute('data-view', path);
    document.dispatchEvent(new Event('yorisoi:rendered'));
  } catch (e) {
    if (e.status !== 401) main.replaceChildren(errorBox(e));
  }
}

// ---------------------------------------------------------------------------
// Conversation list

function selectOf(name, value, options, allLabel) {
  return h('select', { name, id: 'f-' + name },
    h('option', { value: '' }, allLabel),
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

async function viewConversations(params) {
  state.lastList = location.hash || '#/conversations';
  const f = state.facets || {};
  const form = h('form', { class: 'card filters', id: 'search-form' },
    h('label', {}, '期間（から）', h('input', { type: 'date', name: 'from', id: 'f-from', value: params.get('from') || '' })),
    h('label', {}, '期間（まで）', h('input', { type: 'date', name: 'to', id: 'f-to', value: params.get('to') || '' })),
    h('label', {}, '自治体', selectOf('municipality', params.get('municipality') || '',
      (f.municipalities || []).map((m) => [m, muniLabel(m)]), 'すべて')),
    h('label', {}, '意図', selectOf('intent', params.get('intent') || '',
      (f.intents || []).map((i) => [i, i]), 'すべて')),
    h('label', {}, '状態', selectOf('flag', params.get('flag') || '',
      ['fallback', 'ambiguous', 'handoff', 'crisis', 'unreviewed', 'reviewed'].map((k) => [k, FLAG_LABELS[k]]), 'すべて')),
    h('label', { class: 'grow' }, 'キーワード（本文）',
      h('input', { type: 'search', name: 'q', id: 'f-q', value: params.get('q') || '', placeholder: '例：児童扶養手当', maxlength: 200 })),
    h('button', { type: 'submit', id: 'search-button' }, '検索'));
  const presets = h('div', { class: 'presets' },
    h('span', { class: 'muted small' }, '期間:'),
    [['今日', 0, 0], ['昨夜から', -1, 0], ['7日間', -6, 0], ['30日間', -29, 0], ['指定なし', null, null]].map(([label, a, b]) =>
      h('button', {
        type: 'button', class: 'secondary',
        onclick: () => {
          form.elements.from.value = a === null ? '' : addDays(jstToday(), a);
          form.elements.to.value = b === null ? '' : addDays(jstToday(), b);
          form.requestSubmit();
        },
      }, label)));
  form.append(presets);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const el of form.elements) if (el.name && el.value) p.set(el.name, el.value.trim());
    location.hash = '#/conversations' + (p.toString() ? '?' + p.toString() : '');
  });

  const query = new URLSearchParams(params);
  if (!query.get('page')) query.set('page', '1');
  const data = await api('conversations?' + query.toString());
  const q = params.get('q') || '';
  const page = data.page;
  const first = data.total ? (page - 1) * data.page_size + 1 : 0;
  const last = Math.min(data.total, page * data.page_size);

  const list = h('ul', { class: 'conv-list', id: 'conversation-list' },
    data.items.map((c) => {
      const a = parts(c.started);
      const b = parts(c.last);
      return h('li', { class: 'conv-item' },
        h('a', { href: '#/conversation/' + c.id, 'data-id': c.id },
          h('div', { class: 'conv-head' },
            h('span', { class: 'time' }, `${a.md} ${a.time}〜${a.date === b.date ? '' : b.md + ' '}${b.time}`),
            h('span', {}, muniLabel(c.municipality)),
            h('span', { class: 'muted' }, `${c.inbound}件の相談`),
            flagBadges(c.flags),
            c.reviewed_by ? badge('reviewed') : null,
            (c.tags || []).map((t) => h('span', { class: 'badge tag' }, t)),
            (c.intents || []).slice(0, 3).map((i) => h('span', { class: 'badge' }, i))),
          (c.excerpts || []).map((e) => h('p', { class: 'excerpt' }, highlight(e, q)))));
    }));

  const pager = h('div', { class: 'pager' },
    h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => goPage(params, page - 1) }, '← 前へ'),
    h('span', { class: 'muted' }, `${page} / ${Math.max(1, data.pages)} ページ`),
    h('button', { type: 'button', class: 'secondary', id: 'next-page', disabled: page >= data.pages, onclick: () => goPage(params, page + 1) }, '次へ →'));

  return h('div', {},
    h('h2', {}, '会話ログ'),
    form,
    h('div', { class: 'summary-line' },
      h('span', { id: 'result-count' }, data.total ? `${data.total}件の会話（${first}〜${last}件目）` : '該当する会話はありません。'),
      h('span', { class: 'muted small' }, '30分以上やりとりがないと別の会話になります。')),
    list,
    data.total > data.page_size ? pager : null);
}

function goPage(params, page) {
  const p = new URLSearchParams(params);
  p.set('page', String(page));
  location.hash = '#/conversations?' + p.toString();
}

// ---------------------------------------------------------------------------
// One conversation (LINE-like transcript)

async function viewConversation(id) {
  const c = await api('conversations/' + encodeURIComponent(id));
  const chat = h('div', { class: 'chat', id: 'transcript' });
  let day = '';
  for (const m of c.messages) {
    const p = parts(m.at);
    if (p.date !== day) {
      day = p.date;
      chat.append(h('div', { class: 'day' }, p.md));
    }
    const meta = h('div', { class: 'meta' },
      h('span', {}, p.time),
      m.direction === 'in' && m.intent ? h('span', {}, `${m.intent} ${Math.round(m.confidence * 100)}%`) : null,
      flagBadges(m.flags),
      m.direction === 'out' && m.programs.length ? h('span', {}, m.programs.map(programLabel).join('・')) : null);
    const staff = m.flow === 'staff' || m.flow === 'staff_undelivered';
    chat.append(h('div', { class: 'msg ' + (m.direction === 'in' ? 'in' : staff ? 'out staff' : 'out'), 'data-message-id': m.id, 'data-flow': m.flow },
      m.direction === 'out' ? (staff ? h('div', { class: 'avatar staff', title: '担当者' }, '担')
        : h('div', { class: 'avatar', title: 'よりそい' }, 'よ')) : null,
      h('div', { class: 'bubble' }, m.text),
      meta));
  }

  const tagsInput = h('input', { id: 'tags-input', value: (c.tags || []).join('、'), placeholder: '例：要フォロー、制度改善' });
  const reviewed = h('input', { type: 'checkbox', id: 'reviewed-input', checked: !!c.reviewed_by });
  const saved = h('p', { class: 'notice', hidden: true }, '保存しました。');
  const tagForm = h('form', {},
    h('label', {}, 'タグ（「、」区切り）', tagsInput),
    h('label', { class: 'check' }, reviewed, '確認済みにする'),
    h('button', { type: 'submit', id: 'save-tags' }, '保存'),
    saved);
  tagForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const tags = tagsInput.value.split(/[、,，]/).map((t) => t.trim()).filter(Boolean);
    try {
      await api(`conversations/${c.id}/tags`, { method: 'POST', body: { tags, reviewed: reviewed.checked } });
      saved.hidden = false;
    } catch (e) {
      if (e.status !== 401) tagForm.append(errorBox(e));
    }
  });

  const a = parts(c.started);
  const b = parts(c.last);
  const side = h('aside', { class: 'card side' },
    h('dl', {},
      h('dt', {}, '日時'), h('dd', {}, `${a.md} ${a.time}〜${b.time}`),
      h('dt', {}, '自治体'), h('dd', {}, muniLabel(c.municipality)),
      h('dt', {}, '利用者'), h('dd', { class: 'small' }, c.user),
      h('dt', {}, '件数'), h('dd', {}, `相談 ${c.inbound}件 / 返答 ${c.outbound}件`),
      h('dt', {}, '状態'), h('dd', {}, flagBadges(c.flags).length ? flagBadges(c.flags) : '—'),
      h('dt', {}, '確認'), h('dd', {}, c.reviewed_by ? `${c.reviewed_by} さん` : '未確認')),
    state.permissions.tag ? tagForm : null,
    h('p', { class: 'muted small' }, '利用者IDは仮名です。電話番号・メールアドレス等は保存前に伏せ字にしています。'));
  for (const panel of conversationPanels) {
    const el = await panel(c);
    if (el) side.prepend(el);
  }

  return h('div', {},
    h('p', {}, h('a', { href: state.lastList }, '← 一覧へ戻る')),
    h('h2', {}, `会話 #${c.id}`),
    h('div', { class: 'conv-layout' }, chat, side));
}

// ---------------------------------------------------------------------------
// Review queue

async function viewReview(params) {
  const status = params.get('status') || 'pending';
  const page = Number(params.get('page') || '1');
  const data = await api(`review?status=${encodeURIComponent(status)}&page=${page}`);
  const tabs = h('div', { class: 'tabs' },
    [['pending', '未対応'], ['resolved', '対応済み'], ['ignored', '対象外'], ['all', 'すべて']].map(([k, label]) =>
      h('a', { href: '#/review?status=' + k, class: k === status ? 'active' : '' }, label)));

  const items = data.items.map((g) => {
    const note = h('textarea', { placeholder: 'メモ（例：ナレッジに○○を追加）', 'aria-label': 'メモ' });
    note.value = g.note || '';
    const setStatus = async (st) => {
      try {
        await api('review/' + g.id, { method: 'POST', body: { status: st, note: note.value } });
        render();
      } catch (e) {
        if (e.status !== 401) card.append(errorBox(e));
      }
    };
    const last = parts(g.last);
    const card = h('div', { class: 'card review-item', 'data-id': g.id },
      h('p', { class: 'q' }, g.text),
      h('div', { class: 'row' },
        h('span', {}, `${g.count}回`),
        g.status !== 'pending' && g.count_since_update ? h('span', { class: 'badge fallback' }, `対応後も${g.count_since_update}回`) : null,
        h('span', { class: 'muted' }, `最終 ${last.md} ${last.time}`),
        h('span', {}, muniLabel(g.municipality)),
        g.kinds.map((k) => badge(k)),
        h('span', { class: 'badge' }, STATUS_LABELS[g.status] || g.status),
        g.updated_by ? h('span', { class: 'muted small' }, `${g.updated_by} さん`) : null),
      h('div', { class: 'row' }, '会話:',
        g.conversations.map((id) => h('a', { href: '#/conversation/' + id }, '#' + id))),
      note,
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => setStatus('resolved') }, '対応済みにする'),
        h('button', { type: 'button', class: 'secondary', onclick: () => setStatus('ignored') }, '対象外にする'),
        g.status !== 'pending' ? h('button', { type: 'button', class: 'secondary', onclick: () => setStatus('pending') }, '未対応に戻す') : null,
        // 「回答の改善」 (edits.js) opens with the text prefilled.
        state.permissions.edit ? h('button', { type: 'button', class: 'secondary', id: 'review-add-example-' + g.id, 'data-edit-text': g.text, 'data-edit-kind': 'example' }, '例文に追加') : null,
        state.permissions.edit ? h('button', { type: 'button', class: 'secondary', id: 'review-write-faq-' + g.id, 'data-edit-text': g.text, 'data-edit-kind': 'faq', 'data-edit-municipality': g.municipality || '' }, 'FAQを書く') : null));
    return card;
  });

  const pager = data.pages > 1 ? h('div', { class: 'pager' },
    h('a', { class: 'button secondary', href: `#/review?status=${status}&page=${Math.max(1, page - 1)}` }, '← 前へ'),
    h('span', { class: 'muted' }, `${page} / ${data.pages} ページ`),
    h('a', { class: 'button secondary', href: `#/review?status=${status}&page=${Math.min(data.pages, page + 1)}` }, '次へ →')) : null;

  return h('div', {},
    h('h2', {}, '未回答の質問'),
    h('p', { class: 'muted' }, 'ボットが答えられなかった質問・あいまいだった質問を、同じ文面ごとにまとめています。ナレッジを直したら「対応済み」にしてください。'),
    tabs,
    h('p', { id: 'review-count' }, `${data.total}件`),
    items.length ? items : h('p', { class: 'muted' }, '該当する質問はありません。'),
    pager);
}

// ---------------------------------------------------------------------------
// Statistics (SVG charts drawn here)

function niceMax(v) {
  if (v <= 5) return 5;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function barChart(title, labels, series, opts = {}) {
  const W = 640, H = 260, L = 44, R = 12, T = 14, B = 34;
  const max = niceMax(Math.max(1, ...series.flatMap((x) => x.values)));
  const n = labels.length;
  const slot = (W - L - R) / Math.max(1, n);
  const bw = Math.max(2, Math.min(28, (slot * 0.8) / series.length));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
  for (let i = 0; i <= 4; i++) {
    const v = (max / 4) * i;
    svg.append(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid-line' }),
      s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis-text' }, opts.percent ? `${Math.round(v)}%` : Math.round(v)));
  }
  const every = Math.ceil(n / 14);
  labels.forEach((label, i) => {
    const x0 = L + slot * i + (slot - bw * series.length) / 2;
    series.forEach((ser, k) => {
      const v = ser.values[i];
      const rect = s('rect', { x: x0 + k * bw, y: y(v), width: bw - 1, height: Math.max(0, y(0) - y(v)), class: ser.cls });
      rect.append(s('title', {}, `${label} ${ser.name}: ${v}`));
      svg.append(rect);
      if (n <= 14 && v > 0) svg.append(s('text', { x: x0 + k * bw + bw / 2, y: y(v) - 3, 'text-anchor': 'middle', class: 'value-text' }, v));
    });
    if (i % every === 0) svg.append(s('text', { x: L + slot * i + slot / 2, y: H - B + 16, 'text-anchor': 'middle', class: 'axis-text' }, label));
  });
  return h('div', { class: 'card chart' }, h('h3', {}, title), svg,
    h('div', { class: 'legend' }, series.map((ser) => h('span', {}, h('i', { class: 'bg-' + ser.cls }), ser.name))));
}

function lineChart(title, labels, values) {
  const W = 640, H = 220, L = 44, R = 12, T = 14, B = 34;
  const max = niceMax(Math.max(5, ...values));
  const n = labels.length;
  const slot = (W - L - R) / Math.max(1, n);
  const x = (i) => L + slot * i + slot / 2;
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
  for (let i = 0; i <= 4; i++) {
    const v = (max / 4) * i;
    svg.append(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid-line' }),
      s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis-text' }, `${Math.round(v)}%`));
  }
  svg.append(s('polyline', { points: values.map((v, i) => `${x(i)},${y(v)}`).join(' '), class: 'rate-line' }));
  const every = Math.ceil(n / 14);
  values.forEach((v, i) => {
    const dot = s('circle', { cx: x(i), cy: y(v), r: 3, class: 'c3' });
    dot.append(s('title', {}, `${labels[i]}: ${v.toFixed(1)}%`));
    svg.append(dot);
    if (i % every === 0) svg.append(s('text', { x: x(i), y: H - B + 16, 'text-anchor': 'middle', class: 'axis-text' }, labels[i]));
  });
  return h('div', { class: 'card chart' }, h('h3', {}, title), svg);
}

function hbarChart(title, rows, labelOf) {
  const W = 640, rowH = 26, L = 190, R = 50;
  const H = Math.max(1, rows.length) * rowH + 8;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
  rows.forEach((r, i) => {
    const y = 4 + i * rowH;
    const w = ((W - L - R) * r.count) / max;
    svg.append(
      s('text', { x: L - 8, y: y + 16, 'text-anchor': 'end', class: 'axis-text' }, labelOf(r.name)),
      s('rect', { x: L, y: y + 4, width: Math.max(1, w), height: rowH - 10, class: 'c2' }),
      s('text', { x: L + w + 6, y: y + 16, class: 'value-text' }, r.count));
  });
  return h('div', { class: 'card chart' }, h('h3', {}, title),
    rows.length ? svg : h('p', { class: 'muted' }, 'データがありません。'));
}

async function viewStats(params) {
  const to = params.get('to') || jstToday();
  const from = params.get('from') || addDays(to, -6);
  const muni = params.get('municipality') || '';
  const q = new URLSearchParams({ from, to });
  if (muni) q.set('municipality', muni);
  const data = await api('stats?' + q.toString());
  const f = state.facets || {};

  const form = h('form', { class: 'card filters', id: 'stats-form' },
    h('label', {}, '期間（から）', h('input', { type: 'date', name: 'from', value: from })),
    h('label', {}, '期間（まで）', h('input', { type: 'date', name: 'to', value: to })),
    h('label', {}, '自治体', selectOf('municipality', muni, (f.municipalities || []).map((m) => [m, muniLabel(m)]), 'すべて')),
    h('button', { type: 'submit' }, '表示'),
    h('a', { class: 'button secondary', id: 'export-csv', href: `api/export.csv?from=${from}&to=${to}`, download: '' }, 'CSVを出力'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const el of form.elements) if (el.name && el.value) p.set(el.name, el.value);
    location.hash = '#/stats?' + p.toString();
  });

  const t = data.totals;
  const users = data.days.reduce((a, d) => a + d.users, 0);
  const kpi = (v, l) => h('div', { class: 'kpi' }, h('div', { class: 'v' }, v), h('div', { class: 'l' }, l));
  const labels = data.days.map((d) => parts(d.date + 'T00:00:00+09:00').short);

  return h('div', {},
    h('h2', {}, '統計・出力'),
    form,
    h('div', { class: 'kpis', id: 'kpis' },
      kpi(t.conversations, '会話'),
      kpi(users, '利用者（日ごとの延べ）'),
      kpi(t.inbound, '相談メッセージ'),
      kpi(`${(t.fallback_rate * 100).toFixed(1)}%`, '未回答率'),
      kpi(t.handoffs, '窓口案内'),
      kpi(t.crisis, '緊急対応')),
    h('div', { class: 'charts' },
      barChart('日別の会話数・利用者数', labels, [
        { name: '会話', values: data.days.map((d) => d.conversations), cls: 'c1' },
        { name: '利用者', values: data.days.map((d) => d.users), cls: 'c2' },
      ]),
      lineChart('日別の未回答率', labels, data.days.map((d) => d.fallback_rate * 100)),
      hbarChart('よく聞かれた内容（意図）', t.top_intents, (n) => n),
      hbarChart('案内した制度', t.top_programs, programLabel)),
    h('h3', {}, '日別'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'stats-table' },
      h('thead', {}, h('tr', {},
        ['日付', '利用者', '会話', 'メッセージ', '相談', '未回答', '未回答率', '窓口案内', '緊急対応', '多かった意図'].map((c, i) =>
          h('th', { class: i > 0 && i < 9 ? 'num' : '' }, c)))),
      h('tbody', {}, data.days.map((d) => h('tr', {},
        h('td', {}, parts(d.date + 'T00:00:00+09:00').md),
        [d.users, d.conversations, d.messages, d.inbound, d.fallbacks].map((v) => h('td', { class: 'num' }, v)),
        h('td', { class: 'num' }, `${(d.fallback_rate * 100).toFixed(1)}%`),
        h('td', { class: 'num' }, d.handoffs),
        h('td', { class: 'num' }, d.crisis),
        h('td', {}, d.top_intents.slice(0, 3).map((x) => `${x.name}(${x.count})`).join('、'))))))));
}

// ---------------------------------------------------------------------------
// Audit log

async function viewAudit(params) {
  const before = params.get('before') || '';
  const data = await api('audit?limit=100' + (before ? '&before=' + encodeURIComponent(before) : ''));
  return h('div', {},
    h('h2', {}, '操作記録'),
    h('p', { class: 'muted' }, '職員のログイン、会話の閲覧、CSV出力などの記録です（新しい順）。'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'audit-table' },
      h('thead', {}, h('tr', {}, ['日時', '職員', '操作', '対象', '詳細', '接続元'].map((c) => h('th', {}, c)))),
      h('tbody', {}, data.items.map((e) => {
        const p = parts(e.at);
        return h('tr', {},
          h('td', {}, `${p.md} ${e.at.slice(11, 19)}`),
          h('td', {}, e.actor),
          h('td', {}, ACTION_LABELS[e.action] || e.action),
          h('td', {}, e.action === 'view_conversation' || e.action === 'tag_conversation'
            ? h('a', { href: '#/conversation/' + e.target }, '#' + e.target) : e.target),
          h('td', { class: 'small' }, e.detail),
          h('td', { class: 'small' }, e.remote));
      })))),
    data.next_before ? h('p', {}, h('a', { class: 'button secondary', href: '#/audit?before=' + data.next_before }, 'さらに古い記録')) : null);
}

// ---------------------------------------------------------------------------
// Start

async function start() {
  $('#login-form').addEventListener('submit', onLogin);
  $('#logout').addEventListener('click', onLogout);
  window.addEventListener('hashchange', render);
  try {
    const me = await fetch('api/me', { credentials: 'same-origin' });
    if (me.ok) {
      const data = await me.json();
      state.user = data.user;
      state.csrf = data.csrf || null;
      await loadMe();
      await loadFacets();
      showApp();
      render();
      return;
    }
  } catch (e) {
    // fall through to the login form
  }
  showLogin();
}

document.addEventListener('DOMContentLoaded', start);
