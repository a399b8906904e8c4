// The jobs view: search, paging, the table and its actions, and the add/edit dialog with a live rule preview.
import { $, $$, h, banner, debounce, errorNodes } from './dom.js';
import { call } from './api.js';
import { t, tOr, lang } from './i18n.js';
import { toast, toastError, confirmDialog } from './ui.js';

const PAGE_SIZE = 15;
const OPTIONS = ['misfire_grace_time', 'max_instances', 'timeout', 'coalesce', 'retries', 'retry_backoff', 'jitter',
  'calendar', 'calendar_mode'];
const TEXT_OPTIONS = ['calendar', 'calendar_mode'];
const CHAINS = ['on_success', 'on_failure'];
/** Jobs read to find those that start the one being edited (the API's largest page). */
const PARENT_SCAN = 1000;
const EXAMPLES = {
  interval: ['10s', '5m', '1h30m', '1d'],
  cron: ['0 */5 * * * *', '0 30 9 * * mon-fri', '0 0 2 * * *', '0 0 0 1 * *'],
  date: ['now'],
};

const state = {job_id: '', job_name: '', page: 1, data: null, renderedKey: null};
let serviceZone = null;
let editing = null; // the job being edited, or null when adding
let previewSeq = 0;

export function init() {
  $('#jobs-search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.job_id = $('#jobs-q-id').value.trim();
    state.job_name = $('#jobs-q-name').value.trim();
    state.page = 1;
    syncHash();
    refresh();
  });
  $('#jobs-search-reset').addEventListener('click', () => {
    $('#jobs-q-id').value = $('#jobs-q-name').value = '';
    $('#jobs-search').requestSubmit();
  });
  $('#jobs-refresh').addEventListener('click', () => refresh());
  $('#job-add-btn').addEventListener('click', () => openForm(null));
  initForm();
}

export function show(params) {
  state.job_id = params.get('job_id') || '';
  state.job_name = params.get('job_name') || '';
  state.page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  $('#jobs-q-id').value = state.job_id;
  $('#jobs-q-name').value = state.job_name;
  refresh();
}

function syncHash() {
  const q = new URLSearchParams();
  if (state.job_id) q.set('job_id', state.job_id);
  if (state.job_name) q.set('job_name', state.job_name);
  if (state.page > 1) q.set('page', state.page);
  const s = q.toString();
  history.replaceState(null, '', '#/jobs' + (s ? '?' + s : ''));
}

export async function refresh() {
  const params = {page_index: state.page, page_size: PAGE_SIZE};
  if (state.job_id) params.job_id = state.job_id;
  if (state.job_name) params.job_name = state.job_name;
  try {
    const data = await call('job_list', params);
    banner($('#jobs-error'), null);
    const lastPage = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
    if (state.page > lastPage) {
      state.page = lastPage;
      syncHash();
      return refresh();
    }
    state.data = data;
    render();
  } catch (err) {
    banner($('#jobs-error'), err);
  }
}

/** Live events that change this view: all (jobs change state, and their next run moves on after each fire). */
export function wants() {
  return true;
}

export function relabel() {
  state.renderedKey = null;
  render();
  if ($('#job-dialog').open) {
    setFormTitle();
    ruleHelp();
    schedulePreview.flush();
  }
}

function render() {
  const data = state.data;
  if (!data) return;
  const key = lang() + JSON.stringify(data);
  if (key === state.renderedKey) return; // nothing changed: keep the DOM (and the hover, focus) as it is
  state.renderedKey = key;
  const rows = data.list.map(row);
  if (rows.length === 0) {
    rows.push(h('tr', {class: 'empty'}, h('td', {colspan: 8},
      state.job_id || state.job_name ? t('jobs.nomatch') : t('jobs.empty'))));
  }
  $('#jobs-tbody').replaceChildren(...rows);
  const exact = data.total_exact !== false;
  pager($('#jobs-pager'), data.total, state.page, PAGE_SIZE, t(exact ? 'jobs.count' : 'jobs.count.more',
    {n: data.total}), (p) => {
    state.page = p;
    syncHash();
    refresh();
  }, exact);
}

