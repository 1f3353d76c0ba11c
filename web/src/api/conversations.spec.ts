import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockFetch, sentBody } from '../test/fetch';
import {
  getConversationCounts,
  listConversations,
  setConversationLabels,
  setConversationTeam,
  uploadImage,
} from './conversations';

describe('conversations API', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for the list with the team, label and search filters in the query string', async () => {
    const fetch = mockFetch(jsonResponse(200, { items: [], nextCursor: null }));
    await listConversations({ teamId: 'none', labelId: 'l-1', q: 'refund #12', sort: 'waiting', cursor: 'abc' });
    const url = new URL(String(fetch.mock.calls[0]?.[0]), 'http://console.test');
    expect(url.pathname).toBe('/api/conversations');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      teamId: 'none',
      labelId: 'l-1',
      q: 'refund #12',
      sort: 'waiting',
      cursor: 'abc',
    });
  });

  it('reads the sidebar counts and sets labels and team with their whole value', async () => {
    const counts = { accounts: [], mine: 0, unassigned: 0, all: 0, teams: [], labels: [] };
    const fetch = mockFetch(jsonResponse(200, counts), jsonResponse(200, {}), jsonResponse(200, {}));
    expect(await getConversationCounts()).toEqual(counts);
    await setConversationLabels('c/1', ['a', 'b']);
    await setConversationTeam('c/1', null);
    expect(fetch.mock.calls.map((call) => [call[1]?.method, call[0]])).toEqual([
      ['GET', '/api/conversations/counts'],
      ['PUT', '/api/conversations/c%2F1/labels'],
      ['PUT', '/api/conversations/c%2F1/team'],
    ]);
    expect(sentBody(fetch, 1)).toEqual({ labelIds: ['a', 'b'] });
    expect(sentBody(fetch, 2)).toEqual({ teamId: null });
  });

  it('uploads an image as multipart in the field "file", leaving the boundary header to the browser', async () => {
    const upload = { id: 'up-1', url: '/api/uploads/up-1' };
    const fetch = mockFetch(jsonResponse(201, upload));
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'shot.png', { type: 'image/png' });
    expect(await uploadImage('c1', file)).toEqual(upload);
    const [path, init] = fetch.mock.calls[0] ?? [];
    expect(path).toBe('/api/conversations/c1/uploads');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBeInstanceOf(FormData);
    const sent = (init?.body as FormData).get('file');
    expect(sent).toBeInstanceOf(File);
    expect((sent as File).name).toBe('shot.png');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBeUndefined();
  });
});
