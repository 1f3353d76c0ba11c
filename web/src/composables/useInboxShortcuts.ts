import { onBeforeUnmount, onMounted } from 'vue';

export interface InboxShortcutHandlers {
  next: () => void;
  previous: () => void;
  reply: () => void;
  resolve: () => void;
  search: () => void;
  help: () => void;
}

/** True when the key press belongs to a text field (or an open dialog), not to the shortcuts. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('[role="dialog"]')) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** The inbox's single-key shortcuts: j/k move, r reply, e resolve, / search, ? help. */
export function useInboxShortcuts(handlers: InboxShortcutHandlers): void {
  function onKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typingIn(event.target)) return;
    const action: (() => void) | undefined = {
      j: handlers.next,
      k: handlers.previous,
      r: handlers.reply,
      e: handlers.resolve,
      '/': handlers.search,
      '?': handlers.help,
    }[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }
  onMounted(() => window.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
}