function row(job) {
  const paused = job.state === 'paused';
  const zoneNote = serviceZone && job.timezone && job.timezone !== serviceZone
    ? h('div', {class: 'muted small'}, job.timezone) : null;
  return h('tr', {dataset: {jobId: job.job_id, state: job.state}, 'data-testid': 'job-row'},
    h('td', {class: 'mono strong nowrap', 'data-testid': 'job-id'}, job.job_id, chainNote(job)),
    h('td', null, job.job_name),
    h('td', null, h('span', {class: 'tag', title: job.job_trigger}, tOr('trigger.' + job.job_trigger, job.job_trigger))),
    h('td', {class: 'mono rule'}, job.rule),
    h('td', {class: 'mono cmd', title: job.cmd}, job.cmd),
    h('td', {class: 'mono nowrap', 'data-testid': 'job-next'}, job.next_run_time || '—', zoneNote),
    h('td', null, h('span', {class: 'badge state-' + job.state, 'data-testid': 'job-state'},
      tOr('state.' + job.state, job.state))),
    h('td', {class: 'actions'},
      actionButton('job-edit', t('jobs.edit'), () => edit(job.job_id)),
      paused
        ? actionButton('job-resume', t('jobs.resume'), () => simple('job_resume', job.job_id, 'toast.resumed'))
        : actionButton('job-pause', t('jobs.pause'), () => simple('job_pause', job.job_id, 'toast.paused'),
          job.state === 'done'),
      actionButton('job-run', t('jobs.run'), () => runNow(job.job_id)),
      h('a', {class: 'btn btn-sm btn-ghost', 'data-testid': 'job-history',
        href: '#/history?job_id=' + encodeURIComponent(job.job_id)}, t('jobs.history')),
      h('a', {class: 'btn btn-sm btn-ghost', 'data-testid': 'job-chart',
        href: '#/status?job=' + encodeURIComponent(job.job_id)}, t('jobs.chart')),
      actionButton('job-delete', t('jobs.delete'), () => remove(job.job_id), false, 'btn-danger-ghost')));
}

/** The jobs this one starts, under its id: ✓→ on success, ✗→ on failure. */
function chainNote(job) {
  const parts = [];
  const succ = ids(job.options, 'on_success');
  const fail = ids(job.options, 'on_failure');
  if (succ.length) parts.push('✓→ ' + succ.join(', '));
  if (fail.length) parts.push('✗→ ' + fail.join(', '));
  return parts.length ? h('div', {class: 'muted small', 'data-testid': 'job-chain',
    title: t('form.chain')}, parts.join('  ')) : null;
}

/** A chain's list of job ids from a job's options (empty when none). */
function ids(options, key) {
  const v = (options || {})[key];
  return Array.isArray(v) ? v : [];
}

function actionButton(testid, label, onclick, disabled = false, extra = '') {
  return h('button', {type: 'button', class: 'btn btn-sm ' + (extra || 'btn-ghost'), 'data-testid': testid,
    disabled, onclick}, label);
}

async function simple(op, id, toastKey) {
  try {
    await call(op, {job_id: id});
    toast(t(toastKey, {id}));
  } catch (err) {
    toastError(err);
  }
  refresh();
}

async function runNow(id) {
  try {
    const r = await call('job_run', {job_id: id});
    toast(t('toast.fired', {id, time: r.fire_time}));
  } catch (err) {
    toastError(err);
  }
}

async function remove(id) {
  const ok = await confirmDialog(t('confirm.delete.title'), t('confirm.delete.text', {id}), t('jobs.delete'));
  if (!ok) return;
  try {
    await call('job_remove', {job_id: id});
    toast(t('toast.deleted', {id}));
  } catch (err) {
    toastError(err);
  }
  refresh();
}

async function edit(id) {
  try {
    openForm(await call('job_show', {job_id: id})); // fresh, not what the table showed
  } catch (err) {
    toastError(err);
    refresh();
  }
}

// ---- the add / edit dialog --------------------------------------------------------------------------------

const F = {};
const schedulePreview = debounce(preview, 300);

function initForm() {
  Object.assign(F, {
    dialog: $('#job-dialog'), form: $('#job-form'), id: $('#f-job-id'), name: $('#f-job-name'),
    trigger: $('#f-trigger'), rule: $('#f-rule'), cmd: $('#f-cmd'), timezone: $('#f-timezone'),
    start: $('#f-start-date'), end: $('#f-end-date'), error: $('#job-form-error'),
  });
  F.form.addEventListener('submit', save);
  $('#job-cancel').addEventListener('click', () => F.dialog.close());
  $('#job-close').addEventListener('click', () => F.dialog.close());
  F.trigger.addEventListener('change', () => {
    ruleHelp();
    previewSoon();
  });
  for (const el of [F.rule, F.timezone, F.start, F.end]) el.addEventListener('input', previewSoon);
  // the preview leaves out what the job's calendar rules out, as the scheduler will
  for (const el of [$('#f-calendar'), $('#f-calendar_mode')]) {
    el.addEventListener('input', previewSoon);
    el.addEventListener('change', previewSoon);
  }
  if (Intl.supportedValuesOf) {
    $('#tz-list').replaceChildren(...Intl.supportedValuesOf('timeZone').map(z => h('option', {value: z})));
  }
  call('scheduler_status').then(s => {
    serviceZone = s.timezone;
    state.renderedKey = null;
    render();
  }).catch(() => {});
}

