// `npm run demo:traffic -- [--rate 2] [--duration 60] [--count N] [--url http://localhost:3000]
//                          [--email admin@example.com --password …] [--customers 4]`
// Keeps simulated customers of every sandbox account writing to the inbox through the sandbox's control API
// (`/api/sandbox`, server started with SANDBOX=1): Chinese and English text, some pictures, locations, links
// and menu events. Bounded in count and time; stops by itself (or on Ctrl-C) and prints a summary.
// Plain Node 20, no dependencies. Credentials: --email/--password, else ADMIN_EMAIL/ADMIN_PASSWORD.

const HELP = `Usage: npm run demo:traffic -- [options]
  --url <url>         server (default $INBOX_URL or http://localhost:3000)
  --email <email>     log in as (default $ADMIN_EMAIL)
  --password <pw>     password (default $ADMIN_PASSWORD)
  --rate <n>          customer actions per second (default 2, at most 50)
  --duration <s>      stop after this many seconds (default 60, at most 3600)
  --count <n>         stop after this many actions (default rate × duration)
  --customers <n>     simulated customers per account (default 4, at most 50)`;

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2);
      out[name] = inline ?? argv[++i];
    } else throw new Error(`unexpected argument ${arg}`);
  }
  return out;
}

function number(value, fallback, min, max, name) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
  return n;
}

const TEXTS = [
  '你好，请问在吗？',
  '我的订单什么时候发货？',
  '可以开发票吗？',
  '这个周末营业吗？',
  '请问有会员优惠吗？',
  '收到的商品有破损，怎么办？',
  '谢谢，明白了！',
  '能帮我改一下收货地址吗？',
  'Hi, is anyone there?',
  'When will my order ship?',
  'Do you deliver to Shenzhen?',
  'Can I change my booking to next Friday?',
  'Thanks, that helps a lot!',
  'What are your opening hours today?',
  'Is there a student discount?',
];
const PLACES = [
  { latitude: 39.9087, longitude: 116.3975, label: '北京市东城区天安门广场' },
  { latitude: 31.2304, longitude: 121.4737, label: '上海市黄浦区南京东路' },
  { latitude: 23.1291, longitude: 113.2644, label: '广州市越秀区北京路' },
  { latitude: 22.5431, longitude: 114.0579, label: 'Shenzhen Civic Center' },
];
const LINKS = [
  { title: '这款保温杯还有货吗', url: 'https://example.com/p/thermos', description: '500ml 不锈钢' },
  { title: 'Weekend tour to Hangzhou', url: 'https://example.com/tours/hangzhou', description: '2 days' },
];
const MENU_KEYS = ['MENU_ORDERS', 'MENU_HELP', 'MENU_NEW_ARRIVALS'];
const NAMES = [
  '王芳',
  '李娜',
  '张伟',
  '刘洋',
  '陈静',
  'Emma Li',
  'Oliver Wang',
  'Sophie Chen',
  'Lucas Zhang',
  'Mia Liu',
];

const pick = (list) => list[Math.floor(Math.random() * list.length)];

/** One random customer action: mostly text, some pictures, locations, links and menu events. */
function randomAction() {
  const r = Math.random();
  if (r < 0.62) return { kind: 'messages', body: { type: 'text', text: pick(TEXTS) } };
  if (r < 0.74) return { kind: 'messages', body: { type: 'image' } };
  if (r < 0.82) return { kind: 'messages', body: { type: 'location', ...pick(PLACES) } };
  if (r < 0.87) return { kind: 'messages', body: { type: 'link', ...pick(LINKS) } };
  if (r < 0.94) return { kind: 'events', body: { event: 'CLICK', eventKey: pick(MENU_KEYS) } };
  if (r < 0.97)
    return { kind: 'events', body: { event: 'SCAN', eventKey: `poster_${1 + Math.floor(Math.random() * 9)}` } };
  return { kind: 'events', body: { event: 'LOCATION', ...pick(PLACES), precision: 30 } };
}

class Api {
  constructor(base) {
    this.base = base.replace(/\/+$/, '');
    this.cookie = '';
  }
  async request(method, path, body) {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text };
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const url = args.url ?? process.env.INBOX_URL ?? 'http://localhost:3000';
  const email = args.email ?? process.env.ADMIN_EMAIL;
  const password = args.password ?? process.env.ADMIN_PASSWORD;
  const rate = number(args.rate, 2, 0.1, 50, 'rate');
  const duration = number(args.duration, 60, 1, 3600, 'duration');
  const limit = Math.floor(number(args.count, Math.ceil(rate * duration), 1, 1_000_000, 'count'));
  const perAccount = Math.floor(number(args.customers, 4, 1, 50, 'customers'));
  if (!email || !password) {
    console.error('Give the admin login: --email and --password, or ADMIN_EMAIL and ADMIN_PASSWORD.\n\n' + HELP);
    return 2;
  }

