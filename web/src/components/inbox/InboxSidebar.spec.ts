import { afterEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { signInAs } from '../../test/dialog';
import { createTestApp } from '../../test/mount';
import InboxSidebar from './InboxSidebar.vue';
import type { InboxViewKey, SidebarAccount, SidebarFilter } from './inbox-views';

const ACC_A = '11111111-1111-4111-8111-111111111111';
const ACC_B = '22222222-2222-4222-8222-222222222222';

type Props = {
  active: InboxViewKey;
  counts?: Partial<Record<InboxViewKey, number>>;
  unread?: Partial<Record<InboxViewKey, number>>;
  accounts?: SidebarAccount[];
  teams?: SidebarFilter[];
  labels?: SidebarFilter[];
  activeTeam?: string;
  activeLabel?: string;
};

/** A figure next to a view: what is shown, and what a screen reader says for it. */
const figure = (el: { text(): string; attributes(name: string): string | undefined }) => [
  el.text(),
  el.attributes('aria-label'),
];

describe('InboxSidebar', () => {
  let wrapper: VueWrapper | undefined;

  function mountSidebar(props: Props) {
    const app = createTestApp();
    signInAs('agent'); // else the router's guard asks the server for the session
    wrapper = mount(InboxSidebar, { props, global: { plugins: app.plugins } });
    return wrapper;
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  it('shows the server’s counts per view and per status, spoken as open or conversations', () => {
    const w = mountSidebar({
      active: 'mine',
      counts: { mine: 3, unassigned: 0, all: 1200, 'status:open': 41, 'status:pending': 2 },
    });
    expect(w.get('nav').attributes('aria-label')).toBe('Inbox views');
    expect(figure(w.get('[data-test="view-mine"] [data-test="view-count"]'))).toEqual(['3', '3 open']);
    expect(figure(w.get('[data-test="view-unassigned"] [data-test="view-count"]'))).toEqual(['0', '0 open']);
    expect(figure(w.get('[data-test="view-all"] [data-test="view-count"]'))).toEqual(['999+', '1200 open']);
    expect(figure(w.get('[data-test="view-status-open"] .inbox-sidebar__open'))).toEqual(['41', '41 conversations']);
    expect(figure(w.get('[data-test="view-status-pending"] .inbox-sidebar__open'))).toEqual(['2', '2 conversations']);
    // No figure where the server gave none (not a misleading 0).
    expect(w.find('[data-test="view-status-resolved"] .inbox-sidebar__open').exists()).toBe(false);
  });

  it('shows no counts before the server answered', () => {
    const w = mountSidebar({ active: 'mine' });
    expect(w.findAll('.inbox-sidebar__open')).toHaveLength(0);
    expect(w.findAll('[data-test="view-unread"]')).toHaveLength(0);
    expect(w.get('[data-test="view-mine"]').text()).toBe('Mine');
  });

  it('shows an unread badge only on views with unread messages', () => {
    const w = mountSidebar({ active: 'mine', unread: { mine: 2, unassigned: 0, all: 1500 } });
    expect(figure(w.get('[data-test="view-mine"] [data-test="view-unread"]'))).toEqual(['2', '2 unread']);
    expect(w.find('[data-test="view-unassigned"] [data-test="view-unread"]').exists()).toBe(false);
    expect(figure(w.get('[data-test="view-all"] [data-test="view-unread"]'))).toEqual(['999+', '1500 unread']);
  });

  it('marks only the active view as the current page and emits the view clicked', async () => {
    const w = mountSidebar({
      active: 'status:pending',
      accounts: [{ id: ACC_A, name: 'Tea House', unread: 0 }],
    });
    expect(w.findAll('[aria-current="page"]').map((b) => b.attributes('data-test'))).toEqual(['view-status-pending']);
    expect(w.get('[data-test="view-status-pending"]').classes()).toContain('is-active');

    await w.get('[data-test="view-unassigned"]').trigger('click');
    await w.get(`[data-test="view-account-${ACC_A}"]`).trigger('click');
    await w.get('[data-test="view-status-resolved"]').trigger('click');
    expect(w.emitted('select')).toEqual([['unassigned'], [`account:${ACC_A}`], ['status:resolved']]);

    await w.setProps({ active: `account:${ACC_A}` });
    expect(w.findAll('[aria-current="page"]').map((b) => b.attributes('data-test'))).toEqual([`view-account-${ACC_A}`]);
  });

  it('lists each account with its open and unread figures', () => {
    const w = mountSidebar({
      active: 'all',
      accounts: [
        { id: ACC_A, name: 'Tea House', unread: 4, open: 7 },
        { id: ACC_B, name: 'Bike Shop', unread: 0 },
      ],
    });
    const a = w.get(`[data-test="view-account-${ACC_A}"]`);
    expect(a.get('[data-test="account-badge"]').text()).toBe('Tea House');
    expect(figure(a.get('[data-test="account-open"]'))).toEqual(['7', '7 open']);
    expect(figure(a.get('[data-test="account-unread"]'))).toEqual(['4', '4 unread']);
    const b = w.get(`[data-test="view-account-${ACC_B}"]`);
    expect(b.get('[data-test="account-badge"]').text()).toBe('Bike Shop');
    expect(b.find('[data-test="account-open"]').exists()).toBe(false); // not counted yet
    expect(b.find('[data-test="account-unread"]').exists()).toBe(false);
  });

  it('toggles the team filter: a team sets it, the active team clears it', async () => {
    const w = mountSidebar({
      active: 'all',
      teams: [
        { id: 't-sales', name: 'Sales', open: 5 },
        { id: 't-care', name: 'Care' },
      ],
      activeTeam: 't-care',
    });
    const team = (id: string) => w.get(`[data-test="sidebar-team"][data-id="${id}"]`);
    expect(team('t-sales').text()).toBe('Sales5');
    expect(team('t-sales').get('.inbox-sidebar__open').attributes('aria-label')).toBe('5 open');
    expect(team('t-care').find('.inbox-sidebar__open').exists()).toBe(false);
    expect(team('t-sales').attributes('aria-pressed')).toBe('false');
    expect(team('t-care').attributes('aria-pressed')).toBe('true');

    await team('t-sales').trigger('click');
    await team('t-care').trigger('click');
    expect(w.emitted('team')).toEqual([['t-sales'], ['']]);
    expect(w.emitted('select')).toBeUndefined(); // a filter, not a view
    expect(w.emitted('label')).toBeUndefined();
  });

  it('toggles the label filter, each label with its colour', async () => {
    const w = mountSidebar({
      active: 'all',
      labels: [
        { id: 'l-vip', name: 'VIP', color: '#e6a23c', open: 2 },
        { id: 'l-odd', name: 'Odd', color: 'red;background:url(x)' },
      ],
      activeLabel: 'l-vip',
    });
    const label = (id: string) => w.get(`[data-test="sidebar-label"][data-id="${id}"]`);
    expect(label('l-vip').attributes('aria-pressed')).toBe('true');
    expect(label('l-odd').attributes('aria-pressed')).toBe('false');
    expect(label('l-vip').get('.inbox-sidebar__open').attributes('aria-label')).toBe('2 open');
    expect(label('l-vip').get('.inbox-sidebar__swatch').attributes('style')).toContain('#e6a23c');
    expect(label('l-odd').get('.inbox-sidebar__swatch').attributes('style')).toContain('#909399'); // not trusted as CSS

    await label('l-odd').trigger('click');
    await label('l-vip').trigger('click');
    expect(w.emitted('label')).toEqual([['l-odd'], ['']]);
    expect(w.emitted('team')).toBeUndefined();
  });

  it('leaves out the account, team and label sections when there are none', () => {
    const w = mountSidebar({ active: 'mine' });
    expect(w.findAll('h2').map((h) => h.text())).toEqual(['Views', 'Status']);
    expect(w.find('[data-test="account-views"]').exists()).toBe(false);
    expect(w.find('[data-test="team-filters"]').exists()).toBe(false);
    expect(w.find('[data-test="label-filters"]').exists()).toBe(false);
  });
});