function setFormTitle() {
  $('#job-dialog-title').textContent = editing ? t('form.edit', {id: editing.job_id}) : t('form.add');
}

function openForm(job) {
  editing = job;
  F.form.reset();
  banner(F.error, null);
  setFormTitle();
  F.id.readOnly = Boolean(job);
  F.timezone.placeholder = serviceZone ? t('form.tzdefault', {zone: serviceZone}) : '';
  if (job) {
    F.id.value = job.job_id;
    F.name.value = job.job_name;
    F.trigger.value = job.job_trigger;
    F.rule.value = job.rule;
    F.cmd.value = job.cmd;
    F.timezone.value = job.timezone || '';
    F.start.value = job.start_date || '';
    F.end.value = job.end_date || '';
    const opts = job.options || {};
    for (const k of OPTIONS) {
      const el = $('#f-' + k);
      el.value = opts[k] == null ? '' : String(opts[k]);
    }
    $('#f-options').open = OPTIONS.some(k => opts[k] != null);
    for (const k of CHAINS) $('#f-' + k).value = ids(opts, k).join(', ');
    $('#f-chain').open = CHAINS.some(k => ids(opts, k).length);
    showParents(job.job_id);
  } else {
    F.trigger.value = 'interval';
    $('#f-options').open = false;
    $('#f-chain').open = false;
    $('#f-chain-parents').textContent = '';
  }
  ruleHelp();
  preview();
  calendarChoices();
  F.dialog.showModal();
  (job ? F.rule : F.id).focus();
}

/** The calendars there are, offered in the form's calendar field (a viewer's read; a failure leaves it empty). */
async function calendarChoices() {
  try {
    const d = await call('calendar_list');
    $('#calendar-list').replaceChildren(...d.list.map(c => h('option', {value: c.calendar})));
  } catch (err) {
    $('#calendar-list').replaceChildren();
  }
}

/** The jobs whose chain starts {@code id}, found among the first PARENT_SCAN jobs. */
async function showParents(id) {
  const box = $('#f-chain-parents');
  box.textContent = '';
  try {
    const data = await call('job_list', {page_index: 1, page_size: PARENT_SCAN});
    if (!editing || editing.job_id !== id) return; // the dialog moved on
    const parents = [];
    for (const j of data.list) {
      if (ids(j.options, 'on_success').includes(id)) parents.push(j.job_id + ' (' + t('chain.onsuccess') + ')');
      if (ids(j.options, 'on_failure').includes(id)) parents.push(j.job_id + ' (' + t('chain.onfailure') + ')');
    }
    box.textContent = parents.length ? t('chain.parents', {list: parents.join(', ')}) : t('chain.noparents');
  } catch (err) {
    box.textContent = '';
  }
}

function ruleHelp() {
  const type = F.trigger.value;
  $('#f-rule-help').textContent = t('help.rule.' + type);
  F.rule.placeholder = EXAMPLES[type][0];
  $('#f-examples').replaceChildren(h('span', {class: 'muted small'}, t('form.examples')),
    ...EXAMPLES[type].map(ex => h('button', {type: 'button', class: 'chip mono', onclick: () => {
      F.rule.value = ex;
      F.rule.focus();
      preview();
    }}, ex)));
}

function previewSoon() {
  previewSeq++; // an answer to an older rule is now stale
  $('#f-preview').dataset.state = 'pending';
  schedulePreview();
}

