// English and Simplified Chinese. The language comes from the browser (navigator.languages) unless the user picked
// one, which is remembered in localStorage. Elements carry data-i18n (text), data-i18n-placeholder, data-i18n-title.

const KEY = 'ruqi.lang';

const MESSAGES = {
  en: {
    'nav.jobs': 'Jobs', 'nav.history': 'History', 'nav.status': 'Status', 'nav.docs': 'API docs', 'lang.label': 'Language',
    'nav.calendars': 'Calendars', 'calendars.title': 'Calendars', 'calendars.add': '+ New calendar',
    'calendars.edit': 'Edit calendar {name}', 'calendars.empty': 'No calendars yet.',
    'calendars.saved': 'Calendar {name} saved.', 'calendars.deleted': 'Calendar {name} deleted.',
    'calendars.confirm.title': 'Delete calendar?',
    'calendars.confirm.text': 'Calendar “{name}” will be removed (refused while a job names it).',
    'calendars.help': 'One per line or separated by commas: 2026-12-25, a range 2026-12-24..2026-12-26, or --12-25 for every year. Days are judged in each job’s time zone.',
    'field.calendar': 'Calendar', 'field.days': 'Days', 'field.version': 'Version', 'field.u_time': 'Changed',
    'opt.calendar': 'Calendar', 'opt.calendar_mode': 'Calendar mode', 'opt.calendar.skip': 'skip its days',
    'opt.calendar.only': 'only its days',
    'common.refresh': 'Refresh', 'common.search': 'Search', 'common.reset': 'Reset', 'common.actions': 'Actions',
    'common.close': 'Close', 'common.cancel': 'Cancel', 'common.save': 'Save', 'common.ok': 'OK',
    'common.yes': 'yes', 'common.no': 'no',
    'filter.exact': 'exact match', 'filter.any': 'Any',

    'field.job_id': 'Job ID', 'field.job_name': 'Job name', 'field.job_trigger': 'Trigger', 'field.rule': 'Rule',
    'field.cmd': 'Command', 'field.next_run_time': 'Next run', 'field.state': 'State', 'field.result': 'Result',
    'field.status': 'Status', 'field.job': 'Job', 'field.fire_time': 'Fire time', 'field.cost': 'Cost',
    'field.node': 'Node', 'field.attempt': 'Attempt', 'field.exit_code': 'Exit', 'field.output': 'Output',
    'field.timezone': 'Time zone', 'field.start_date': 'Start date', 'field.end_date': 'End date',

    'trigger.interval': 'interval', 'trigger.cron': 'cron', 'trigger.date': 'date',
    'state.scheduled': 'scheduled', 'state.paused': 'paused', 'state.done': 'done',
    'status.success': 'success', 'status.failed': 'failed', 'status.timeout': 'timeout', 'status.missed': 'missed',
    'status.skipped': 'skipped', 'status.interrupted': 'interrupted',
    'result.yes': 'Succeeded', 'result.no': 'Not successful',

    'jobs.title': 'Jobs', 'jobs.add': '+ New job', 'jobs.edit': 'Edit', 'jobs.pause': 'Pause', 'jobs.resume': 'Resume',
    'jobs.run': 'Run now', 'jobs.history': 'History', 'jobs.delete': 'Delete',
    'jobs.empty': 'No jobs yet. Add one with “+ New job”.', 'jobs.nomatch': 'No job matches this search.',
    'jobs.count': '{n} jobs', 'jobs.count.one': '1 job', 'jobs.count.more': 'More than {n} jobs',

    'form.add': 'New job', 'form.edit': 'Edit job {id}', 'form.examples': 'Examples:',
    'form.tzdefault': 'service default ({zone})', 'form.policies': 'Policies (empty = the service default)',
    'form.required': '{field} is required.', 'form.number': '{field}: enter a number in range.',
    'help.rule.interval': 'Every so long: 10s, 5m, 2h, 1d, or combined largest first (1h30m). First fire one interval from now.',
    'help.rule.cron': 'Six fields, seconds first: second minute hour day month weekday. Weekday 0 = Monday … 6 = Sunday; names (mon-fri) are clearer. Also L, W, #, ?.',
    'help.rule.date': 'Once: YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, or now.',
    'help.cmd': 'A program and its arguments (run without a shell: write sh -c \'…\' for pipes), http(s)://host/path#{json}, /path#{json} (this service), or eventbus:address#{json}.',
    'help.policies': 'Misfire grace: how late a fire may still start. Max instances: runs at once across all nodes. Timeout ends the whole process group. Retries are tried retry-backoff seconds apart. Jitter delays each fire at random.',
    'opt.misfire_grace_time': 'Misfire grace (s)', 'opt.max_instances': 'Max instances', 'opt.timeout': 'Timeout (s)',
    'opt.coalesce': 'Coalesce', 'opt.retries': 'Retries', 'opt.retry_backoff': 'Retry backoff (s)',
    'opt.jitter': 'Jitter (s)', 'opt.default': 'default',
    'form.chain': 'Job chain', 'opt.on_success': 'On success, start', 'opt.on_failure': 'On failure, start',
    'opt.jobids': 'job ids, comma-separated',
    'help.chain': 'When a fire of this job ends (after its retries), these jobs start, each told this fire\'s id. A success starts the first list; a failure, timeout or interrupted run the second.',
    'chain.parents': 'Started by: {list}', 'chain.noparents': 'No job starts this one.',
    'chain.onsuccess': 'on success', 'chain.onfailure': 'on failure',

    'preview.empty': 'Type a rule to see its next fire times.', 'preview.next': 'Next fire times ({zone}):',
    'preview.none': 'This rule never fires again.',

    'confirm.delete.title': 'Delete job?',
    'confirm.delete.text': 'Job “{id}” will be removed and will not fire again. Its history stays.',
    'toast.added': 'Job {id} added.', 'toast.modified': 'Job {id} saved.', 'toast.paused': 'Job {id} paused.',
    'toast.resumed': 'Job {id} resumed.', 'toast.deleted': 'Job {id} deleted.',
    'toast.fired': 'Job {id} fired at {time}.',

    'page.prev': 'Previous', 'page.next': 'Next', 'page.of': 'Page {page} of {last}',
    'page.of.more': 'Page {page} of {last}+',

    'history.title': 'History', 'history.count': '{n} runs', 'history.count.one': '1 run',
    'history.count.more': 'More than {n} runs', 'history.empty': 'No runs yet.',
    'history.nomatch': 'No run matches these filters.', 'history.only': 'Only the runs of {id}',
    'history.started': 'started {time}', 'history.start': 'Started', 'history.showoutput': 'Show the whole output',
    'history.nooutput': '(no output)', 'output.title': 'Run of {id} at {time}',

    'status.title': 'Scheduler status', 'status.answering': 'Node answering',
    'status.lbnote': 'Behind a load balancer, each refresh may reach another node.',
    'status.nodes': 'Nodes seen in recent history', 'status.nodesnote': 'From the last 200 history rows.',
    'status.lastfire': 'Last fire', 'status.runs': 'Runs', 'status.failures': 'Not successful',
    'status.here': 'this one',
    'status.workers': 'Worker nodes', 'status.workersnote': 'Live workers as this node hears them (run_on, broadcast).',
    'status.worker': 'Worker', 'status.labels': 'Labels', 'status.load': 'Running / capacity',
    'status.seen': 'Last heard (ms)', 'status.noworkers': 'No worker nodes.',
    'jobs.chart': 'Runs chart', 'running.title': 'Running now', 'running.watch': 'Watch live',
    'live.title': 'Output of {id} fired {time}', 'live.connecting': 'Connecting…',
    'live.running': 'Running: lines appear as the process prints them.',
    'live.ending': 'The process closed its output; waiting for its result…',
    'live.ended': 'Ended: {status}, exit code {code}. This is the output the history kept.',
    'live.dropped': 'Running: {n} lines were left out (too many too fast, or a slow connection).',
    'live.refused': 'The live output cannot be shown.',
    'charts.title': 'Fires', 'charts.window': 'Window', 'charts.hour': 'Last hour', 'charts.day': 'Last day',
    'charts.note': 'From the history in the store: every node answers the same, and a restart loses nothing.',
    'charts.fires': 'Fires per minute by outcome', 'charts.lateness': 'Lateness (ms): p50 and p99 of first attempts',
    'charts.timeline': 'Runs of one job', 'charts.show': 'Show',
    'charts.timelinenote': 'Its last 100 runs: when each fired, how long it ran (seconds), and how it ended.',
    'charts.time': 'Time', 'charts.perminute': 'fires / min', 'charts.seconds': 'seconds', 'charts.timelinejob': '{id}: {n} runs',
    'sched.node': 'Node', 'sched.timezone': 'Service time zone', 'sched.check_time': 'Checked at',
    'sched.next_wakeup_time': 'Next wake-up', 'sched.wait_seconds': 'Seconds to wake-up',
    'sched.heap_size': 'Fires in the heap', 'sched.in_flight': 'Runs in flight',
    'sched.history_queue': 'History rows waiting', 'sched.store_ok': 'Database reachable',
    'sched.store_errors': 'Database errors', 'sched.clock_skew_ms': 'Clock skew (ms)',
    'sched.current_lateness_ms': 'Current lateness (ms)', 'sched.lateness': 'Lateness',

    'live.sse': '● Live', 'live.poll': '↻ Polling',
    'live.sse.title': 'New runs and changes arrive as they happen (server-sent events).',
    'live.poll.title': 'No event stream: the page refreshes itself every 3 seconds.',

    'auth.title': 'Sign in', 'auth.text': 'This ruqi requires an access token.', 'auth.token': 'Token',
    'auth.kept': 'The token is kept in this browser tab only, until it closes.', 'auth.submit': 'Sign in',
    'auth.signout': 'Sign out', 'auth.signin': 'Sign in', 'auth.rejected': 'The token was refused.', 'auth.required': 'Sign-in required.',
    'err.network': 'Cannot reach the service.', 'err.http': 'HTTP {status}',
  },
  'zh-CN': {
    'nav.jobs': '任务', 'nav.history': '执行历史', 'nav.status': '调度状态', 'nav.docs': 'API 文档', 'lang.label': '语言',
    'nav.calendars': '日历', 'calendars.title': '日历', 'calendars.add': '+ 新建日历',
    'calendars.edit': '编辑日历 {name}', 'calendars.empty': '还没有日历。',
    'calendars.saved': '日历 {name} 已保存。', 'calendars.deleted': '日历 {name} 已删除。',
    'calendars.confirm.title': '删除日历？',
    'calendars.confirm.text': '将删除日历“{name}”（仍有任务使用它时会被拒绝）。',
    'calendars.help': '每行一个或用逗号分隔：2026-12-25，区间 2026-12-24..2026-12-26，或 --12-25 表示每年这一天。按各任务的时区判断日期。',
    'field.calendar': '日历', 'field.days': '日期', 'field.version': '版本', 'field.u_time': '修改时间',
    'opt.calendar': '日历', 'opt.calendar_mode': '日历模式', 'opt.calendar.skip': '跳过这些日期',
    'opt.calendar.only': '仅在这些日期',
    'common.refresh': '刷新', 'common.search': '查询', 'common.reset': '重置', 'common.actions': '操作',
    'common.close': '关闭', 'common.cancel': '取消', 'common.save': '保存', 'common.ok': '确定',
    'common.yes': '是', 'common.no': '否',
    'filter.exact': '全匹配', 'filter.any': '全部',

    'field.job_id': '任务 ID', 'field.job_name': '分类', 'field.job_trigger': '类型', 'field.rule': '规则',
    'field.cmd': '执行命令', 'field.next_run_time': '下次运行时间', 'field.state': '状态', 'field.result': '结果',
    'field.status': '状态', 'field.job': '任务', 'field.fire_time': '触发时间', 'field.cost': '耗时',
    'field.node': '节点', 'field.attempt': '尝试', 'field.exit_code': '退出码', 'field.output': '程序输出',
    'field.timezone': '时区', 'field.start_date': '开始时间', 'field.end_date': '结束时间',

    'trigger.interval': '周期', 'trigger.cron': '定时', 'trigger.date': '单次',
    'state.scheduled': '运行中', 'state.paused': '已暂停', 'state.done': '已完成',
    'status.success': '成功', 'status.failed': '失败', 'status.timeout': '超时', 'status.missed': '错过',
    'status.skipped': '跳过', 'status.interrupted': '中断',
    'result.yes': '成功', 'result.no': '未成功',

    'jobs.title': '定时任务', 'jobs.add': '+ 添加任务', 'jobs.edit': '编辑', 'jobs.pause': '暂停', 'jobs.resume': '继续',
    'jobs.run': '立即执行', 'jobs.history': '历史', 'jobs.delete': '删除',
    'jobs.empty': '还没有任务，点击“+ 添加任务”。', 'jobs.nomatch': '没有符合条件的任务。',
    'jobs.count': '共 {n} 个任务', 'jobs.count.more': '超过 {n} 个任务',

    'form.add': '添加任务', 'form.edit': '编辑任务 {id}', 'form.examples': '示例：',
    'form.tzdefault': '服务默认（{zone}）', 'form.policies': '执行策略（留空 = 服务默认值）',
    'form.required': '请填写{field}。', 'form.number': '{field}：请输入范围内的数字。',
    'help.rule.interval': '每隔一段时间：10s、5m、2h、1d，或从大到小组合（1h30m）。首次在一个周期后执行。',
    'help.rule.cron': '六个字段，秒在最前：秒 分 时 日 月 星期。星期 0 = 周一 … 6 = 周日；用名称（mon-fri）更清楚。支持 L、W、#、?。',
    'help.rule.date': '单次执行：YYYY-MM-DD、YYYY-MM-DD HH:MM:SS 或 now。',
    'help.cmd': '程序及参数（不经过 shell；需要管道请写 sh -c \'…\'），http(s)://host/path#{json}，/path#{json}（本服务），或 eventbus:地址#{json}。',
    'help.policies': '错过宽限：触发最多可以晚多久开始。最大实例数：所有节点同时运行的上限。超时会结束整个进程组。重试间隔为重试退避秒数。抖动让每次触发随机推迟。',
    'opt.misfire_grace_time': '错过宽限（秒）', 'opt.max_instances': '最大实例数', 'opt.timeout': '超时（秒）',
    'opt.coalesce': '合并错过的执行', 'opt.retries': '重试次数', 'opt.retry_backoff': '重试退避（秒）',
    'opt.jitter': '随机抖动（秒）', 'opt.default': '默认',
    'form.chain': '任务链', 'opt.on_success': '成功后启动', 'opt.on_failure': '失败后启动',
    'opt.jobids': '任务 ID，逗号分隔',
    'help.chain': '本任务的一次触发结束（重试之后）时启动这些任务，并告知本次触发的 ID。成功启动第一组；失败、超时或中断启动第二组。',
    'chain.parents': '由以下任务启动：{list}', 'chain.noparents': '没有任务启动本任务。',
    'chain.onsuccess': '成功后', 'chain.onfailure': '失败后',

    'preview.empty': '输入规则即可看到接下来的执行时间。', 'preview.next': '接下来的执行时间（{zone}）：',
    'preview.none': '该规则不会再触发。',

    'confirm.delete.title': '删除任务？',
    'confirm.delete.text': '任务“{id}”将被删除，不再执行。执行历史会保留。',
    'toast.added': '已添加任务 {id}。', 'toast.modified': '已保存任务 {id}。', 'toast.paused': '已暂停任务 {id}。',
    'toast.resumed': '已继续任务 {id}。', 'toast.deleted': '已删除任务 {id}。',
    'toast.fired': '任务 {id} 已于 {time} 触发。',

    'page.prev': '上一页', 'page.next': '下一页', 'page.of': '第 {page} / {last} 页',
    'page.of.more': '第 {page} / {last}+ 页',
    'history.count.more': '超过 {n} 次执行',

    'history.title': '任务执行历史', 'history.count': '共 {n} 次执行', 'history.empty': '还没有执行记录。',
    'history.nomatch': '没有符合条件的执行记录。', 'history.only': '只看 {id} 的执行',
    'history.started': '开始于 {time}', 'history.start': '开始时间', 'history.showoutput': '查看完整输出',
    'history.nooutput': '（无输出）', 'output.title': '{id} 在 {time} 的执行',

    'status.title': '调度状态', 'status.answering': '应答节点',
    'status.lbnote': '在负载均衡之后，每次刷新可能由不同节点应答。',
    'status.nodes': '最近执行过的节点', 'status.nodesnote': '根据最近 200 条执行历史。',
    'status.lastfire': '最近触发', 'status.runs': '执行次数', 'status.failures': '未成功',
    'status.here': '当前节点',
    'status.workers': '工作节点', 'status.workersnote': '本节点听到的在线工作节点（run_on、broadcast）。',
    'status.worker': '工作节点', 'status.labels': '标签', 'status.load': '运行中 / 容量',
    'status.seen': '最近心跳（毫秒）', 'status.noworkers': '没有工作节点。',
    'jobs.chart': '执行图', 'running.title': '正在运行', 'running.watch': '实时查看',
    'live.title': '{id} 于 {time} 触发的输出', 'live.connecting': '正在连接…',
    'live.running': '运行中：进程每输出一行，这里就显示一行。',
    'live.ending': '进程已关闭输出，正在等待结果…',
    'live.ended': '已结束：{status}，退出码 {code}。以下是执行历史保存的输出。',
    'live.dropped': '运行中：有 {n} 行未显示（输出过快或连接过慢）。',
    'live.refused': '无法显示实时输出。',
    'charts.title': '触发', 'charts.window': '时间范围', 'charts.hour': '最近一小时', 'charts.day': '最近一天',
    'charts.note': '来自存储中的执行历史：每个节点的回答相同，重启也不会丢失。',
    'charts.fires': '每分钟触发次数（按结果）', 'charts.lateness': '延迟（毫秒）：首次执行的 p50 与 p99',
    'charts.timeline': '单个任务的执行', 'charts.show': '显示',
    'charts.timelinenote': '最近 100 次执行：触发时间、运行时长（秒）和结果。',
    'charts.time': '时间', 'charts.perminute': '次 / 分钟', 'charts.seconds': '秒', 'charts.timelinejob': '{id}：{n} 次执行',
    'sched.node': '节点', 'sched.timezone': '服务时区', 'sched.check_time': '检查时间',
    'sched.next_wakeup_time': '下次唤醒', 'sched.wait_seconds': '距下次唤醒（秒）',
    'sched.heap_size': '堆中的待触发', 'sched.in_flight': '正在执行',
    'sched.history_queue': '待写入的历史', 'sched.store_ok': '数据库可达',
    'sched.store_errors': '数据库错误', 'sched.clock_skew_ms': '时钟偏差（毫秒）',
    'sched.current_lateness_ms': '当前延迟（毫秒）', 'sched.lateness': '延迟统计',

    'live.sse': '● 实时', 'live.poll': '↻ 轮询',
    'live.sse.title': '新的执行和变更实时推送（server-sent events）。',
    'live.poll.title': '没有事件流：页面每 3 秒自动刷新。',

    'auth.title': '登录', 'auth.text': '此 ruqi 需要访问令牌。', 'auth.token': '令牌',
    'auth.kept': '令牌只保存在当前浏览器标签页中，关闭即失效。', 'auth.submit': '登录',
    'auth.signout': '退出', 'auth.signin': '登录', 'auth.rejected': '令牌被拒绝。', 'auth.required': '需要登录。',
    'err.network': '无法连接服务。', 'err.http': 'HTTP {status}',
  },
};

export const LANGS = Object.keys(MESSAGES);
let current = 'en';

export function initI18n() {
  let saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch (e) {
    // storage disabled
  }
  current = MESSAGES[saved] ? saved : fromBrowser();
}

function fromBrowser() {
  const prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const l of prefs) {
    const low = String(l).toLowerCase();
    if (low.startsWith('zh')) return 'zh-CN';
    if (low.startsWith('en')) return 'en';
  }
  return 'en';
}

export function lang() {
  return current;
}

export function setLang(l) {
  if (!MESSAGES[l]) return;
  current = l;
  try {
    localStorage.setItem(KEY, l);
  } catch (e) {
    // storage disabled: the choice lasts for this page
  }
}

/** The text of key in the current language (English if missing there), with {name} replaced from params. */
export function t(key, params) {
  return tOr(key, key, params);
}

export function tOr(key, fallback, params) {
  const one = params && params.n === 1 ? key + '.one' : null; // English plurals; Chinese has none
  let s = (one && MESSAGES[current][one]) ?? MESSAGES[current][key] ?? (one && MESSAGES.en[one]) ?? MESSAGES.en[key];
  if (s == null) return fallback == null ? '' : String(fallback);
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

export function applyStatic(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
