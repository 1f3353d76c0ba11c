import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import type { Conversation } from '@inbox/shared';
import { useConversationsStore } from '../../stores/conversations';
import { useLabelsStore } from '../../stores/labels';
import { useTeamsStore } from '../../stores/teams';
import { makeLabel, makeTeam } from '../../test/catalog-factories';
import { signInAs } from '../../test/dialog';
import { makeConversation } from '../../test/factories';
import { jsonResponse, mockFetch, sentBody } from '../../test/fetch';
import { createTestApp } from '../../test/mount';
import ConversationRouting from './ConversationRouting.vue';

const LABELS = [makeLabel('l-vip', 'VIP'), makeLabel('l-refund', 'Refund'), makeLabel('l-late', 'Late delivery')];
const TEAMS = [makeTeam('t-sales', 'Sales'), makeTeam('t-care', 'Care')];

/** The combobox named by its visible label (Element Plus gives the `id` to the select's input). */
function combobox(name: 'Labels' | 'Team'): HTMLInputElement {
  const label = Array.from(document.querySelectorAll('label')).find((l) => l.textContent?.trim() === name);
  const input = label && document.getElementById(label.htmlFor);
  if (!(input instanceof HTMLInputElement)) throw new Error(`no combobox labelled ${name}`);
  return input;
}

/** The options of a select, in the teleported listbox its combobox controls. */
function options(name: 'Labels' | 'Team'): HTMLElement[] {
  const listbox = document.getElementById(combobox(name).getAttribute('aria-controls') ?? '');
  if (!listbox) throw new Error(`no listbox for ${name}`);
  return Array.from(listbox.querySelectorAll<HTMLElement>('[role="option"]'));
}

/** Opens the select and clicks the option with this text, as an agent would. */
async function pick(name: 'Labels' | 'Team', text: string): Promise<void> {
  combobox(name).closest<HTMLElement>('.el-select__wrapper')?.click();
  await flushPromises();
  const option = options(name).find((o) => o.textContent?.trim() === text);
  if (!option) throw new Error(`no option ${text} in ${name}`);
  option.click();
  await flushPromises();
}

/** What the labels select shows as chosen (its tags). */
const chosenLabels = () =>
  Array.from(document.querySelectorAll('[data-test="conversation-labels"] .el-select__tags-text'), (e) =>
    e.textContent?.trim(),
  );

/** What the team select shows (its selected text, else its placeholder). */
const shownTeam = () =>
  document
    .querySelector('[data-test="conversation-team"] .el-select__selected-item:not(.el-select__input-wrapper)')
    ?.textContent?.trim();

const errorMessages = () => Array.from(document.querySelectorAll('.el-message'), (e) => e.textContent?.trim());

/** The server's copy after a save (newer than the one shown). */
const answer = (c: Conversation, changes: Partial<Conversation>, at = '2025-01-01T11:00:00.000Z'): Conversation => ({
  ...c,
  ...changes,
  updatedAt: at,
});

