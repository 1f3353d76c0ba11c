import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { PresenceResponse } from '@inbox/shared';
import * as api from '../api/presence';
import { usePresenceStore } from './presence';

vi.mock('../api/presence');

describe('presence store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.getPresence).mockReset();
  });

  it('marks colleagues online and offline from events', () => {
    const store = usePresenceStore();
    store.applyPresence({ userId: 'u1', online: true });
    store.applyPresence({ userId: 'u2', online: true });
    store.applyPresence({ userId: 'u1', online: false });
    expect(store.isOnline('u1')).toBe(false);
    expect(store.isOnline('u2')).toBe(true);
    expect(store.isOnline(null)).toBe(false);
    store.applyPresence({ userId: 'u3', online: false }); // never seen: still offline
    expect(store.isOnline('u3')).toBe(false);
  });

  it('replaces what it knew with the server list on load', async () => {
    const store = usePresenceStore();
    store.applyPresence({ userId: 'gone', online: true });
    vi.mocked(api.getPresence).mockResolvedValue({ online: ['u1', 'u2'] });
    await store.load();
    expect(Object.keys(store.online).sort()).toEqual(['u1', 'u2']);
    expect(store.isOnline('gone')).toBe(false);
  });

  it('keeps an event that arrives while the list is loading (it may be newer than the answer)', async () => {
    const store = usePresenceStore();
    let answer: (r: PresenceResponse) => void = () => undefined;
    vi.mocked(api.getPresence).mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const loading = store.load();
    store.applyPresence({ userId: 'u1', online: false }); // u1 leaves after the server made its list
    store.applyPresence({ userId: 'u3', online: true });
    answer({ online: ['u1', 'u2'] });
    await loading;
    expect(Object.keys(store.online).sort()).toEqual(['u2', 'u3']);
  });

  it('ignores the answer of a load made before a newer one or a reset', async () => {
    const store = usePresenceStore();
    let first: (r: PresenceResponse) => void = () => undefined;
    vi.mocked(api.getPresence)
      .mockReturnValueOnce(new Promise((resolve) => (first = resolve)))
      .mockResolvedValueOnce({ online: ['new'] });
    const older = store.load();
    await store.load();
    first({ online: ['old'] });
    await older;
    expect(Object.keys(store.online)).toEqual(['new']);
  });
});
