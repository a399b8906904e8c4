// Live updates. First choice: server-sent events from /ruqi/events (one JSON object per "data:" line; the token,
// if any, goes as ?access_token= because EventSource cannot send headers). When the stream is unavailable
// (not served, refused, or dropped), the visible view is refreshed every few seconds instead, and the stream is
// tried again from time to time.
import { token, onTokenChange } from './api.js';

const POLL_MS = 3000;
const RETRY_MS = 30000;
const OPEN_WAIT_MS = 4000;

let source = null;
let pollTimer = null;
let retryTimer = null;
let openTimer = null;
let handlers = null;

/** handlers: onEvent(event), onPoll(), onMode('sse' | 'poll') */
export function startLive(h) {
  handlers = h;
  onTokenChange(() => connect());
  connect();
}

function connect() {
  closeSource();
  clearTimeout(retryTimer);
  if (typeof EventSource === 'undefined') {
    startPolling();
    return;
  }
  const tk = token();
  const es = new EventSource('ruqi/events' + (tk ? '?access_token=' + encodeURIComponent(tk) : ''));
  source = es;
  openTimer = setTimeout(() => {
    if (source === es && es.readyState !== EventSource.OPEN) startPolling();
  }, OPEN_WAIT_MS);
  es.onopen = () => {
    if (source !== es) return;
    stopPolling();
    handlers.onMode('sse');
    handlers.onPoll(); // catch up with what happened while not connected
  };
  es.onmessage = (m) => {
    let event;
    try {
      event = JSON.parse(m.data);
    } catch (e) {
      return;
    }
    if (event && typeof event === 'object') handlers.onEvent(event);
  };
  es.onerror = () => {
    if (source !== es) return;
    startPolling();
    if (es.readyState === EventSource.CLOSED) {
      // refused (404, 401, not an event stream): EventSource will not retry by itself
      closeSource();
      retryTimer = setTimeout(connect, RETRY_MS);
    }
  };
}

function closeSource() {
  clearTimeout(openTimer);
  if (source) {
    source.onopen = source.onmessage = source.onerror = null;
    source.close();
    source = null;
  }
}

function startPolling() {
  handlers.onMode('poll');
  if (pollTimer) return;
  pollTimer = setInterval(() => {
    if (!document.hidden) handlers.onPoll();
  }, POLL_MS);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = null;
}
