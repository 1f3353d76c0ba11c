import { afterEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { makeCannedResponse } from '../../test/catalog-factories';
import { signInAs } from '../../test/dialog';
import { createTestApp } from '../../test/mount';
import CannedResponsePicker from './CannedResponsePicker.vue';

// Arrows, Enter and Esc through the composer are covered in MessageComposer.spec.ts; these are the rest.
describe('CannedResponsePicker', () => {
  let wrapper: VueWrapper | undefined;

  const replies = [
    makeCannedResponse('r-refund', 'refund', '退款将在 3 个工作日内到账。'),
    makeCannedResponse('r-hours', 'hours', 'We are open 9:00–18:00.'),
  ];

  function mountPicker(responses = replies) {
    const app = createTestApp();
    signInAs('agent');
    wrapper = mount(CannedResponsePicker, {
      props: { responses, id: 'canned-list', searchable: true },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    return wrapper;
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
  });

  it('leaves Enter to the input method while a Chinese word is being composed', async () => {
    const w = mountPicker();
    const search = w.get('[data-test="canned-search"]');
    // Enter and the arrows choose among the input method's candidates, not among the replies.
    await search.trigger('keydown', { key: 'Enter', isComposing: true });
    await search.trigger('keydown', { key: 'Enter', keyCode: 229 }); // how Safari marks it
    await search.trigger('keydown', { key: 'ArrowDown', isComposing: true });
    expect(w.emitted('pick')).toBeUndefined();
    expect(w.get('[aria-selected="true"]').attributes('data-id')).toBe('r-refund');

    await search.trigger('keydown', { key: 'Enter' });
    expect(w.emitted('pick')).toEqual([[replies[0]]]);
  });

  it('picks an option by click, and swallows Enter in its search field when nothing matches', async () => {
    const w = mountPicker();
    await w.get('[data-test="canned-option"][data-id="r-hours"]').trigger('click');
    expect(w.emitted('pick')).toEqual([[replies[1]]]);

    await w.setProps({ responses: [] });
    expect(w.get('[data-test="canned-empty"]').text()).toBe('No canned response matches.');
    const enter = new KeyboardEvent('keydown', { key: 'Enter', cancelable: true });
    w.get('[data-test="canned-search"]').element.dispatchEvent(enter);
    expect(enter.defaultPrevented).toBe(true); // no form around it is submitted
    expect(w.emitted('pick')).toHaveLength(1);
  });
});
