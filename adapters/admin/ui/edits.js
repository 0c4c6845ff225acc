// よりそい 管理画面: 「回答の改善」 — editors add a parent's phrasing as an
// example of a question type or program, and write the city's FAQ answers,
// over /admin/api/edits/ (adapters/admin/edits_api.h). Loaded after app.js
// and uses its helpers (h, api, state, errorBox, muniLabel, parts); every
// value from the server is inserted as text. Every control has a stable id
// (the browser test drives them).
'use strict';

const EDIT_ACTION_LABELS = {
  add_example: '例文の追加',
  rollback_example: '例文を元に戻す',
  save_faq: 'FAQの保存',
  rollback_faq: 'FAQを前の版に戻す',
  remove_faq: 'FAQの取り下げ',
};
Object.assign(ACTION_LABELS, EDIT_ACTION_LABELS);

const edits = { targets: null };

function editsError(el, e) {
  // 400: the server names the field ("valid_to: before valid_from").
  el.textContent =
    e.status === 400 ? `入力を確認してください（${e.message}）`
    : e.status === 403 ? 'この操作には編集者の権限が必要です。'
    : e.status === 404 ? '見つかりませんでした。'
    : '処理に失敗しました。時間をおいて再度お試しください。';
  el.hidden = false;
}

async function loadTargets() {
  if (!edits.targets) edits.targets = await api('edits/targets');
  return edits.targets;
}

function muniOptions(id, selected, noneLabel) {
  const f = state.facets || {};
  const ids = Object.keys((f.labels && f.labels.municipality) || {});
  for (const m of f.municipalities || []) if (!ids.includes(m)) ids.push(m);
  if (selected && !ids.includes(selected)) ids.push(selected);
  return h('select', { id },
    h('option', { value: '' }, noneLabel),
    ids.map((m) => h('option', { value: m, selected: m === selected }, muniLabel(m))));
}

function when(iso) {
  if (!iso) return '';
  const p = parts(iso);
  return `${p.md} ${p.time}`;
}

// The replies of a preview, one paragraph per message.
function previewBlock(id, title, res) {
  return h('div', { class: 'card preview', id },
    h('h4', {}, title),
    res.texts.length ? res.texts.map((t) => h('p', { class: 'preview-reply' }, t))
      : h('p', { class: 'muted' }, '（返信なし）'),
    res.quick_replies.length ? h('p', { class: 'muted small preview-quick' }, 'ボタン: ' + res.quick_replies.join(' / ')) : null,
    h('p', { class: 'muted small preview-meta' },
      `意図: ${res.intent || 'なし'} / 流れ: ${res.flow || '-'}` + (res.fallback ? ' / 未回答' : '') + (res.crisis ? ' / 緊急対応' : '')));
}

// Runs the preview twice: as the bot answers now and with the draft.
async function runPreview(out, errEl, body, draftKey, draft, extra) {
  errEl.hidden = true;
  out.replaceChildren(h('p', { class: 'loading' }, 'プレビュー中…'));
  try {
    const now = await api('edits/preview', { method: 'POST', body });
    const withDraft = await api('edits/preview', { method: 'POST', body: Object.assign({}, body, { [draftKey]: draft }, extra || {}) });
    out.replaceChildren(
      previewBlock('edit-preview-current', 'いまの回答', now),
      previewBlock('edit-preview-draft', '保存した後の回答', withDraft));
  } catch (e) {
    out.replaceChildren();
    if (e.status !== 401) editsError(errEl, e);
  }
}

// ---------------------------------------------------------------------------
// Examples

function exampleForm(prefill, targets) {
  const text = h('input', { id: 'edit-example-text', maxlength: 500, value: prefill || '', placeholder: '例：お金が口座に入る日を知りたい' });
  const target = h('select', { id: 'edit-example-target' },
    h('option', { value: '' }, '選んでください'),
    h('optgroup', { label: '質問の種類' },
      targets.intents.map((t) => h('option', { value: 'intent:' + t.id }, `${t.label}（${t.id}）`))),
    h('optgroup', { label: '制度' },
      targets.programs.map((t) => h('option', { value: 'program:' + t.id }, t.label))));
  const err = h('p', { class: 'error', role: 'alert', id: 'edit-example-error', hidden: true });
  const out = h('div', { id: 'edit-example-preview-output', class: 'preview-pair' });
  const draft = () => {
    const [kind, ...rest] = target.value.split(':');
    return { text: text.value, target_kind: kind, target: rest.join(':') };
  };
  const form = h('form', { class: 'card', id: 'edit-example-form' },
    h('h3', {}, '例文に追加'),
    h('p', { class: 'muted small' }, '保護者の書き方をそのまま入れ、正しい質問の種類か制度を選びます。保存するとボットが学び直します（1秒ほど）。'),
    h('label', {}, '文面', text),
    h('label', {}, '正しい答え先', target),
    err,
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'secondary', id: 'edit-example-preview',
        onclick: () => runPreview(out, err, { text: text.value }, 'draft_example', draft()),
      }, 'プレビュー'),
      h('button', { type: 'submit', id: 'edit-example-save' }, '保存')),
    out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    try {
      await api('edits/examples', { method: 'POST', body: draft() });
      location.hash = '#/edits?saved=example';
      render();
    } catch (e) {
      if (e.status !== 401) editsError(err, e);
    }
  });
  return form;
}

