import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DashboardOverview } from '#contract/analytics.ts';
import {
  launchChromium,
  parsePersonas,
  seriousViolations,
  signIn,
  type DemoPersonas,
} from '../../lib/local/console-browser.ts';
import { freePort } from '../../lib/local/processes.ts';
import { runAdmin } from './support/admin-cli.ts';
import { caller, startClocked, type ClockedRuntime } from './support/clocked-runtime.ts';

/**
 * The manager's dashboard on a closed month, in Chromium: the demo organisation is written while
 * February and March 2031 are open (`npm start -- --clock` on 2 March, `seed-demo --previous-month`),
 * then the same data is read after March closed (the runtime started again on 5 April), as a person
 * would do it locally. The page must show exactly the numbers the API published — with the trend
 * against February and the chart — and, for the department below the threshold, the privacy sentence
 * and no number at all, nor any number the API did not publish from which a withheld one follows.
 */
// Two runtime starts (each bounded at 150 s by startClocked, a few seconds now that they run on the
// run's emulators), the seeding and the stop's stream drain (bounded at 60 s): about 30 s on two cores
// running other suites too, over 170 s when the machine ran three other suites.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 360_000 });

/** Both February and March are open (February closes on 3 March at 01:00). */
const WRITING = '2031-03-02T12:00:00Z';
/** March closed on 3 April at 01:00; April is open. */
const READING = '2031-04-05T09:00:00Z';
const K = 5;

let runtime: ClockedRuntime | undefined;
let browser: Browser | undefined;
let dataDir: string;
let consoleUrl: string;
let personas: DemoPersonas;
const { call } = caller(() => runtime!);

type Department = DashboardOverview['departments'][number];
type Visible = Extract<Department, { suppressed: false }>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mha-console-dashboard-'));
  const ports = {
    port: await freePort(),
    consolePort: await freePort(),
  };
  consoleUrl = `http://localhost:${ports.consolePort}`;
  const launching = launchChromium();
  const started = performance.now();
  const phases: string[] = [];
  const phase = (name: string) => phases.push(`${name} ${Math.round(performance.now() - started)} ms`);
  runtime = await startClocked(WRITING, dataDir, ports);
  phase('up on 2 March');
  const seeded = await runAdmin(['seed-demo', '--personas', '--previous-month'], runtime.stateFile);
  if (seeded.code !== 0) throw new Error(`seed-demo failed: ${seeded.stdout}\n${seeded.stderr}`);
  personas = parsePersonas(seeded.stdout);
  phase('seeded');
  // Stopping drains the stream: every rollup is written while both months are open.
  await runtime.stop();
  phase('stopped');
  runtime = await startClocked(READING, dataDir, ports);
  phase('up on 5 April');
  browser = await launching;
  console.log(`[console-dashboard] ${phases.join(', ')}`);
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

/** The overview as the API answers the manager (no period: its latest closed month). */
const overviewFor = async (email: string, period?: string) => {
  const login = await call<{ accessToken: string }>('/auth/login', {
    method: 'POST',
    body: { email, password: personas.password },
  });
  expect(login.status, login.text).toBe(200);
  const response = await call<DashboardOverview>(
    `/analytics/dashboard/overview${period ? `?period=${period}` : ''}`,
    { token: login.json.accessToken },
  );
  expect(response.status, response.text).toBe(200);
  return response.json;
};

/**
 * How the page writes a published number, and a change exactly as the API published it (`trend` is this
 * month minus the previous one, computed by the API): never a number of the page's own making.
 */
const shown = (value: number | null, digits = 0) =>
  value === null ? 'hidden to protect privacy' : value.toFixed(digits);
const change = (delta: number | null | undefined, digits = 0, unit = '') => {
  if (delta === null || delta === undefined) return 'no comparison';
  const size = Math.abs(delta).toFixed(digits);
  if (Number(size) === 0) return 'unchanged';
  return `${delta > 0 ? 'up' : 'down'} ${size}${unit}`;
};
const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Every row of a visible department as the page must show it: measure, this month, the change. */
const expectedRows = (cell: Visible): string[][] => {
  const share = cell.sentiment.shares.negative;
  const shareChange = cell.trend?.negativeSentimentShare;
  return [
    ['People taking part', shown(cell.contributors), change(cell.trend?.contributors)],
    [
      'Negative sentiment',
      share === null ? shown(null) : percent(share),
      change(typeof shareChange === 'number' ? shareChange * 100 : shareChange, 1, ' points'),
    ],
    ...Object.entries(cell.instruments).map(([id, instrument]) => [
      id,
      shown(instrument.meanScore, 1),
      change(cell.trend?.meanScores[id], 1),
    ]),
  ];
};

const rowsOf = async (page: Page, name: string) =>
  page
    .locator('article.department', { has: page.getByRole('heading', { level: 2, name }) })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')),
    );

