import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { ElColorPicker } from 'element-plus';
import type { Label } from '@inbox/shared';
import { useLabelsStore } from '../../stores/labels';
import { makeLabel } from '../../test/catalog-factories';
import { fieldErrors, fill, inputValue, signInAs, submitDialog } from '../../test/dialog';
import { jsonResponse, mockFetch, sentBody } from '../../test/fetch';
import { createTestApp } from '../../test/mount';
import LabelFormDialog from './LabelFormDialog.vue';

describe('LabelFormDialog', () => {
  let wrapper: VueWrapper | undefined;

  async function openForm(label: Label | null = null) {
    const app = createTestApp();
    signInAs('admin');
    wrapper = mount(LabelFormDialog, {
      props: { modelValue: false, label },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    return wrapper;
  }

  async function pickColor(w: VueWrapper, value: string | null): Promise<void> {
    w.findComponent(ElColorPicker).vm.$emit('update:modelValue', value);
    await flushPromises();
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  it('adds a label with the picked colour, in lower case', async () => {
    const created = makeLabel('l1', 'VIP', { color: '#f56c6c' });
    const fetchMock = mockFetch(jsonResponse(201, created));
    const w = await openForm();
    await fill({ 'label-name': ' VIP ' });
    await pickColor(w, '#F56C6C');
    await submitDialog('label-form');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/labels');
    expect(sentBody(fetchMock)).toEqual({ name: 'VIP', color: '#f56c6c' });
    expect(w.emitted('saved')?.[0]).toEqual([created, true]);
    expect(useLabelsStore().items).toEqual([created]);
  });

  it('a cleared colour falls back to the default one', async () => {
    const fetchMock = mockFetch(jsonResponse(201, makeLabel('l1', 'refund')));
    const w = await openForm();
    await fill({ 'label-name': 'refund' });
    await pickColor(w, null);
    await submitDialog('label-form');
    expect(sentBody(fetchMock)).toEqual({ name: 'refund', color: '#409eff' });
  });

  it('shows a taken name (409) under the name', async () => {
    mockFetch(jsonResponse(409, { statusCode: 409, code: 'labels/name_taken', message: 'Taken' }));
    const w = await openForm();
    await fill({ 'label-name': 'vip' });
    await submitDialog('label-form');
    await vi.waitFor(() => expect(fieldErrors()).toEqual(['A label with this name already exists.']));
    expect(w.emitted('saved')).toBeUndefined();
  });

  it('shows the server’s refusal of the colour under the colour', async () => {
    mockFetch(
      jsonResponse(400, {
        statusCode: 400,
        code: 'validation/failed',
        message: 'Invalid color',
        fields: { color: ['color must be #rrggbb'] },
      }),
    );
    await openForm();
    await fill({ 'label-name': 'vip' });
    await submitDialog('label-form');
    await vi.waitFor(() => expect(fieldErrors()).toEqual(['color must be #rrggbb']));
  });

  it('edits a label: starts from its name and colour and PATCHes both', async () => {
    const label = makeLabel('l1', 'vip', { color: '#67c23a' });
    const fetchMock = mockFetch(jsonResponse(200, { ...label, name: 'VIP customer' }));
    const w = await openForm(label);
    expect(inputValue('label-name')).toBe('vip');
    await fill({ 'label-name': 'VIP customer' });
    await submitDialog('label-form');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/labels/l1');
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe('PATCH');
    expect(sentBody(fetchMock)).toEqual({ name: 'VIP customer', color: '#67c23a' });
    expect(w.emitted('saved')?.[0]?.[1]).toBe(false);
  });
});
