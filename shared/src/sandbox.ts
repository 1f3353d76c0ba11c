import type { AccountMode, AccountStatus } from './accounts';

/**
 * The built-in WeChat sandbox's control API (`/api/sandbox`, only while the server runs with SANDBOX=1):
 * simulated customers of every linked account write to the inbox through the real callback URL and see
 * what the inbox sent them through WeChat's API, including the replies WeChat would have refused.
 */

/** Message types a simulated customer can send (protocol doc §3.1). */
export const SANDBOX_MESSAGE_TYPES = ['text', 'image', 'voice', 'video', 'location', 'link'] as const;
export type SandboxMessageType = (typeof SANDBOX_MESSAGE_TYPES)[number];

/** Events a simulated customer can trigger (protocol doc §3.2). */
export const SANDBOX_EVENTS = ['subscribe', 'unsubscribe', 'SCAN', 'CLICK', 'VIEW', 'LOCATION'] as const;
export type SandboxEvent = (typeof SANDBOX_EVENTS)[number];

/** A linked account as the sandbox simulates it (every linked account is a sandbox app while it is on). */
export interface SandboxAccount {
  id: string;
  name: string;
  appId: string;
  originalId: string;
  mode: AccountMode;
  status: AccountStatus;
  /** Where the sandbox pushes this account's callbacks. */
  callbackUrl: string;
  customers: number;
}

/** WeChat's customer-service window for one customer, as WeChat counts it. */
export interface SandboxWindow {
  /** Replies WeChat still accepts. */
  remaining: number;
  /** ISO time the window closes. */
  expiresAt: string;
}

export interface SandboxCustomer {
  openid: string;
  displayName: string;
  subscribed: boolean;
  /** null: no window is open (WeChat answers a reply with 45015); `remaining` 0: open but used up (45047). */
  window: SandboxWindow | null;
}

/** `POST /api/sandbox/accounts/:id/customers`; everything optional (a name and an openid are made up). */
export interface CreateSandboxCustomerRequest {
  displayName?: string;
  /** 1–64 letters, digits, `_` or `-`. */
  openid?: string;
  /** Default true: the customer follows the account. */
  subscribed?: boolean;
}

/**
 * `POST /api/sandbox/accounts/:id/customers/:openid/messages`. Fields by type:
 * text → `text`; location → `latitude`, `longitude`, optional `scale`, `label`;
 * link → `title`, `url`, optional `description`; voice → optional `recognition`;
 * image, video → nothing (the sandbox makes a small file and stores it as WeChat media).
 */
export interface SandboxMessageRequest {
  type: SandboxMessageType;
  text?: string;
  latitude?: number;
  longitude?: number;
  scale?: number;
  label?: string;
  title?: string;
  description?: string;
  url?: string;
  recognition?: string;
}

/**
 * `POST /api/sandbox/accounts/:id/customers/:openid/events`. `eventKey`: the QR scene for subscribe
 * (sent as `qrscene_<scene>`) and SCAN, the menu key for CLICK, the URL for VIEW.
 * LOCATION uses `latitude`, `longitude`, `precision`.
 */
export interface SandboxEventRequest {
  event: SandboxEvent;
  eventKey?: string;
  latitude?: number;
  longitude?: number;
  precision?: number;
}

/**
 * One HTTP delivery of a push to the callback URL. WeChat waits 5 s; a timeout, a status other than 200 or
 * a body other than `success`, an empty body or well-formed XML is a failure and the push is delivered
 * again (up to 4 deliveries in all).
 */
export interface SandboxDeliveryAttempt {
  attempt: number;
  /** ISO time the delivery started. */
  at: string;
  /** HTTP status, null when there was no answer (timeout, network error). */
  status: number | null;
  /** The answer's body (cut to 2 000 characters), null when there was no answer. */
  body: string | null;
  ms: number;
  outcome: 'accepted' | 'timeout' | 'http_status' | 'invalid_reply' | 'network_error';
}

export interface SandboxPushResult {
  id: string;
  accountId: string;
  openid: string;
  /** text, image, … or `event`. */
  msgType: string;
  event?: string;
  /** Ordinary messages only (a 64-bit integer as a string). */
  msgId?: string;
  /** Unix seconds, as in the XML. */
  createTime: number;
  /** The callback URL accepted one of the deliveries. */
  delivered: boolean;
  attempts: SandboxDeliveryAttempt[];
}

/** Why WeChat refused a customer-service message, in plain words (errcodes 45015, 45047, 43004). */
export interface SandboxRefusal {
  errcode: number;
  errmsg: string;
  reason: string;
}

export type SandboxInboxItem =
  /** What the customer sent (a message or an event), with its delivery outcome. */
  | {
      kind: 'customer';
      at: string;
      pushId: string;
      msgType: string;
      event?: string;
      /** A one-line description: the text, "[image]", "[location] label", "[event] CLICK key", … */
      summary: string;
      delivered: boolean;
      attempts: number;
    }
  /** A message the customer received through the customer-service API. */
  | { kind: 'received'; at: string; msgtype: string; text: string | null; message: Record<string, unknown> }
  /** A message the inbox tried to send that WeChat refused: "WeChat would have refused this". */
  | {
      kind: 'refused';
      at: string;
      msgtype: string;
      text: string | null;
      message: Record<string, unknown>;
      refusal: SandboxRefusal;
    };

/** `GET /api/sandbox/accounts/:id/customers/:openid/inbox`: the customer's phone, oldest first. */
export interface SandboxInbox {
  accountId: string;
  customer: SandboxCustomer;
  items: SandboxInboxItem[];
}

/**
 * `PUT /api/sandbox/accounts/:id/fault` (admin): how WeChat's API misbehaves for this account's calls.
 * `expireTokens` / `invalidateTokens` act once, at once (calls then get 42001 / 40001).
 */
export interface SandboxFaultRequest {
  latencyMs?: number;
  errcode?: number;
  errmsg?: string;
  httpStatus?: number;
  dropConnection?: boolean;
  /** How many calls are affected; until DELETE when absent. */
  times?: number;
  /** Only these API paths, e.g. `/cgi-bin/message/custom/send`; every call when absent. */
  paths?: string[];
  expireTokens?: boolean;
  invalidateTokens?: boolean;
}
