import { useEffect, useState } from 'react';

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export type RelativeTime =
  | { kind: 'unknown' }
  | { kind: 'now' }
  | { kind: 'relative'; value: number; unit: Intl.RelativeTimeFormatUnit };

/** How far `iso` is from `now`, in the unit people would say ("3 minutes ago", "yesterday"). */
export function relativeTime(iso: string, now: number): RelativeTime {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return { kind: 'unknown' };
  // Clock skew between server and browser can make a fresh connection look a little in the future.
  if (Math.abs(seconds) < 45) return { kind: 'now' };
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size)
      return { kind: 'relative', value: Math.round(seconds / size), unit };
  }
  return { kind: 'relative', value: Math.round(seconds / 60), unit: 'minute' };
}

/** A relative time in words of the formatter's locale ("vor 3 Minuten", "ayer"). */
export function formatRelative(
  time: Extract<RelativeTime, { kind: 'relative' }>,
  format: Intl.RelativeTimeFormat,
): string {
  return format.format(time.value, time.unit);
}

export function formatExact(iso: string, format: Intl.DateTimeFormat): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : format.format(date);
}

/** The current time, refreshed every `intervalMs`, so "3 minutes ago" does not go stale. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
