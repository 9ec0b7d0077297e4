/**
 * `npm run screenshots`: a screenshot of every page of the console, written to docs/console/ for the
 * README and docs/console.md. Starts its own local runtime (in memory, free ports), seeds the demo
 * organisation with its personas, and signs in as each persona in Chromium through the local sign-in.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, parsePersonas, signIn } from '../lib/local/console-browser.ts';
import { freePort } from '../lib/local/processes.ts';
import { startLocalRuntime } from '../lib/local/runtime.ts';
import { REPO_ROOT } from '../lib/repo-root.ts';

const OUT = join(REPO_ROOT, 'docs', 'console');

const main = async () => {
  mkdirSync(OUT, { recursive: true });
  const stateFile = join(mkdtempSync(join(tmpdir(), 'mha-shots-')), 'runtime.json');
  console.log('Starting a local runtime (in memory)…');
  const runtime = await startLocalRuntime({
    port: await freePort(),
    dynamodbPort: await freePort(),
    cognitoPort: await freePort(),
    consolePort: await freePort(),
    inMemory: true,
    stateFile,
    handlerLogLevel: 'ERROR',
    metrics: false,
  });
  const browser = await launchChromium();
  try {
    // Asynchronously: the runtime (its gateway and Cognito proxy) lives in this process and must answer.
    console.log('Seeding the demo organisation with its personas…');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bin/admin.ts', 'seed-demo', '--personas', '--state-file', stateFile],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    const personas = parsePersonas(stdout);
    const consoleUrl = runtime.consoleUrl!;
    const shoot = async (page: Page, name: string) => {
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
      console.log(`  docs/console/${name}.png`);
    };
    const visit = async (page: Page, path: string, heading: string, name: string) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: heading }).click();
      await page.waitForURL(`${consoleUrl}${path}`);
      await shoot(page, name);
    };
    const as = async (email: string, viewport = { width: 1280, height: 860 }) => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, consoleUrl, email, personas.password);
      return { context, page };
    };

    // The sign-in: the console's front page and the local stand-in for the managed login.
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      await page.goto(`${consoleUrl}/`);
      await shoot(page, 'sign-in');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/oauth2\/authorize/);
      await shoot(page, 'managed-login-local');
      await context.close();
    }

    const employee = await as(personas.emails.employee);
    await employee.page.getByLabel('Questionnaire').selectOption('who5');
    await shoot(employee.page, 'check-in');
    await visit(employee.page, '/trends', 'My trends', 'trends');
    await employee.page.locator('.chart-canvas canvas').first().waitFor();
    await shoot(employee.page, 'trends');
    await visit(employee.page, '/consents', 'Consents', 'consents');
    await visit(employee.page, '/emo-buddy', 'EmoBuddy', 'emo-buddy');
    await visit(employee.page, '/access-log', 'Access log', 'access-log');
    await visit(employee.page, '/my-data', 'My data', 'my-data');
    // A check-in whose answer raises a safety flag: the crisis resources, and an alert for the inbox.
    await employee.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Check-in' })
      .click();
    await employee.page.getByLabel('Questionnaire').selectOption('phq9');
    const items = employee.page.locator('fieldset.item');
    for (let index = 0; index < 9; index++)
      await items
        .nth(index)
        .getByRole('radio')
        .nth(index === 8 ? 1 : 2)
        .check();
    await employee.page.getByRole('button', { name: 'Send my answers' }).click();
    await employee.page.getByRole('alert').waitFor();
    await shoot(employee.page, 'check-in-crisis');
    await employee.context.close();

    const phone = await as(personas.emails.employee, { width: 360, height: 740 });
    await phone.page.getByLabel('Questionnaire').selectOption('gad7');
    await shoot(phone.page, 'check-in-360px');
    await phone.context.close();

    const clinician = await as(personas.emails.clinician);
    await clinician.page.locator('.alert-item').first().waitFor();
    await shoot(clinician.page, 'clinician-alerts');
    await clinician.context.close();

    const manager = await as(personas.emails.manager);
    await manager.page.getByTestId('suppressed').first().waitFor();
    await shoot(manager.page, 'manager-dashboard');
    await manager.context.close();

    const admin = await as(personas.emails.admin);
    await admin.page.locator('tbody tr').first().waitFor();
    await shoot(admin.page, 'admin-users');
    await visit(admin.page, '/admin/departments', 'Departments', 'admin-departments');
    await admin.context.close();

    const auditor = await as(personas.emails.auditor);
    await auditor.page.getByRole('button', { name: 'Search' }).click();
    await auditor.page.locator('tbody tr').first().waitFor();
    await shoot(auditor.page, 'audit');
    await auditor.context.close();
  } finally {
    await browser.close();
    await runtime.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
