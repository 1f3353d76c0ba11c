import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import * as api from '../api/labels';
import { ApiError } from '../api/http';
import { makeLabel } from '../test/catalog-factories';
import { useLabelsStore } from './labels';

vi.mock('../api/labels');

describe('labels store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.listLabels).mockReset();
    vi.mocked(api.createLabel).mockReset();
    vi.mocked(api.updateLabel).mockReset();
    vi.mocked(api.deleteLabel).mockReset();
  });

  it('applyLabel adds a new label and replaces a changed one in place', () => {
    const store = useLabelsStore();
    store.applyLabels([makeLabel('l1', 'vip'), makeLabel('l2', 'refund')]);
    store.applyLabel(makeLabel('l3', 'complaint'));
    store.applyLabel(makeLabel('l1', 'vip', { color: '#ff0000' }));
    expect(store.items.map((l) => [l.id, l.color])).toEqual([
      ['l1', '#ff0000'],
      ['l2', '#409eff'],
      ['l3', '#409eff'],
    ]);
    expect(store.sorted.map((l) => l.name)).toEqual(['complaint', 'refund', 'vip']);
    expect(store.nameOf('l2')).toBe('refund');
  });

  it('labelsOf keeps the labels that exist, by name', () => {
    const store = useLabelsStore();
    store.applyLabels([makeLabel('l1', 'vip'), makeLabel('l2', 'refund'), makeLabel('l3', 'complaint')]);
    expect(store.labelsOf(['l1', 'gone', 'l2']).map((l) => l.name)).toEqual(['refund', 'vip']);
  });

  it('load, create and update keep the list in step with the server’s answers', async () => {
    const store = useLabelsStore();
    vi.mocked(api.listLabels).mockResolvedValue([makeLabel('l1', 'vip')]);
    await store.load();
    vi.mocked(api.createLabel).mockResolvedValue(makeLabel('l2', 'refund', { color: '#00ff00' }));
    await store.create({ name: 'refund', color: '#00ff00' });
    expect(api.createLabel).toHaveBeenCalledWith({ name: 'refund', color: '#00ff00' });
    vi.mocked(api.updateLabel).mockResolvedValue(makeLabel('l1', 'VIP'));
    await store.update('l1', { name: 'VIP', color: '#409eff' });
    expect(store.items.map((l) => l.name)).toEqual(['VIP', 'refund']);
  });

  it('remove drops the label, also when it was already gone, but keeps it on any other error', async () => {
    const store = useLabelsStore();
    store.applyLabels([makeLabel('l1', 'a'), makeLabel('l2', 'b'), makeLabel('l3', 'c')]);
    vi.mocked(api.deleteLabel).mockResolvedValueOnce(undefined);
    await store.remove('l1');
    vi.mocked(api.deleteLabel).mockRejectedValueOnce(new ApiError(404, 'labels/not_found', 'gone'));
    await store.remove('l2');
    vi.mocked(api.deleteLabel).mockRejectedValueOnce(new ApiError(0, 'http/unavailable', 'offline'));
    await expect(store.remove('l3')).rejects.toBeInstanceOf(ApiError);
    expect(store.items.map((l) => l.id)).toEqual(['l3']);
    store.reset();
    expect(store.items).toEqual([]);
  });
});
