// The ruqi API: POST /ruqi/<op> with a JSON body; replies {"stat":"OK","data":...} or {"stat":"ERR...","msg":"..."}.
// With a token (sign-in when the service answers 401) every call carries "Authorization: Bearer <token>".
import { $, banner } from './dom.js';
import { t } from './i18n.js';

const TOKEN_KEY = 'ruqi.token';
const listeners = new Set();
let declined = false; // the user cancelled the sign-in: do not ask again at every refresh

export class ApiError extends Error {
  constructor(stat, message, httpStatus) {
    super(message);
    this.stat = stat;
    this.httpStatus = httpStatus;
  }
}

/** The token of this tab (sessionStorage: gone when the tab closes). */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
  listeners.forEach(fn => fn(value));
}

/** fn(token) after each sign-in or sign-out, and when the user declines to sign in. */
export function onTokenChange(fn) {
  listeners.add(fn);
}

/** True when the service asked for a token and the user cancelled. */
export function signInDeclined() {
  return declined;
}

/** Asks for a token again at the next call (the header's "Sign in" after a cancel). */
export function allowSignIn() {
  declined = false;
}

/** Calls an operation; resolves to its data, rejects with an ApiError carrying the server's stat and msg. */
export async function call(op, params = {}) {
  for (;;) {
    const headers = {'Content-Type': 'application/json', 'Accept': 'application/json'};
    const tk = token();
    if (tk) headers.Authorization = 'Bearer ' + tk;
    let res;
    try {
      res = await fetch('ruqi/' + op, {method: 'POST', headers, body: JSON.stringify(params), cache: 'no-store'});
    } catch (e) {
      throw new ApiError('ERR_NETWORK', t('err.network'), 0);
    }
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      // not JSON: a proxy's error page, say
    }
    if (res.status === 401) {
      if (declined) throw new ApiError('ERR_UNAUTHORIZED', (body && body.msg) || t('auth.required'), 401);
      await signIn(body && body.msg, Boolean(tk));
      continue;
    }
    if (body && body.stat === 'OK') return body.data;
    const msg = (body && body.msg) || res.headers.get('x-reason') || t('err.http', {status: res.status});
    throw new ApiError((body && body.stat) || 'HTTP_' + res.status, msg, res.status);
  }
}

// One sign-in dialog at a time, shared by every call that was refused meanwhile.
let pending = null;

function signIn(serverMsg, hadToken) {
  if (pending) return pending;
  pending = new Promise((resolve, reject) => {
    const dialog = $('#signin-dialog');
    const form = $('#signin-form');
    const input = $('#signin-token');
    const error = $('#signin-error');
    input.value = '';
    banner(error, hadToken ? new ApiError('ERR_UNAUTHORIZED', serverMsg || t('auth.rejected')) : null);
    const done = (ok) => {
      form.removeEventListener('submit', onSubmit);
      $('#signin-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
      pending = null;
      if (ok) {
        resolve();
        return;
      }
      declined = true;
      listeners.forEach(fn => fn(token()));
      reject(new ApiError('ERR_UNAUTHORIZED', serverMsg || t('auth.required'), 401));
    };
    const onSubmit = (ev) => {
      ev.preventDefault();
      const value = input.value.trim();
      if (!value) return;
      declined = false;
      setToken(value);
      done(true);
    };
    const onCancel = (ev) => {
      ev.preventDefault();
      done(false);
    };
    form.addEventListener('submit', onSubmit);
    $('#signin-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
  return pending;
}
