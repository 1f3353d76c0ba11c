import { randomBytes } from 'node:crypto';
import { buildPush, pushUrl, type PushTarget } from '@inbox/server/channels/wechat/wechat-push.builder';
import { io, type Socket } from 'socket.io-client';

export interface BenchAccount extends PushTarget {
  id: string;
  appSecret: string;
}

export interface PreparedPush {
  url: string;
  body: string;
  /** The unique marker carried in the text, to match socket deliveries (null for events/images). */
  marker: string | null;
}

const ZH = ['你好，我的订单还没到', '请问发票怎么开？', '退货流程是什么', '客服在吗', '这个优惠券能用吗'];
const EN = [
  'Hello, where is my order?',
  'How do I get an invoice?',
  'Can I return this?',
  'Is anyone there?',
  'Does this coupon work?',
];

let msgSeq = BigInt(Date.now()) * 1000n;

/** Realistic mixed traffic: mostly text (Chinese and English), some images and events; unique MsgIds. */
export function preparePushes(
  base: string,
  accounts: BenchAccount[],
  count: number,
  customersPerAccount = 50,
): PreparedPush[] {
  const out: PreparedPush[] = [];
  for (let i = 0; i < count; i++) {
    const account = accounts[i % accounts.length]!;
    const openid = `oBench${account.id.slice(0, 6)}_${i % customersPerAccount}`;
    const createTime = Math.floor(Date.now() / 1000);
    const r = i % 20;
    let fields: Record<string, string | number>;
    let marker: string | null = null;
    if (r === 7) {
      fields = {
        FromUserName: openid,
        CreateTime: createTime,
        MsgType: 'image',
        PicUrl: 'http://mmbiz.qpic.cn/bench.jpg',
        MediaId: `m${i}`,
        MsgId: String(++msgSeq),
      };
    } else if (r === 13) {
      fields = {
        FromUserName: openid,
        CreateTime: createTime + i,
        MsgType: 'event',
        Event: i % 2 ? 'CLICK' : 'subscribe',
        EventKey: `k${i}`,
      };
    } else {
      marker = `#${randomBytes(6).toString('hex')}`;
      const text = `${(i % 2 ? ZH : EN)[i % 5]} ${marker}`;
      fields = {
        FromUserName: openid,
        CreateTime: createTime,
        MsgType: 'text',
        Content: text,
        MsgId: String(++msgSeq),
      };
    }
    const p = buildPush(account, fields);
    out.push({ url: pushUrl(base, account.id, p.query), body: p.body, marker });
  }
  return out;
}

export interface SendResult {
  ok: boolean;
  ms: number;
}

export async function sendPush(p: PreparedPush): Promise<SendResult> {
  const start = performance.now();
  try {
    const res = await fetch(p.url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: p.body });
    const text = await res.text();
    return { ok: res.status === 200 && text === 'success', ms: performance.now() - start };
  } catch {
    return { ok: false, ms: performance.now() - start };
  }
}

/** Closed loop: `concurrency` senders, each sending its next push as soon as the previous is answered. */
export async function closedLoop(
  pushes: PreparedPush[],
  concurrency: number,
  onSend?: (p: PreparedPush, at: number) => void,
): Promise<{ seconds: number; results: SendResult[] }> {
  const results: SendResult[] = new Array(pushes.length);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        const p = pushes[i];
        if (!p) return;
        onSend?.(p, performance.now());
        results[i] = await sendPush(p);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, results };
}

/**
 * Open loop: push i is due at start + i / rate whatever happened before, and its latency counts from
 * that due time, so a slow server cannot hide its queueing (no coordinated omission).
 */
export async function openLoop(
  pushes: PreparedPush[],
  rate: number,
  onSend?: (p: PreparedPush, dueAt: number) => void,
): Promise<{ latencies: number[]; errors: number }> {
  const start = performance.now() + 50;
  const latencies: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < pushes.length; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const p = pushes[i]!;
    onSend?.(p, due);
    inflight.push(
      sendPush(p).then((r) => {
        if (!r.ok) errors++;
        latencies.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(inflight);
  return { latencies, errors };
}

export interface AgentSockets {
  sockets: Socket[];
  /** marker -> arrival times (one per socket that got it). */
  arrivals: Map<string, number[]>;
  close(): void;
}

/** Connects `n` agent sockets; records when each text marker arrives on each socket. */
export async function connectAgents(
  url: string,
  n: number,
  opts: { cookie?: string; query?: Record<string, string> },
): Promise<AgentSockets> {
  const arrivals = new Map<string, number[]>();
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i++) {
    const s = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      ...(opts.cookie ? { extraHeaders: { cookie: opts.cookie } } : {}),
      ...(opts.query ? { query: opts.query } : {}),
    });
    s.on('message.created', (e: { message: { text?: string | null } }) => {
      const m = /#[0-9a-f]{12}/.exec(e.message.text ?? '')?.[0];
      if (!m) return;
      const list = arrivals.get(m);
      if (list) list.push(performance.now());
      else arrivals.set(m, [performance.now()]);
    });
    sockets.push(s);
  }
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve, reject) => {
          if (s.connected) return resolve();
          s.once('connect', () => resolve());
          s.once('connect_error', reject);
        }),
    ),
  );
  return { sockets, arrivals, close: () => sockets.forEach((s) => s.close()) };
}

/** Resolves when `check()` holds, re-checking on each socket event, or after `ms` (then resolves false). */
export function until(agents: AgentSockets, check: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (check()) return resolve(true);
    const timer = setTimeout(() => done(false), ms);
    const onAny = () => queueMicrotask(() => check() && done(true));
    const done = (v: boolean) => {
      clearTimeout(timer);
      agents.sockets.forEach((s) => s.offAny(onAny));
      resolve(v);
    };
    agents.sockets.forEach((s) => s.onAny(onAny));
  });
}
