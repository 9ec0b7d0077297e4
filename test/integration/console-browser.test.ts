import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  launchChromium,
  parsePersonas,
  seriousViolations,
  signIn,
  type AxeViolation,
  type DemoPersonas,
} from '../../lib/local/console-browser.ts';
import { login, registerAccount } from './support/accounts.ts';
import { runAdmin } from './support/admin-cli.ts';
import { totpCode } from './support/totp.ts';

/**
 * The web console in real Chromium against the local runtime, one persona after the other, each
 * signing in through the managed-login stand-in (authorization code + PKCE) as a person would: the
 * demo organisation's employee, clinician, manager, admin and auditor, each doing their main flow.
 * Every page visited is checked with axe-core (no serious or critical violation), no page may log a
 * script error or a CSP violation, and user-supplied text must come back as text.
 */
let browser: Browser;
let personas: DemoPersonas;
/** The employee persona's user id: their alert is found by the link to their trends. */
let employeeId: string;
const consoleUrl = () => inject('consoleUrl');
/** Every page checked with axe, and what it found (serious and critical only). */
const axeReport = new Map<string, AxeViolation[]>();
const pageProblems: string[] = [];
/** Every page state also checked at 360 px. */
const narrowChecked = new Set<string>();
const PHONE = { width: 360, height: 740 };

const openAs = async (
  email: string,
  password: string,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`${page.url()}: ${message.text()}`);
  });
  await signIn(page, consoleUrl(), email, password);
  return { context, page };
};

/** Whether the page is wider than the window (a horizontal scroll bar). */
const tooWide = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');

/**
 * Checks the page as it stands with axe-core and records the result under its path; then, on a 360 px
 * phone screen, that it is no wider than the screen (every page visited, at both sizes).
 */
const checkAccessibility = async (page: Page, label = new URL(page.url()).pathname) => {
  const violations = await seriousViolations(page);
  axeReport.set(label, violations);
  expect(violations, `axe on ${label}`).toEqual([]);
  const desktop = page.viewportSize();
  if (desktop && desktop.width > PHONE.width) {
    await page.setViewportSize(PHONE);
    expect(await tooWide(page), `${label} at 360 px`).toBe(false);
    await page.setViewportSize(desktop);
  } else {
    expect(await tooWide(page), `${label} at 360 px`).toBe(false);
  }
  narrowChecked.add(label);
};

const goTo = async (page: Page, linkName: string, heading: string) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: linkName }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
};

/** The nth option of every question of the questionnaire on the page (a map of exceptions by item). */
const answerAll = async (page: Page, choose: (index: number) => number) => {
  const items = page.locator('fieldset.item');
  const count = await items.count();
  for (let index = 0; index < count; index++) {
    await items.nth(index).getByRole('radio').nth(choose(index)).check();
  }
};

beforeAll(async () => {
  const [launched, seeded] = await Promise.all([launchChromium(), runAdmin(['seed-demo', '--personas'])]);
  browser = launched;
  if (seeded.code !== 0) throw new Error(`seed-demo failed: ${seeded.stdout}\n${seeded.stderr}`);
  personas = parsePersonas(seeded.stdout);
  const signedIn = await login(personas.emails.employee, personas.password);
  const me = await fetch(`${inject('apiUrl')}/auth/me`, {
    headers: { Authorization: `Bearer ${(signedIn.json as { accessToken: string }).accessToken}` },
  });
  employeeId = ((await me.json()) as { id: string }).id;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (axeReport.size > 0) {
    const serious = [...axeReport.values()].reduce((sum, found) => sum + found.length, 0);
    console.log(
      `[console] axe-core on ${axeReport.size} page states: ${serious} serious or critical violations; ${narrowChecked.size} checked at 360 px`,
    );
  }
});

