// Running fires and their output, live. fire_started events list a fire as running (in the history view) until an
// event says its run ended; "Watch" streams its output from /ruqi/output as server-sent events: each line as the
// process prints it, then, once the fire is over, the output the history kept. A fire already over shows that at once.
import { $, h } from './dom.js';
import { token } from './api.js';
import { t, tOr } from './i18n.js';

const running = new Map(); // fire_id -> the fire_started event
let source = null;

export function init() {
  // the close event comes a task later: a view opened meanwhile (the dialog open again) is not the one closed
  $('#live-dialog').addEventListener('close', () => {
    if (!$('#live-dialog').open) stop();
  });
}

/** Every live event: keeps the list of running fires. */
export function onEvent(event) {
  const name = String(event.event || '');
  if (!event.fire_id) return;
  if (name === 'fire_started') running.set(event.fire_id, event);
  else if (name.startsWith('fire_')) running.delete(event.fire_id);
  else return;
  render();
}

export function relabel() {
  render();
}

function render() {
  const items = [...running.values()].map(e => h('li', {dataset: {fireId: e.fire_id}, 'data-testid': 'running-fire'},
    h('span', {class: 'mono strong'}, e.job_id), ' ',
    h('span', {class: 'muted small mono'},
      e.fire_time + (e.attempt > 1 ? ' #' + e.attempt : '') + ' · ' + (e.node || '')),
    ' ',
    h('button', {type: 'button', class: 'btn btn-small', 'data-testid': 'watch-live',
      onclick: () => watch(e.fire_id, e.job_id, e.fire_time)}, t('running.watch'))));
  $('#running-list').replaceChildren(...items);
  $('#running').hidden = items.length === 0;
}

function setStatus(state, text) {
  const el = $('#live-status');
  el.dataset.state = state;
  el.textContent = text;
}

/** Opens the live view of one fire. */
export function watch(fireId, jobId, fireTime) {
  stop();
  $('#live-title').textContent = t('live.title', {id: jobId, time: fireTime});
  $('#live-text').textContent = '';
  $('#live-text').dataset.lines = '0';
  setStatus('connecting', t('live.connecting'));
  const dialog = $('#live-dialog');
  if (!dialog.open) dialog.showModal();
  const tk = token();
  const es = new EventSource('ruqi/output?fire_id=' + encodeURIComponent(fireId)
    + (tk ? '&access_token=' + encodeURIComponent(tk) : ''));
  source = es;
  let lines = 0;
  es.onopen = () => setStatus('running', t('live.running'));
  es.onmessage = (m) => {
    const msg = parse(m.data);
    if (!msg) return;
    if (msg.end) {
      setStatus('ending', t('live.ending'));
      return;
    }
    const dropped = (msg.dropped || 0) + (msg.lost || 0);
    const pre = $('#live-text');
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(msg.line + '\n');
    lines++;
    pre.dataset.lines = String(lines);
    if (dropped) setStatus('running', t('live.dropped', {n: dropped}));
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };
  es.addEventListener('stored', (m) => {
    const data = parse(m.data) || {runs: []};
    const last = data.runs[data.runs.length - 1];
    $('#live-text').textContent = last ? (last.cmd_output || t('history.nooutput')) : '';
    $('#live-text').dataset.stored = 'true';
    setStatus('ended', last
      ? t('live.ended', {status: tOr('status.' + last.status, last.status), code: last.exit_code ?? '—'})
      : t('live.ended', {status: '?', code: '—'}));
    stop();
  });
  es.addEventListener('refused', (m) => {
    const data = parse(m.data) || {};
    setStatus('refused', (data.msg || t('live.refused')) + (data.stat ? ' ' + data.stat : ''));
    stop();
  });
  es.onerror = () => {
    if (source !== es) return;
    // a refused connection (401, 403) closes; a dropped one is retried by EventSource itself
    if (es.readyState === EventSource.CLOSED) {
      setStatus('refused', t('live.refused'));
      stop();
    } else {
      setStatus('connecting', t('live.connecting'));
    }
  };
}

function stop() {
  if (source) {
    source.onopen = source.onmessage = source.onerror = null;
    source.close();
    source = null;
  }
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}