  const api = new Api(url);
  let login;
  try {
    login = await api.request('POST', '/api/auth/login', { email, password });
  } catch (err) {
    console.error(`Cannot reach ${url}: ${err.cause?.code ?? err.message}. Is the server running (npm start)?`);
    return 1;
  }
  if (login.status !== 200) {
    console.error(
      `Login as ${email} failed (${login.status} ${login.body?.code ?? ''}): ${login.body?.message ?? login.text}`,
    );
    return 1;
  }
  const listed = await api.request('GET', '/api/sandbox/accounts');
  if (listed.status === 404) {
    console.error('The sandbox is off on this server: start it with SANDBOX=1 (and DEMO=1 for demo accounts).');
    return 1;
  }
  if (listed.status !== 200) {
    console.error(`Listing sandbox accounts failed (${listed.status}): ${listed.body?.message ?? listed.text}`);
    return 1;
  }
  const accounts = listed.body.filter((a) => a.status === 'active');
  if (accounts.length === 0) {
    console.error('No active linked account: restart once with DEMO=1 on an empty database, or link one.');
    return 1;
  }

  // Customers per account: reuse the followers the sandbox knows, make up the rest.
  const customers = [];
  for (const account of accounts) {
    const known = await api.request('GET', `/api/sandbox/accounts/${account.id}/customers`);
    const list = (known.body ?? []).slice(0, perAccount);
    for (let i = list.length; i < perAccount; i++) {
      const made = await api.request('POST', `/api/sandbox/accounts/${account.id}/customers`, {
        displayName: pick(NAMES),
      });
      if (made.status === 201) list.push(made.body);
    }
    for (const c of list) customers.push({ account, openid: c.openid, name: c.displayName, subscribed: c.subscribed });
  }

  console.log(
    `Sending up to ${limit} customer actions at ${rate}/s for at most ${duration} s to ${accounts.length} account(s), ` +
      `${customers.length} customers, on ${url}. Ctrl-C stops.`,
  );

  const summary = { started: 0, delivered: 0, notDelivered: 0, failed: 0, byType: {}, byAccount: {}, errors: {} };
  const count = (map, key) => (map[key] = (map[key] ?? 0) + 1);

  async function act() {
    const c = pick(customers);
    const base = `/api/sandbox/accounts/${c.account.id}/customers/${encodeURIComponent(c.openid)}`;
    const steps = [];
    if (!c.subscribed) steps.push({ kind: 'events', body: { event: 'subscribe' } });
    steps.push(randomAction());
    for (const step of steps) {
      const type = step.kind === 'events' ? `event:${step.body.event}` : step.body.type;
      count(summary.byType, type);
      count(summary.byAccount, c.account.name);
      try {
        const res = await api.request('POST', `${base}/${step.kind}`, step.body);
        if (res.status !== 200) {
          summary.failed++;
          count(summary.errors, `${res.status} ${res.body?.code ?? ''}`.trim());
          continue;
        }
        if (step.body.event === 'subscribe') c.subscribed = true;
        if (res.body.delivered) summary.delivered++;
        else summary.notDelivered++;
      } catch (err) {
        summary.failed++;
        count(summary.errors, err.cause?.code ?? err.message);
      }
    }
  }

  const startedAt = Date.now();
  const deadline = startedAt + duration * 1000;
  const inFlight = new Set();
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log('\nStopping: waiting for the pushes in flight…');
  };
  process.on('SIGINT', onSignal);

  const interval = 1000 / rate;
  let next = startedAt;
  while (!stopping && summary.started < limit && Date.now() < deadline) {
    if (inFlight.size < 16) {
      summary.started++;
      const p = act().finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (summary.started % Math.max(1, Math.round(rate * 10)) === 0) {
        console.log(`  ${summary.started} actions, ${summary.delivered} delivered`);
      }
    }
    next += interval;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await Promise.all(inFlight);
  process.off('SIGINT', onSignal);

  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const rows = (map) =>
    Object.entries(map)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `    ${String(v).padStart(5)}  ${k}`)
      .join('\n');
  console.log(
    [
      ``,
      `Done in ${seconds} s: ${summary.started} customer actions.`,
      `  delivered to the inbox: ${summary.delivered}; not accepted by the callback URL: ${summary.notDelivered}; ` +
        `refused by the control API: ${summary.failed}`,
      `  by type:\n${rows(summary.byType)}`,
      `  by account:\n${rows(summary.byAccount)}`,
      ...(Object.keys(summary.errors).length ? [`  errors:\n${rows(summary.errors)}`] : []),
    ].join('\n'),
  );
  return summary.failed > 0 && summary.delivered === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
