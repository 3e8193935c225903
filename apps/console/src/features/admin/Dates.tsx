import dayjs from 'dayjs';

/** A date-time in the reader's zone and language, or a dash. */
export function When({ value }: { value: string | null | undefined }) {
  if (!value) return <span>—</span>;
  return <time dateTime={value}>{dayjs(value).format('YYYY-MM-DD HH:mm')}</time>;
}