async function preview() {
  schedulePreview.cancel();
  const seq = ++previewSeq;
  const box = $('#f-preview');
  const rule = F.rule.value.trim();
  if (!rule) {
    box.dataset.state = 'empty';
    box.replaceChildren(h('span', {class: 'muted'}, t('preview.empty')));
    return;
  }
  const params = {job_trigger: F.trigger.value, rule, count: 5};
  for (const [k, el] of [['timezone', F.timezone], ['start_date', F.start], ['end_date', F.end],
    ['calendar', $('#f-calendar')], ['calendar_mode', $('#f-calendar_mode')]]) {
    if (el.value.trim()) params[k] = el.value.trim();
  }
  try {
    const d = await call('job_next_times', params);
    if (seq !== previewSeq) return;
    box.dataset.state = 'ok';
    const times = d.times || [];
    box.replaceChildren(
      h('div', {class: 'preview-title'}, times.length ? t('preview.next', {zone: d.timezone}) : t('preview.none')),
      h('ol', {class: 'preview-times mono', 'data-testid': 'preview-times'}, times.map(x => h('li', null, x))));
  } catch (err) {
    if (seq !== previewSeq) return;
    box.dataset.state = 'error';
    box.replaceChildren(h('div', {class: 'preview-error', 'data-testid': 'preview-error'}, errorNodes(err)));
  }
}
schedulePreview.flush = () => preview();

function collect() {
  const p = {};
  const str = (el) => el.value.trim();
  const add = !editing;
  const put = (k, v, old) => {
    if (add) {
      if (v !== '' && v != null) p[k] = v;
    } else if ((v === '' ? null : v) !== (old === undefined ? null : old)) {
      p[k] = v === '' ? null : v; // only what changed; a cleared value goes as null (back to the default)
    }
  };
  if (add) p.job_id = str(F.id);
  put('job_name', str(F.name), editing && editing.job_name);
  put('job_trigger', F.trigger.value, editing && editing.job_trigger);
  put('rule', str(F.rule), editing && editing.rule);
  put('cmd', str(F.cmd), editing && editing.cmd);
  put('timezone', str(F.timezone), editing && editing.timezone);
  put('start_date', str(F.start), editing && editing.start_date);
  put('end_date', str(F.end), editing && editing.end_date);
  const opts = (editing && editing.options) || {};
  for (const k of OPTIONS) {
    const raw = $('#f-' + k).value.trim();
    const v = raw === '' ? '' : k === 'coalesce' ? raw === 'true' : TEXT_OPTIONS.includes(k) ? raw : Number(raw);
    put(k, v, opts[k]);
  }
  for (const k of CHAINS) {
    const list = $('#f-' + k).value.split(',').map(x => x.trim()).filter(Boolean);
    const old = ids(opts, k);
    if (add ? list.length > 0 : JSON.stringify(list) !== JSON.stringify(old)) {
      p[k] = list.length ? list : null; // an emptied list goes as null: no chain
    }
  }
  return p;
}

async function save(ev) {
  ev.preventDefault();
  for (const el of [F.id, F.name, F.rule, F.cmd]) {
    if (!el.value.trim()) {
      banner(F.error, new Error(t('form.required', {field: el.closest('label').querySelector('span').textContent})));
      el.focus();
      return;
    }
  }
  const bad = $$('#f-options input').find(el => !el.checkValidity());
  if (bad) {
    $('#f-options').open = true;
    banner(F.error, new Error(t('form.number', {field: bad.closest('label').querySelector('span').textContent})));
    bad.focus();
    return;
  }
  const params = collect();
  const op = editing ? 'job_modify' : 'job_add';
  if (editing && Object.keys(params).length === 0) {
    F.dialog.close();
    return;
  }
  if (editing) params.job_id = editing.job_id;
  $('#job-save').disabled = true;
  try {
    const job = await call(op, params);
    F.dialog.close();
    toast(t(editing ? 'toast.modified' : 'toast.added', {id: job.job_id}));
    refresh();
  } catch (err) {
    banner(F.error, err);
  } finally {
    $('#job-save').disabled = false;
  }
}

// ---- paging, shared with the history view ------------------------------------------------------------------

/** exact false: more rows than total match (the server stops counting), so the last page is a lower bound too. */
export function pager(el, total, page, size, summary, go, exact = true) {
  const last = Math.max(1, Math.ceil(total / size));
  el.replaceChildren(
    h('span', {class: 'muted'}, summary),
    h('span', {class: 'pager-buttons'},
      h('button', {type: 'button', class: 'btn btn-sm', 'data-testid': 'page-prev', disabled: page <= 1,
        onclick: () => go(page - 1)}, '‹ ' + t('page.prev')),
      h('span', {class: 'pager-pos', 'data-testid': 'page-pos'}, t(exact ? 'page.of' : 'page.of.more', {page, last})),
      h('button', {type: 'button', class: 'btn btn-sm', 'data-testid': 'page-next', disabled: page >= last,
        onclick: () => go(page + 1)}, t('page.next') + ' ›')));
}
