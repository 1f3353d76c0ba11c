import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch, sentBody } from '../test/fetch';
import { ApiError, request } from './http';

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('request', () => {
  it('sends JSON with the session cookie and returns the parsed body', async () => {
    const fetchMock = mockFetch(jsonResponse(200, { ok: 1 }));

    const result = await request<{ ok: number }>('POST', '/api/things', { name: 'a' });

    expect(result).toEqual({ ok: 1 });
    const [path, init] = fetchMock.mock.calls[0] ?? [];
    expect(path).toBe('/api/things');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json', Accept: 'application/json' });
    expect(sentBody(fetchMock)).toEqual({ name: 'a' });
  });

  it('sends no body and no Content-Type without a payload', async () => {
    const fetchMock = mockFetch(jsonResponse(200, []));
    await request('GET', '/api/things');
    const init = fetchMock.mock.calls[0]?.[1];
    expect(init?.body).toBeUndefined();
    expect(init?.headers).not.toHaveProperty('Content-Type');
  });

  it('resolves a 204 to undefined', async () => {
    mockFetch(new Response(null, { status: 204 }));
    await expect(request('POST', '/api/auth/logout')).resolves.toBeUndefined();
  });

  it('turns the error body into a typed ApiError', async () => {
    mockFetch(
      jsonResponse(401, { statusCode: 401, code: 'auth/invalid_credentials', message: 'Wrong email or password' }),
    );

    const error = await caught(request('POST', '/api/auth/login', {}));

    expect(error).toBeInstanceOf(Error);
    expect(error.statusCode).toBe(401);
    expect(error.code).toBe('auth/invalid_credentials');
    expect(error.message).toBe('Wrong email or password');
    expect(error.fields).toBeUndefined();
  });

  it('keeps the offending fields of a validation error', async () => {
    const fields = { email: ['must be an email'] };
    mockFetch(jsonResponse(400, { statusCode: 400, code: 'validation/failed', message: 'Invalid', fields }));

    const error = await caught(request('POST', '/api/users', {}));

    expect(error.code).toBe('validation/failed');
    expect(error.fields).toEqual(fields);
  });

  it('reads Retry-After on a throttled answer', async () => {
    mockFetch(
      jsonResponse(429, { statusCode: 429, code: 'auth/throttled', message: 'Slow down' }, { 'Retry-After': '30' }),
    );

    const error = await caught(request('POST', '/api/auth/login', {}));

    expect(error.code).toBe('auth/throttled');
    expect(error.retryAfter).toBe(30);
  });

  it.each([
    ['an HTML page', new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })],
    ['an empty body', new Response(null, { status: 500 })],
    ['JSON of another shape', jsonResponse(400, { error: 'nope' })],
    ['an unknown code', jsonResponse(418, { statusCode: 418, code: 'tea/pot', message: 'short and stout' })],
  ])('falls back to http/internal for %s, keeping the status', async (_label, response) => {
    mockFetch(response);

    const error = await caught(request('GET', '/api/things'));

    expect(error.code).toBe('http/internal');
    expect(error.statusCode).toBe(response.status);
  });

  it('reports an unreachable server as http/unavailable', async () => {
    const fetchMock = mockFetch();
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));

    const error = await caught(request('GET', '/api/auth/me'));

    expect(error.code).toBe('http/unavailable');
    expect(error.statusCode).toBe(0);
  });
});
