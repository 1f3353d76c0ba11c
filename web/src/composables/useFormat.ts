import { useI18n } from 'vue-i18n';

const MINUTE = 60000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Durations and times in the console's language. */
export function useFormat() {
  const { t, locale } = useI18n();

  /** "12 min", "47 h 5 min", "4 d 2 h" (rounded down; hours up to 3 days, so the 48 h window reads in hours). */
  function duration(ms: number): string {
    const total = Math.max(0, ms);
    if (total < MINUTE) return t('time.justNow');
    if (total < HOUR) return t('time.minutes', { n: Math.floor(total / MINUTE) });
    if (total < 3 * DAY)
      return t('time.hours', { h: Math.floor(total / HOUR), m: Math.floor((total % HOUR) / MINUTE) });
    return t('time.days', { d: Math.floor(total / DAY), h: Math.floor((total % DAY) / HOUR) });
  }

  /** A message time: the clock today, with the date otherwise. */
  function time(iso: string, now = Date.now()): string {
    const date = new Date(iso);
    const sameDay = new Date(now).toDateString() === date.toDateString();
    return new Intl.DateTimeFormat(locale.value, {
      ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
      hour: '2-digit',
      minute: '2-digit',
    }).format(date);
  }

  function dateTime(iso: string): string {
    return new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }

  return { duration, time, dateTime };
}
