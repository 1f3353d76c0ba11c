import { vi } from 'vitest';

/** A JSON Response as the server would send it. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

/** Replaces global fetch (the browser boundary) with a mock answering the given responses in order. */
export function mockFetch(...responses: Response[]) {
  const fn = vi.fn<typeof fetch>();
  for (const response of responses) fn.mockResolvedValueOnce(response);
  fn.mockRejectedValue(new Error('unexpected fetch call'));
  vi.stubGlobal('fetch', fn);
  return fn;
}

/** The parsed JSON body of the n-th fetch call. */
export function sentBody(fn: ReturnType<typeof mockFetch>, call = 0): unknown {
  const init = fn.mock.calls[call]?.[1];
  return typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
}
