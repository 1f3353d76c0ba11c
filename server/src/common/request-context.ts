import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is behind the work in progress: the client's IP and, once the guard has checked the session,
 * the user. Set for every HTTP request (a Fastify hook in app.ts) so the audit log can name the
 * actor without every service threading it through; empty outside a request (CLI, jobs).
 */
export interface RequestContext {
  ip?: string;
  userId?: string;
  email?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function requestContext(): RequestContext | undefined {
  return storage.getStore();
}