describe('ConversationRouting', () => {
  let wrapper: VueWrapper | undefined;

  /** Mounted as the customer panel does: the prop is the store's copy, so the server's answers reach it. */
  async function mountRouting(conversation: Conversation, catalog = { labels: LABELS, teams: TEAMS }) {
    const app = createTestApp();
    signInAs('agent', { accountIds: [conversation.accountId] });
    useLabelsStore().applyLabels(catalog.labels);
    useTeamsStore().applyTeams(catalog.teams);
    const store = useConversationsStore();
    store.applyConversation(conversation, { authoritative: true });
    const Host = defineComponent({
      setup: () => () => {
        const current = store.byId[conversation.id];
        return current ? h(ConversationRouting, { conversation: current }) : null;
      },
    });
    wrapper = mount(Host, { global: { plugins: app.plugins }, attachTo: document.body });
    await flushPromises();
    return store;
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  it('shows the conversation’s labels and team, and offers every label and team by name', async () => {
    await mountRouting(makeConversation({ id: 'c1', labelIds: ['l-vip', 'l-late'], teamId: 't-care' }));
    expect(chosenLabels()).toEqual(['VIP', 'Late delivery']);
    expect(shownTeam()).toBe('Care');
    expect(options('Labels').map((o) => o.textContent?.trim())).toEqual(['Late delivery', 'Refund', 'VIP']);
    expect(options('Team').map((o) => o.textContent?.trim())).toEqual(['No team', 'Care', 'Sales']);
    expect(combobox('Labels').getAttribute('aria-label')).toBe('Labels');
  });

  it('shows "No team" for a conversation routed to no team', async () => {
    await mountRouting(makeConversation({ id: 'c2', teamId: null }));
    expect(shownTeam()).toBe('No team');
    expect(
      options('Team')
        .find((o) => o.getAttribute('aria-selected') === 'true')
        ?.textContent?.trim(),
    ).toBe('No team');
  });

  it('says when no label exists yet', async () => {
    await mountRouting(makeConversation({ id: 'c3' }), { labels: [], teams: TEAMS });
    expect(combobox('Labels').closest('[data-test="conversation-labels"]')?.textContent).toContain(
      'No labels exist yet',
    );
  });

  it('sends the whole set of labels on each change and shows the server’s copy', async () => {
    const c = makeConversation({ id: 'c4', labelIds: ['l-vip'] });
    const fetchMock = mockFetch(
      jsonResponse(200, answer(c, { labelIds: ['l-vip', 'l-refund'] })),
      jsonResponse(200, answer(c, { labelIds: ['l-refund'] }, '2025-01-01T12:00:00.000Z')),
    );
    await mountRouting(c);

    await pick('Labels', 'Refund');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/conversations/c4/labels');
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe('PUT');
    expect(sentBody(fetchMock, 0)).toEqual({ labelIds: ['l-vip', 'l-refund'] });
    expect(chosenLabels()).toEqual(['VIP', 'Refund']);

    await pick('Labels', 'VIP'); // picking a chosen label again takes it off
    expect(sentBody(fetchMock, 1)).toEqual({ labelIds: ['l-refund'] });
    expect(chosenLabels()).toEqual(['Refund']);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(errorMessages()).toEqual([]);
  });

  it('routes to a team, and back to none with a null team', async () => {
    const c = makeConversation({ id: 'c5', teamId: null });
    const fetchMock = mockFetch(
      jsonResponse(200, answer(c, { teamId: 't-sales' })),
      jsonResponse(200, answer(c, { teamId: null }, '2025-01-01T12:00:00.000Z')),
    );
    await mountRouting(c);

    await pick('Team', 'Sales');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/conversations/c5/team');
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe('PUT');
    expect(sentBody(fetchMock, 0)).toEqual({ teamId: 't-sales' });
    expect(shownTeam()).toBe('Sales');

    await pick('Team', 'No team');
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/conversations/c5/team');
    expect(sentBody(fetchMock, 1)).toEqual({ teamId: null });
    expect(shownTeam()).toBe('No team');
  });

  it('shows a refused change translated and goes back to what the conversation has', async () => {
    const c = makeConversation({ id: 'c6', labelIds: ['l-vip'], teamId: 't-care' });
    mockFetch(
      jsonResponse(400, {
        statusCode: 400,
        code: 'validation/failed',
        message: 'No such labels: l-refund',
        fields: { labelIds: ['l-refund is not a label'] },
      }),
      jsonResponse(403, { statusCode: 403, code: 'auth/forbidden', message: 'forbidden' }),
    );
    await mountRouting(c);

    await pick('Labels', 'Refund');
    expect(errorMessages()).toEqual(['Some fields are not valid. Please check them and try again.']);
    expect(chosenLabels()).toEqual(['VIP']);

    await pick('Team', 'Sales');
    expect(errorMessages().at(-1)).toBe('You do not have permission to do this.');
    expect(shownTeam()).toBe('Care');
  });

  it('saves quick changes in turn and keeps showing the agent’s last choice meanwhile', async () => {
    const c = makeConversation({ id: 'c7', teamId: null });
    const answers: ((r: Response) => void)[] = [];
    const fetchMock = mockFetch();
    fetchMock.mockImplementation(() => new Promise<Response>((resolve) => answers.push(resolve)));
    await mountRouting(c);

    await pick('Team', 'Sales');
    await pick('Team', 'Care');
    expect(fetchMock).toHaveBeenCalledTimes(1); // the second waits for the first answer
    expect(shownTeam()).toBe('Care');

    answers[0]?.(jsonResponse(200, answer(c, { teamId: 't-sales' })));
    await flushPromises();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(sentBody(fetchMock, 1)).toEqual({ teamId: 't-care' });
    expect(shownTeam()).toBe('Care'); // not the server's copy in between

    answers[1]?.(jsonResponse(200, answer(c, { teamId: 't-care' }, '2025-01-01T12:00:00.000Z')));
    await flushPromises();
    expect(shownTeam()).toBe('Care');
    expect(useConversationsStore().byId.c7?.teamId).toBe('t-care');
  });

  it('follows a change made elsewhere while nothing is being saved', async () => {
    const c = makeConversation({ id: 'c8', labelIds: [], teamId: null });
    const store = await mountRouting(c);
    store.applyConversation(answer(c, { labelIds: ['l-refund'], teamId: 't-sales' }));
    await flushPromises();
    expect(chosenLabels()).toEqual(['Refund']);
    expect(shownTeam()).toBe('Sales');
  });
});
