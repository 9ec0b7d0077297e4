/**
 * The months the dashboard may be asked for. The API alone knows which month closed last: that depends
 * on its clock (`npm start -- --clock` moves it) and on the stage's back-dating window, so the console
 * asks it (the overview without a period answers the latest closed month) and offers that month and the
 * eleven before it — never the open month, nor one after it. Pure, for the unit tests.
 */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const pickableMonths = (latestClosed: string, count = 12): string[] => {
  const match = MONTH.exec(latestClosed);
  if (!match) return [];
  const year = Number(match[1]);
  const monthIndex = Number(match[2]) - 1;
  return Array.from({ length: count }, (_, back) =>
    new Date(Date.UTC(year, monthIndex - back, 1)).toISOString().slice(0, 7),
  );
};

/** "March 2031" for `2031-03`, in the reader's language. */
export const monthName = (period: string): string =>
  new Date(`${period}-01T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
