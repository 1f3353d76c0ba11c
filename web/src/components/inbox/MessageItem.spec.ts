import { afterEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import type { Message } from '@inbox/shared';
import { makeMessage } from '../../test/factories';
import { createTestApp } from '../../test/mount';
import { useAuthStore } from '../../stores/auth';
import MessageItem from './MessageItem.vue';

describe('MessageItem', () => {
  let wrapper: VueWrapper | undefined;

  function render(overrides: Partial<Message>) {
    const app = createTestApp();
    useAuthStore().applyMe({ id: 'u1', email: 'a@example.com', name: 'Agent', role: 'agent', accountIds: [] });
    wrapper = mount(MessageItem, {
      props: {
        message: makeMessage({ id: '1', conversationId: 'c1', ...overrides }),
        senderName: 'Wang',
        now: Date.now(),
      },
      global: { plugins: app.plugins },
    });
    return wrapper;
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  it('renders links in text as safe links and nothing else as HTML', () => {
    const w = render({ text: 'See https://example.com/a?b=1. <b>not bold</b> javascript:alert(1)' });
    const links = w.findAll('a');
    expect(links.map((a) => a.attributes('href'))).toEqual(['https://example.com/a?b=1']);
    expect(links[0]?.attributes('rel')).toContain('noopener');
    expect(w.find('b').exists()).toBe(false);
    expect(w.get('[data-test="message-text"]').text()).toContain('<b>not bold</b>');
  });

  it('shows a subscribe event with its QR scene as a system line', () => {
    const w = render({
      type: 'event',
      text: null,
      payload: { event: 'subscribe', scene: '42', EventKey: 'qrscene_42' },
    });
    expect(w.get('[data-test="message-event"]').text()).toContain('Followed via QR scene 42');
  });

  it('shows a location card with its label and coordinates', () => {
    const w = render({
      type: 'location',
      text: null,
      payload: { Location_X: '39.9042', Location_Y: '116.4074', Scale: '15', Label: 'Tiananmen, Beijing' },
    });
    const card = w.get('[data-test="message-location"]');
    expect(card.text()).toContain('Tiananmen, Beijing');
    expect(card.text()).toContain('Latitude 39.9042, longitude 116.4074');
  });

  it('shows a link card and refuses a non-http URL', () => {
    const ok = render({
      type: 'link',
      text: 'Spring sale',
      payload: { Title: 'Spring sale', Description: '20% off', Url: 'https://shop.example/sale' },
    });
    const card = ok.get('[data-test="message-link"]');
    expect(card.text()).toContain('20% off');
    expect(card.get('a').attributes('href')).toBe('https://shop.example/sale');
    ok.unmount();
    const bad = render({ type: 'link', text: 'x', payload: { Title: 'x', Url: 'javascript:alert(1)' } });
    expect(bad.get('[data-test="message-link"]').find('a').exists()).toBe(false);
  });

  it('shows an image from the server’s stored copy when there is one, else from WeChat', () => {
    const stored = render({
      type: 'image',
      text: null,
      payload: { PicUrl: 'http://mmbiz.qpic.cn/x', mediaUrl: '/api/media/7' },
    });
    expect(stored.get('[data-test="message-image-link"]').attributes('href')).toBe(
      new URL('/api/media/7', location.href).href,
    );
    stored.unmount();
    const wechat = render({ type: 'image', text: null, payload: { PicUrl: 'http://mmbiz.qpic.cn/x' } });
    expect(wechat.get('[data-test="message-image-link"]').attributes('href')).toBe('http://mmbiz.qpic.cn/x');
    wechat.unmount();
    const none = render({ type: 'image', text: null, payload: { PicUrl: 'javascript:alert(1)' } });
    expect(none.find('[data-test="message-image-link"]').exists()).toBe(false);
    expect(none.get('[data-test="message-image"]').text()).toContain('not available');
  });

  it('shows a voice item with its format and an unknown type as a neutral line', () => {
    const voice = render({ type: 'voice', text: null, payload: { Format: 'amr', MediaId: 'm1' } });
    expect(voice.get('[data-test="message-voice"]').text()).toContain('Format: amr');
    voice.unmount();
    const unknown = render({ type: 'unknown', text: null, payload: { originalType: 'miniprogrampage' } });
    expect(unknown.get('[data-test="message-unknown"]').text()).toBe('Unsupported message type: miniprogrampage');
  });

  it('shows the delivery status of a reply, and the reason and a retry button when it failed', async () => {
    const failed = render({
      direction: 'out',
      status: 'failed',
      errorCode: '45015',
      errorReason: 'The customer has not written for over 48 hours',
    });
    expect(failed.get('[data-test="message-status"]').attributes('data-status')).toBe('failed');
    expect(failed.get('[data-test="message-failure"]').text()).toBe(
      'Not delivered: The customer has not written for over 48 hours',
    );
    await failed.get('[data-test="message-retry"]').trigger('click');
    expect(failed.emitted('retry')).toHaveLength(1);
    failed.unmount();
    const queued = render({ direction: 'out', status: 'queued' });
    expect(queued.get('[data-test="message-status"]').text()).toBe('Queued');
    expect(queued.find('[data-test="message-retry"]').exists()).toBe(false);
  });

  it('styles a private note apart', () => {
    const w = render({ direction: 'out', type: 'note', private: true, text: 'VIP customer' });
    expect(w.get('[data-test="message"]').classes()).toContain('message-item--note');
    expect(w.text()).toContain('Private note');
    expect(w.find('[data-test="message-status"]').exists()).toBe(false);
  });
});
