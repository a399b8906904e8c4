// Entry point: the views, hash routing (#/jobs, #/history?job_id=x, #/calendars, #/status), language, sign-out, live updates.
import { $, $$, debounce } from './dom.js';
import { initI18n, setLang, lang, applyStatic, t } from './i18n.js';
import { token, setToken, onTokenChange, signInDeclined, allowSignIn } from './api.js';
import { startLive } from './live.js';
import * as jobs from './jobs.js';
import * as history from './history.js';
import * as status from './status.js';
import * as calendars from './calendars.js';
import * as output from './output.js';

const views = {jobs, history, calendars, status};
let current = null;

function route() {
  const m = location.hash.match(/^#\/(\w+)(?:\?(.*))?$/);
  const name = m && views[m[1]] ? m[1] : 'jobs';
  const params = new URLSearchParams((m && m[2]) || '');
  if (current && current !== name && views[current].hide) views[current].hide();
  current = name;
  for (const v of Object.keys(views)) $('#view-' + v).hidden = v !== name;
  for (const a of $$('.tabs a')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = t('nav.' + name) + ' · ruqi 如期';
  views[name].show(params);
}

function setLive(mode) {
  const el = $('#live-state');
  el.dataset.mode = mode;
  el.textContent = t(mode === 'sse' ? 'live.sse' : 'live.poll');
  el.title = t(mode === 'sse' ? 'live.sse.title' : 'live.poll.title');
}

// The header's auth button: "Sign out" with a token; "Sign in" after the user cancelled the sign-in dialog.
function signedIn() {
  const button = $('#signout');
  const mode = token() ? 'signout' : signInDeclined() ? 'signin' : null;
  button.hidden = !mode;
  if (mode) {
    button.dataset.i18n = 'auth.' + mode;
    button.textContent = t('auth.' + mode);
  }
}

function start() {
  initI18n();
  const select = $('#lang-select');
  select.value = lang();
  select.addEventListener('change', () => {
    setLang(select.value);
    applyStatic();
    setLive($('#live-state').dataset.mode);
    document.title = t('nav.' + current) + ' · ruqi 如期';
    for (const v of Object.values(views)) v.relabel();
    output.relabel();
  });
  applyStatic();

  $('#signout').addEventListener('click', () => {
    if (token()) {
      setToken(null);
      location.reload();
    } else {
      allowSignIn();
      views[current].refresh();
    }
  });
  onTokenChange(signedIn);
  signedIn();

  for (const v of Object.values(views)) v.init();
  output.init();
  window.addEventListener('hashchange', route);
  route();

  // Events come in bursts (a fire is followed by the next run time moving on): refresh at most every 300 ms.
  const refreshVisible = debounce(() => views[current].refresh(), 300);
  startLive({
    onEvent: (event) => {
      $('#live-state').classList.remove('pulse');
      void $('#live-state').offsetWidth; // restart the animation
      $('#live-state').classList.add('pulse');
      output.onEvent(event);
      if (views[current].wants(event)) refreshVisible();
    },
    onPoll: refreshVisible,
    onMode: setLive,
  });
  setLive('poll');
}

start();
