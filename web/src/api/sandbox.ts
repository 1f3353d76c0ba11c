import type {
  CreateSandboxCustomerRequest,
  SandboxAccount,
  SandboxCustomer,
  SandboxEventRequest,
  SandboxInbox,
  SandboxMessageRequest,
  SandboxPushResult,
} from '@inbox/shared';
import { request } from './http';

/** The built-in WeChat's control API; every call answers 404 `http/not_found` while the sandbox is off. */
const customersPath = (accountId: string) => `/api/sandbox/accounts/${encodeURIComponent(accountId)}/customers`;
const customerPath = (accountId: string, openid: string) => `${customersPath(accountId)}/${encodeURIComponent(openid)}`;

export function listSandboxAccounts(): Promise<SandboxAccount[]> {
  return request<SandboxAccount[]>('GET', '/api/sandbox/accounts');
}

export function listSandboxCustomers(accountId: string): Promise<SandboxCustomer[]> {
  return request<SandboxCustomer[]>('GET', customersPath(accountId));
}

export function createSandboxCustomer(accountId: string, body: CreateSandboxCustomerRequest): Promise<SandboxCustomer> {
  return request<SandboxCustomer>('POST', customersPath(accountId), body);
}

/** Answers once WeChat is done delivering the push to the callback URL (accepted or given up). */
export function sendSandboxMessage(
  accountId: string,
  openid: string,
  body: SandboxMessageRequest,
): Promise<SandboxPushResult> {
  return request<SandboxPushResult>('POST', `${customerPath(accountId, openid)}/messages`, body);
}

export function sendSandboxEvent(
  accountId: string,
  openid: string,
  body: SandboxEventRequest,
): Promise<SandboxPushResult> {
  return request<SandboxPushResult>('POST', `${customerPath(accountId, openid)}/events`, body);
}

/** The customer's phone: what they sent, what they received and what WeChat refused, oldest first. */
export function getSandboxInbox(accountId: string, openid: string): Promise<SandboxInbox> {
  return request<SandboxInbox>('GET', `${customerPath(accountId, openid)}/inbox`);
}