function examplesList(items, showAll) {
  const all = h('input', { type: 'checkbox', id: 'edit-examples-all', checked: showAll });
  all.addEventListener('change', () => { location.hash = '#/edits' + (all.checked ? '?all=1' : ''); });
  return h('div', { class: 'card' },
    h('h3', {}, '追加した例文'),
    h('label', { class: 'check' }, all, '元に戻した例文も表示'),
    items.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'edit-examples-list' },
      h('thead', {}, h('tr', {}, ['文面', '答え先', '追加', '状態', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, items.map((x) => h('tr', { 'data-example-id': x.id },
        h('td', {}, x.text),
        h('td', {}, x.target_label),
        h('td', { class: 'small' }, `${x.author} さん ${when(x.created)}`),
        h('td', { class: 'small' }, x.active ? '使用中' : `元に戻した（${x.removed_by} さん ${when(x.removed)}）`),
        h('td', {}, x.active ? h('button', {
          type: 'button', class: 'secondary', id: 'edit-example-rollback-' + x.id,
          onclick: async (ev) => {
            if (!confirm('この例文を元に戻しますか？（学習から外します）')) return;
            try {
              await api(`edits/examples/${x.id}/rollback`, { method: 'POST', body: {} });
              render();
            } catch (e) {
              if (e.status !== 401) ev.target.after(errorBox(e));
            }
          },
        }, '元に戻す') : null))))))
      : h('p', { class: 'muted', id: 'edit-examples-empty' }, 'まだありません。'));
}

// ---------------------------------------------------------------------------
// FAQs

function faqForm(faq, prefillText, prefillMuni) {
  const f = faq || { id: 0, phrasings: prefillText ? [prefillText] : [], answer: '', municipality: prefillMuni || '', source_name: '', source_url: '', valid_from: '', valid_to: '' };
  const id = h('input', { type: 'hidden', id: 'edit-faq-id', value: String(f.id || 0) });
  const phrasings = h('textarea', { id: 'edit-faq-phrasings', rows: 4, placeholder: '1行に1つ（例：年末年始も相談できますか）' });
  phrasings.value = (f.phrasings || []).join('\n');
  const answer = h('textarea', { id: 'edit-faq-answer', rows: 5, maxlength: 2000 });
  answer.value = f.answer || '';
  const muni = muniOptions('edit-faq-municipality', f.municipality, 'すべての自治体');
  const sourceName = h('input', { id: 'edit-faq-source-name', maxlength: 200, value: f.source_name, placeholder: '例：小平市 子育て支援課' });
  const sourceUrl = h('input', { id: 'edit-faq-source-url', type: 'url', maxlength: 1000, value: f.source_url, placeholder: 'https://' });
  const from = h('input', { id: 'edit-faq-valid-from', type: 'date', value: f.valid_from });
  const to = h('input', { id: 'edit-faq-valid-to', type: 'date', value: f.valid_to });
  const tryText = h('input', { id: 'edit-preview-text', placeholder: '試す文面（空なら最初の質問）', value: '' });
  const err = h('p', { class: 'error', role: 'alert', id: 'edit-faq-error', hidden: true });
  const out = h('div', { id: 'edit-faq-preview-output', class: 'preview-pair' });
  const content = () => ({
    phrasings: phrasings.value,
    answer: answer.value,
    municipality: muni.value,
    source_name: sourceName.value,
    source_url: sourceUrl.value,
    valid_from: from.value,
    valid_to: to.value,
  });
  const form = h('form', { class: 'card', id: 'edit-faq-form' },
    h('h3', { id: 'edit-faq-title' }, f.id ? `FAQ #${f.id} を編集（いまは第${f.active_version}版）` : 'FAQを書く'),
    id,
    h('label', {}, '質問の書き方（1行に1つ）', phrasings),
    h('label', {}, '回答', answer),
    h('div', { class: 'row' },
      h('label', {}, '対象の自治体', muni),
      h('label', {}, '有効期間（から）', from),
      h('label', {}, '有効期間（まで・空なら期限なし）', to)),
    h('div', { class: 'row' },
      h('label', { class: 'grow' }, '出典（名前）', sourceName),
      h('label', { class: 'grow' }, '出典（URL）', sourceUrl)),
    h('label', {}, 'プレビューで試す文面', tryText),
    err,
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'secondary', id: 'edit-faq-preview',
        onclick: () => {
          const c = content();
          const first = c.phrasings.split('\n').map((x) => x.trim()).find((x) => x) || '';
          runPreview(out, err, { text: tryText.value.trim() || first, municipality: c.municipality },
            'draft_faq', c, { draft_faq_id: Number(id.value) || 0 });
        },
      }, 'プレビュー'),
      h('button', { type: 'submit', id: 'edit-faq-save' }, f.id ? '新しい版として保存' : '保存'),
      h('a', { class: 'button secondary', id: 'edit-faq-new', href: '#/edits?faq_new=1' }, '新しいFAQ')),
    out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    try {
      const body = content();
      body.id = Number(id.value) || 0;
      const saved = await api('edits/faqs', { method: 'POST', body });
      location.hash = '#/edits?faq=' + saved.id;
      render();
    } catch (e) {
      if (e.status !== 401) editsError(err, e);
    }
  });
  return form;
}