describe('the console in Chromium, persona by persona', () => {
  it('employee: consent naming a clinician, a check-in that raises the crisis resources, trends, EmoBuddy, access log, export', async () => {
    const { context, page } = await openAs(personas.emails.employee, personas.password);
    expect(new URL(page.url()).pathname).toBe('/check-in');
    await checkAccessibility(page);

    // Consents: clinician access for the demo clinician, by name from the directory.
    await goTo(page, 'Consents', 'Consents');
    await page.getByLabel('Allow clinicians to see my results').check();
    await page.getByRole('checkbox', { name: /Demo Clinician/ }).check();
    await checkAccessibility(page);
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await page.getByText('Saved. The change applies from the next request.').waitFor();

    // Check-in: PHQ-9 with item 9 answered "several days": score, band and the crisis resources at once.
    await goTo(page, 'Check-in', 'Check-in');
    await page.getByLabel('Questionnaire').selectOption('phq9');
    await answerAll(page, (index) => (index === 8 ? 1 : index < 9 ? 2 : 0));
    await checkAccessibility(page, '/check-in (PHQ-9 form)');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    const crisis = page.getByRole('alert').filter({ hasText: 'Help is available now' });
    await crisis.waitFor();
    await expect
      .poll(() => page.evaluate<string | undefined>('document.activeElement?.className'))
      .toBe('crisis');
    expect(await page.getByTestId('score').textContent()).toMatch(/^17 \(range 0–27\)$/);
    expect(await page.getByTestId('band').textContent()).toBe('moderately severe');
    expect(await crisis.getByRole('link', { name: '116 123' }).getAttribute('href')).toBe('tel:116123');
    await checkAccessibility(page, '/check-in (result with crisis resources)');

    // Trends: the seeded 90 days give a risk level with its factors and a chart per questionnaire.
    await goTo(page, 'My trends', 'My trends');
    await page.getByTestId('risk-level').waitFor();
    await page.getByRole('heading', { name: 'What this number can and cannot tell' }).waitFor();
    await expect.poll(() => page.locator('.chart-canvas canvas').count()).toBeGreaterThanOrEqual(4);
    await checkAccessibility(page);

    // EmoBuddy: a session and a message whose markup stays text.
    await goTo(page, 'EmoBuddy', 'EmoBuddy');
    await page.getByRole('button', { name: 'Start a new session' }).click();
    const hostile = '<img src=x onerror="document.body.dataset.owned=1">I feel <b>tired</b>';
    await page.getByLabel('Your message').fill(hostile);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.message-user .text', { hasText: hostile }).waitFor();
    expect(await page.locator('.messages img, .messages b').count()).toBe(0);
    expect(await page.evaluate<string | undefined>('document.body.dataset.owned')).toBeUndefined();
    await checkAccessibility(page);

    await goTo(page, 'Access log', 'My access log');
    await page.locator('tbody tr').first().waitFor();
    await checkAccessibility(page);

    await goTo(page, 'My data', 'My data');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await streamText(await download.createReadStream())) as {
      parts: Array<{ format: string; records: Record<string, unknown[]> }>;
    };
    expect(exported.parts[0]?.format).toBe('mha-export/1');
    await checkAccessibility(page);
    await context.close();
  }, 120_000);

  it('clinician: the alert from the check-in, acknowledged and resolved with notes; the person’s trends', async () => {
    const { context, page } = await openAs(personas.emails.clinician, personas.password);
    expect(new URL(page.url()).pathname).toBe('/clinician/alerts');
    // Other tests' alerts may be in the inbox too: this one is the employee persona's.
    const ofEmployee = () =>
      page
        .locator('.alert-item', { has: page.locator(`a[href="/clinician/people/${employeeId}"]`) })
        .filter({ hasText: 'Thoughts of self-harm reported' });
    const alert = ofEmployee();
    await findInPages(page, alert);
    await checkAccessibility(page);
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Acknowledged' }).click();
    const acknowledged = ofEmployee();
    await findInPages(page, acknowledged);
    await acknowledged.getByText('Acknowledged', { exact: true }).waitFor();
    await acknowledged.getByLabel(/Note/).fill('Called & agreed a follow-up <b>today</b>');
    await acknowledged.getByRole('button', { name: 'Resolve' }).click();
    await acknowledged.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Resolved' }).click();
    const resolved = ofEmployee().filter({ hasText: 'Called & agreed a follow-up <b>today</b>' });
    await findInPages(page, resolved);
    expect(await resolved.locator('.note b').count()).toBe(0);
    await checkAccessibility(page, '/clinician/alerts (resolved)');

    await resolved.getByRole('link', { name: 'Open their trends' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trends of a person in your care' }).waitFor();
    await page.getByTestId('risk-level').waitFor();
    await checkAccessibility(page, '/clinician/people/:id');
    await goTo(page, 'People in my care', 'People in my care');
    await checkAccessibility(page);
    await context.close();
  }, 90_000);

  it('manager: the dashboard of a closed month shows the privacy wording for hidden cells and no withheld number', async () => {
    const { context, page } = await openAs(personas.emails.manager, personas.password);
    expect(new URL(page.url()).pathname).toBe('/manager/dashboard');
    // Nothing of the demo is in a closed month yet: every department is hidden, with the words for it.
    const hidden = page.getByTestId('suppressed');
    await hidden.first().waitFor();
    expect(await page.locator('article.department h2').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Engineering \(demo/),
        expect.stringMatching(/^Legal \(demo/),
      ]),
    );
    for (const text of await hidden.allTextContents())
      expect(text).toBe('Fewer than 5 people — hidden to protect privacy.');
    // A hidden department shows its name and the sentence, nothing else: no table, no number.
    expect(
      await page.locator('article.department.suppressed table, article.department.suppressed .bar').count(),
    ).toBe(0);
    await checkAccessibility(page);
    await context.close();
  }, 60_000);

  it('admin: users by search and department, a role granted, a department whose name stays text, the audit search', async () => {
    const { context, page } = await openAs(personas.emails.admin, personas.password);
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    await page.getByLabel('Search by name or e-mail').fill('Demo Employee');
    const row = page.locator('tbody tr', { hasText: personas.emails.employee });
    await row.waitFor();
    await checkAccessibility(page);
    await row.getByRole('checkbox', { name: 'manager' }).check();
    await row.getByRole('button', { name: /Save roles of/ }).click();
    await page
      .locator('tbody tr', { hasText: personas.emails.employee })
      .getByText('employee, manager')
      .waitFor();

    await goTo(page, 'Departments', 'Departments');
    const name = `<script>document.body.dataset.owned=1</script> Ops ${Date.now()}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText(`Created ${name}.`).waitFor();
    await page.getByRole('textbox', { name: `Name of ${name}` }).waitFor();
    expect(await page.evaluate<string | undefined>('document.body.dataset.owned')).toBeUndefined();
    await checkAccessibility(page);

    await goTo(page, 'Audit', 'Audit search');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('tbody tr').first().waitFor();
    await checkAccessibility(page);
    await context.close();
  }, 60_000);

  it('auditor: the full audit search by subject; then sign-out ends the session', async () => {
    const { context, page } = await openAs(personas.emails.auditor, personas.password);
    expect(new URL(page.url()).pathname).toBe('/audit');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link').first().waitFor();
    expect(
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count(),
    ).toBe(0);
    await checkAccessibility(page);
    // By subject: the employee's records, whatever other suites audit at the same time.
    await page.getByLabel('Subject (user id)').fill(employeeId);
    await page.getByRole('button', { name: 'Search' }).click();
    // The page opens on the whole trail; once the search has answered, every row is the employee's.
    await expect
      .poll(() => page.locator('tbody tr', { hasNotText: employeeId }).count(), { timeout: 30_000 })
      .toBe(0);
    await page.locator('tbody tr', { hasText: 'surveys.submit' }).first().waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome' }).waitFor();
    await checkAccessibility(page, '/ (signed out)');
    await context.close();
  }, 60_000);

  it('keyboard only, at 360 px: sign-in through the managed login, a GAD-7 check-in from the menu to the result, and no page wider than the screen', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(`${page.url()}: ${error.message}`));
    // Sign-in with the keyboard alone: the front page's button, the sign-in page's form, back again.
    await page.goto(`${consoleUrl()}/`);
    await page.getByRole('heading', { level: 1, name: 'Welcome' }).waitFor();
    await tabTo(page, 'Sign in', 'Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/oauth2\/authorize/);
    // The e-mail field has the focus on arrival (autofocus).
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('email');
    expect(await tooWide(page), 'the sign-in page at 360 px').toBe(false);
    await page.keyboard.type(personas.emails.employee);
    await page.keyboard.press('Tab');
    await page.keyboard.type(personas.password);
    await page.keyboard.press('Enter');
    await page.locator('header.top').waitFor();
    // The persona's first page (the admin's test made this employee a manager too: the dashboard).
    await page.getByRole('heading', { level: 1 }).waitFor();
    const wide = () => tooWide(page);
    expect(await wide()).toBe(false);
    // The menu collapses behind its button on a phone; reached, opened and followed with the keyboard.
    await tabTo(page, 'Menu', 'Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('true');
    await tabTo(page, 'Check-in', 'Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor();
    await tabTo(page, 'Choose…', 'Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.getByRole('group').first().waitFor();
    const questions = await page.locator('fieldset.item').count();
    expect(questions).toBe(7);
    for (let i = 0; i < questions; i++) {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
    }
    expect(await page.locator('p.hint').first().textContent()).toBe('All answered.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Send my answers');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Your .*\(GAD-7\) result$/ }).waitFor();
    expect(await page.getByTestId('score').textContent()).toMatch(/^0 \(range 0–21\)$/);
    expect(await wide()).toBe(false);
    for (const [link, heading] of [
      ['My trends', 'My trends'],
      ['Consents', 'Consents'],
      ['EmoBuddy', 'EmoBuddy'],
      ['Access log', 'My access log'],
      ['My data', 'My data'],
      ['Security', 'Security'],
    ] as const) {
      await page.getByRole('button', { name: 'Menu' }).click();
      await goTo(page, link, heading);
      expect(await wide(), `${link} at 360 px`).toBe(false);
    }
    await checkAccessibility(page, '/security (360 px)');
    await context.close();
  }, 90_000);

  it('security: an authenticator set up on the Security page; the next sign-in asks for its code', async () => {
    const account = await registerAccount([], 'console-totp');
    const { context, page } = await openAs(account.email, account.password);
    await goTo(page, 'Security', 'Security');
    await checkAccessibility(page);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const shownSecret = page.getByTestId('totp-secret');
    await shownSecret.waitFor();
    const secret = ((await shownSecret.textContent()) ?? '').replace(/\s+/g, '');
    const uri = await page
      .getByRole('link', { name: 'open it in your authenticator app' })
      .getAttribute('href');
    expect(uri).toMatch(new RegExp(`^otpauth://totp/.+\\?secret=${secret}&`));
    await checkAccessibility(page, '/security (setting up)');
    // A wrong first code is refused, and nothing changes.
    await page.getByLabel('Code from the app').fill(totpCode(secret) === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByRole('alert').waitFor();
    // The browser logs the refused code's 400 as a console error: expected here, and only here.
    const refused = (entry: string) =>
      entry.endsWith(
        '/security: Failed to load resource: the server responded with a status of 400 (Bad Request)',
      );
    await expect.poll(() => pageProblems.some(refused)).toBe(true);
    pageProblems.splice(pageProblems.findIndex(refused), 1);
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByText('Two-step sign-in is on.').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome' }).waitFor();

    // The next sign-in: password, then the code step of the managed login (its stand-in here).
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('E-mail').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    await page.getByLabel('Code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor();
    await context.close();
  }, 60_000);

  it('erasure: confirmed by typing, the grace period stated before and the purge date after', async () => {
    const account = await registerAccount([], 'console-erase');
    const { context, page } = await openAs(account.email, account.password);
    await goTo(page, 'My data', 'My data');
    await page.getByText('Everything about you is deleted for good after 1 day.').waitFor();
    await page.getByRole('button', { name: 'Erase my account…' }).click();
    const erase = page.getByRole('button', { name: 'Erase my account', exact: true });
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel('Type ERASE to confirm').fill('ERASE');
    await checkAccessibility(page, '/my-data (erasure confirmation)');
    await erase.click();
    await page.getByText(/^Erasure scheduled\. Your data will be deleted after /).waitFor();
    await page.getByRole('button', { name: 'Leave the console' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome' }).waitFor();
    await context.close();
  }, 60_000);

  it('no page logged a script error or a CSP violation', () => {
    expect(pageProblems).toEqual([]);
  });
});

/** Waits for the list's first page, then follows "Show more" until the item is there. */
const findInPages = async (page: Page, item: ReturnType<Page['locator']>) => {
  // The list's first page is in once it shows any alert (the one sought exists).
  await page.locator('.alert-item').first().waitFor();
  for (let pages = 0; pages < 20; pages++) {
    await page.locator('.loading, button:has-text("Loading…")').waitFor({ state: 'detached' });
    if ((await item.count()) > 0) return item.first().waitFor();
    const more = page.getByRole('button', { name: 'Show more' });
    if ((await more.count()) === 0) break;
    await more.click();
  }
  await item.first().waitFor();
};

/** Presses Tab (or Shift+Tab) until the focused element's text or label is `name`; fails after 30. */
const tabTo = async (page: Page, name: string, key: 'Tab' | 'Shift+Tab') => {
  for (let presses = 0; presses < 30; presses++) {
    await page.keyboard.press(key);
    const focused = await page.evaluate<string>(
      "(document.activeElement?.getAttribute('aria-label') ?? (document.activeElement?.tagName === 'SELECT' ? document.activeElement.selectedOptions[0]?.textContent : document.activeElement?.textContent) ?? '').trim()",
    );
    if (focused === name) return;
  }
  throw new Error(`${name} not reached with ${key}`);
};

const streamText = async (stream: NodeJS.ReadableStream): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
};
