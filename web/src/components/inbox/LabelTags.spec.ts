import { afterEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { useLabelsStore } from '../../stores/labels';
import { makeLabel } from '../../test/catalog-factories';
import { signInAs } from '../../test/dialog';
import { createTestApp } from '../../test/mount';
import LabelTags from './LabelTags.vue';

describe('LabelTags', () => {
  let wrapper: VueWrapper | undefined;

  function mountTags(labelIds: string[]) {
    const app = createTestApp();
    signInAs('agent');
    useLabelsStore().applyLabels([
      makeLabel('l-vip', 'VIP', { color: '#1f2d3d' }),
      makeLabel('l-refund', 'Refund', { color: '#f7e463' }),
      makeLabel('l-odd', 'Odd', { color: 'red;background:url(x)' }),
    ]);
    wrapper = mount(LabelTags, { props: { labelIds }, global: { plugins: app.plugins } });
    return wrapper;
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  it('shows the labels that exist, by name, each readable on its colour', () => {
    const w = mountTags(['l-vip', 'l-deleted', 'l-refund', 'l-odd']);
    const tags = w.findAll('[data-test="label-tag"]');
    expect(tags.map((t) => t.text())).toEqual(['Odd', 'Refund', 'VIP']); // an unknown id is left out
    const style = (id: string) => (w.get(`[data-label-id="${id}"]`).element as HTMLElement).style;
    expect(style('l-vip').backgroundColor).toBe('#1f2d3d');
    expect(style('l-vip').color).toBe('#ffffff'); // light text on a dark label
    expect(style('l-refund').color).toBe('#000000'); // dark text on a light one
    expect(style('l-odd').backgroundColor).toBe('#909399'); // a colour that is not #rrggbb is not used as CSS
    expect(w.get('[data-test="label-tags"]').attributes('title')).toBe('Labels');
  });

  it('renders nothing when none of the labels exists', () => {
    const w = mountTags(['l-deleted']);
    expect(w.find('[data-test="label-tags"]').exists()).toBe(false);
  });
});