function faqHistory(faq) {
  if (!faq || !faq.history) return null;
  return h('div', { class: 'card' },
    h('h3', {}, `FAQ #${faq.id} の履歴`),
    h('ol', { id: 'edit-faq-history', reversed: true },
      faq.history.slice().reverse().map((v) => h('li', { 'data-version': v.version, class: v.active ? 'active' : '' },
        h('strong', {}, `第${v.version}版`), ` ${v.author} さん ${when(v.saved)}`, v.active ? '（使用中）' : '',
        h('div', { class: 'small muted' }, `${v.valid_from}〜${v.valid_to || ''} / ${muniLabel(v.municipality) === '自治体不明' ? 'すべての自治体' : muniLabel(v.municipality)}`),
        h('div', { class: 'small' }, v.answer)))),
    faq.active ? h('button', {
      type: 'button', class: 'secondary', id: 'edit-faq-rollback',
      onclick: async (ev) => {
        const msg = faq.active_version > 1 ? `第${faq.active_version - 1}版に戻しますか？` : 'このFAQを取り下げますか？';
        if (!confirm(msg)) return;
        try {
          await api(`edits/faqs/${faq.id}/rollback`, { method: 'POST', body: {} });
          render();
        } catch (e) {
          if (e.status !== 401) ev.target.after(errorBox(e));
        }
      },
    }, '元に戻す') : h('p', { class: 'muted' }, '取り下げ済みです。保存すると再び使われます。'));
}

function faqsList(items) {
  return h('div', { class: 'card' },
    h('h3', {}, 'FAQ'),
    items.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'edit-faqs-list' },
      h('thead', {}, h('tr', {}, ['質問', '自治体', '有効期間', '版', '更新', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, items.map((f) => h('tr', { 'data-faq-id': f.id, class: f.active ? '' : 'muted' },
        h('td', {}, f.phrasings[0] || '', f.phrasings.length > 1 ? ` ほか${f.phrasings.length - 1}件` : ''),
        h('td', {}, f.municipality ? muniLabel(f.municipality) : 'すべて'),
        h('td', { class: 'small' }, `${f.valid_from}〜${f.valid_to || ''}`),
        h('td', {}, f.active ? `第${f.active_version}版` : '取り下げ'),
        h('td', { class: 'small' }, `${f.updated_by} さん ${when(f.updated)}`),
        h('td', {}, h('a', { class: 'button secondary', id: 'edit-faq-open-' + f.id, href: '#/edits?faq=' + f.id }, '開く')))))))
      : h('p', { class: 'muted', id: 'edit-faqs-empty' }, 'まだありません。'));
}

// ---------------------------------------------------------------------------
// The screen: #/edits[?all=1][&faq=ID][&example=TEXT][&faq_text=TEXT&municipality=ID]

async function viewEdits(params) {
  const showAll = params.get('all') === '1';
  const [targets, examples, faqs] = await Promise.all([
    loadTargets(),
    api('edits/examples' + (showAll ? '?all=1' : '')),
    api('edits/faqs?all=1'),
  ]);
  let faq = null;
  if (params.get('faq')) faq = await api('edits/faqs/' + encodeURIComponent(params.get('faq')));
  const saved = params.get('saved');
  return h('div', { id: 'edits-view' },
    h('h2', {}, '回答の改善'),
    h('p', { class: 'muted' }, '答えられなかった質問から、例文の追加やFAQの作成でボットを直せます。保存するとすぐ（再起動なしで）使われます。変更はすべて記録され、元に戻せます。'),
    saved ? h('p', { class: 'notice', id: 'edit-saved' }, '保存しました。ボットに反映しています。') : null,
    h('div', { class: 'edits-grid' },
      exampleForm(params.get('example') || '', targets),
      faqForm(faq, params.get('faq_text') || '', params.get('municipality') || '')),
    faqHistory(faq),
    faqsList(faqs.items),
    examplesList(examples.items, showAll));
}

// The review queue's 「例文に追加」「FAQを書く」 buttons (app.js renders them
// with data-edit-text / data-edit-kind / data-edit-municipality).
document.addEventListener('click', (ev) => {
  const b = ev.target.closest && ev.target.closest('[data-edit-text]');
  if (!b) return;
  const text = b.getAttribute('data-edit-text');
  const muni = b.getAttribute('data-edit-municipality') || '';
  location.hash = b.getAttribute('data-edit-kind') === 'faq'
    ? `#/edits?faq_text=${encodeURIComponent(text)}&municipality=${encodeURIComponent(muni)}`
    : `#/edits?example=${encodeURIComponent(text)}`;
});

window.yorisoiEdits = { view: viewEdits };
