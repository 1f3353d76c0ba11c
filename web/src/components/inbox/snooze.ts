export type SnoozePreset = '1h' | '4h' | 'tomorrow' | 'monday';

/** The moment a preset snooze ends, in the agent's local time. */
export function snoozeUntil(choice: SnoozePreset, from = new Date()): Date {
  const d = new Date(from);
  switch (choice) {
    case '1h':
      return new Date(d.getTime() + 3600_000);
    case '4h':
      return new Date(d.getTime() + 4 * 3600_000);
    case 'tomorrow':
      d.setDate(d.getDate() + 1);
      d.setHours(9, 0, 0, 0);
      return d;
    case 'monday':
      d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
      d.setHours(9, 0, 0, 0);
      return d;
  }
}

export function isSnoozePreset(value: unknown): value is SnoozePreset {
  return value === '1h' || value === '4h' || value === 'tomorrow' || value === 'monday';
}
