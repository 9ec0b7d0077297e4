import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Persona } from '../admin/seed-demo.ts';

/**
 * Driving the console in a real Chromium (Debian's, at /usr/bin/chromium or CHROMIUM_PATH), for the
 * browser tests and the screenshot script: launch, sign in through the managed-login stand-in as a
 * demo persona, and an axe-core check of the page as it stands.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's "chromium" (as .ci/run does) or set CHROMIUM_PATH.`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
};

export interface DemoPersonas {
  password: string;
  emails: Record<Persona, string>;
}

/** The accounts `seed-demo --personas` printed. */
export const parsePersonas = (stdout: string): DemoPersonas => {
  const password = /^\s+password\s+(\S+)$/m.exec(stdout)?.[1];
  const emails = Object.fromEntries(
    [...stdout.matchAll(/^\s+(employee|manager|clinician|admin|auditor)\s+(\S+@\S+)$/gm)].map((m) => [
      m[1],
      m[2],
    ]),
  ) as Record<Persona, string>;
  if (!password || Object.keys(emails).length !== 5) throw new Error(`no personas in:\n${stdout}`);
  return { password, emails };
};

/** From the console's front page through the local sign-in page back to the persona's first page. */
export const signIn = async (
  page: Page,
  consoleUrl: string,
  email: string,
  password: string,
): Promise<void> => {
  await page.goto(`${consoleUrl}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/oauth2\/authorize/);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(
    (url) => url.origin === new URL(consoleUrl).origin && url.pathname !== '/auth/callback',
  );
  await page.locator('header.top').waitFor();
};

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

let axeSource: string | undefined;

/**
 * axe-core on the page (WCAG 2.1 A and AA rules): the violations of impact serious or critical. axe
 * is evaluated through the DevTools protocol, so the page's CSP (no inline script) stays in force.
 */
export const seriousViolations = async (page: Page): Promise<AxeViolation[]> => {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Strings, not functions: this module is compiled without the DOM's types.
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>(`
    window.axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))
  `);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
};