describe('the manager’s dashboard on a closed month, in Chromium', () => {
  it('shows exactly the published numbers, the trend against the previous month and the chart; the small department reads the privacy sentence and nothing of it can be worked out', async () => {
    const api = await overviewFor(personas.emails.manager);
    expect(api.period).toBe('2031-03');
    const visible = api.departments.filter((cell): cell is Visible => !cell.suppressed);
    const suppressed = api.departments.filter((cell) => cell.suppressed);
    // The demo at k = 5: Legal (3 people) hidden, and whatever else the API withholds beside it; the
    // rest published, with a February trend. A hidden cell carries nothing but its name.
    expect(suppressed.map((cell) => cell.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Legal \(demo/)]),
    );
    for (const cell of suppressed)
      expect(Object.keys(cell).sort()).toEqual(['departmentId', 'name', 'suppressed']);
    expect(visible.length).toBeGreaterThanOrEqual(2);
    expect(visible.some((cell) => cell.contributors !== null && cell.trend?.contributors !== null)).toBe(
      true,
    );

    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await signIn(page, consoleUrl, personas.emails.manager, personas.password);
    expect(new URL(page.url()).pathname).toBe('/manager/dashboard');
    await page.locator('article.department').first().waitFor();

    // The month picker: March (the latest closed) chosen, nothing open or in the future offered.
    const picker = page.getByLabel('Month');
    expect(await picker.inputValue()).toBe('2031-03');
    const offered = await picker
      .locator('option')
      .evaluateAll((options) => options.map((option) => option.getAttribute('value') ?? ''));
    expect(offered[0]).toBe('2031-03');
    expect(offered).toHaveLength(12);
    expect(offered.filter((month) => month >= '2031-04')).toEqual([]);

    const names: Record<string, string> = {
      phq9: 'PHQ-9 mean',
      gad7: 'GAD-7 mean',
      who5: 'WHO-5 mean',
      pss10: 'PSS-10 mean',
      cbi: 'Burnout (CBI) mean',
    };
    for (const cell of visible) {
      const rows = await rowsOf(page, cell.name);
      expect(rows, cell.name).toEqual(
        expectedRows(cell).map(([measure, ...values]) => [names[measure!] ?? measure, ...values]),
      );
    }
    // The chart: one bar per department whose negative share was published, with that share.
    const chart = page.getByTestId('sentiment-chart');
    const bars = await chart
      .locator('.bar')
      .evaluateAll((elements) =>
        elements.map((bar) => [
          bar.querySelector('.bar-label')?.textContent ?? '',
          bar.querySelector('.bar-value')?.textContent ?? '',
        ]),
      );
    const charted = visible.flatMap((cell) =>
      cell.sentiment.shares.negative === null ? [] : [[cell.name, percent(cell.sentiment.shares.negative)]],
    );
    expect(charted.length).toBeGreaterThan(0);
    expect(bars).toEqual(charted);
    // Something moved since February, and the page says by how much (the API's trend).
    expect(await page.locator('.change-up, .change-down, .change-unchanged').count()).toBeGreaterThan(0);

    // The hidden department: its name and the sentence, nothing else.
    const hidden = page.locator('article.department.suppressed');
    expect(await hidden.count()).toBe(suppressed.length);
    expect(await hidden.getByTestId('suppressed').allTextContents()).toEqual(
      suppressed.map(() => `Fewer than ${K} people — hidden to protect privacy.`),
    );
    expect(await hidden.locator('table, .bar, .change').count()).toBe(0);
    // Why a department is hidden, said once for all and never per department (a department hidden only
    // to protect a smaller one would otherwise be told apart from a small one).
    expect(await page.getByTestId('why-hidden').textContent()).toMatch(
      /^A department is hidden when fewer than 5 people took part in it, and also when/,
    );

    // No number on the page that the API did not publish: every figure in the cards and the chart
    // (department names aside) is a published value as written, a published change, or k. So no total,
    // share, previous value or sum from which a withheld number would follow.
    const published = new Set<string>([String(K)]);
    for (const cell of visible)
      for (const [, now, delta] of expectedRows(cell))
        for (const text of [now!, delta!])
          for (const figure of text.match(/\d+(?:\.\d+)?/g) ?? []) published.add(figure);
    // Text node by text node (cells side by side must not run together into one figure).
    const cardsText = await page.evaluate<string>(`(() => {
      const copy = document.querySelector('.departments').cloneNode(true);
      for (const label of copy.querySelectorAll('h2, caption, th, .bar-label')) label.remove();
      const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
      const parts = [];
      while (walker.nextNode()) parts.push(walker.currentNode.textContent);
      return parts.join(' ');
    })()`);
    const figures: string[] = cardsText.match(/\d+(?:\.\d+)?/g) ?? [];
    expect(figures.length).toBeGreaterThan(0);
    expect(figures.filter((figure) => !published.has(figure))).toEqual([]);
    // Legal has 3 people: the page's whole text never says so, in any words.
    const pageText = (await page.locator('main').textContent()) ?? '';
    expect(pageText).not.toMatch(/\b3 (people|contributors)\b/);

    expect(await seriousViolations(page)).toEqual([]);
    // On a phone: no page wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth')).toBe(
      false,
    );

    // February, picked: its own numbers, as the API answers them for that month.
    await page.setViewportSize({ width: 1280, height: 900 });
    const february = await overviewFor(personas.emails.manager, '2031-02');
    const answered = page.waitForResponse((response) => response.url().includes('period=2031-02'));
    await picker.selectOption('2031-02');
    await answered;
    const engineering = february.departments.find(
      (cell): cell is Visible => !cell.suppressed && cell.name.startsWith('Engineering'),
    )!;
    await expect
      .poll(() => rowsOf(page, engineering.name).then((rows) => rows[0]))
      .toEqual(['People taking part', ...expectedRows(engineering)[0]!.slice(1)]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('seed-demo --previous-month refuses once that month has closed (it would only write revisions)', async () => {
    const refused = await runAdmin(['seed-demo', '--previous-month'], runtime!.stateFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--previous-month: 2031-03 closed at 2031-04-03T01:00:00.000Z');
    expect(refused.stderr).toContain('npm start -- --clock 2031-04-02T00:00:00.000Z');
  });
});
