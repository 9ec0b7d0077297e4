/**
 * `npm run screenshots`: a screenshot of every page of the console, written to docs/console/ for the
 * README and docs/console.md. The dashboard shows closed months only, so the demo is written as a person
 * would do it locally (docs/console.md, "Try it"): `npm start -- --clock` on the 2nd of this month (this
 * month and the previous one still open) runs `seed-demo --personas --previous-month`, stops, and the
 * runtime starts again on the same data early next month, after this month closed; then Chromium signs
 * in as each persona through the local sign-in.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, parsePersonas, signIn } from '../lib/local/console-browser.ts';
import { freePort } from '../lib/local/processes.ts';
import { startLocalRuntime } from '../lib/local/runtime.ts';
import { REPO_ROOT } from '../lib/repo-root.ts';

const OUT = join(REPO_ROOT, 'docs', 'console');

/** `npm start -- --clock <writing>` in a child process, seeded, then stopped (which drains the stream). */
const seedWhileOpen = async (writing: Date, dataDir: string, stateFile: string): Promise<string> => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/local.ts',
      '--clock',
      writing.toISOString(),
      '--data-dir',
      dataDir,
      '--state-file',
      stateFile,
      '--quiet',
      '--port',
      String(await freePort()),
      '--dynamodb-port',
      String(await freePort()),
      '--cognito-port',
      String(await freePort()),
      '--console-port',
      String(await freePort()),
    ],
    { cwd: REPO_ROOT, env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop')) resolve();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`npm start exited ${code}:\n${output}`)));
  });
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/admin.ts',
      'seed-demo',
      '--personas',
      '--previous-month',
      '--state-file',
      stateFile,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  child.kill('SIGINT');
  if ((await exited) !== 0) throw new Error(`npm start did not stop cleanly:\n${output}`);
  return stdout;
};

const main = async () => {
  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'mha-shots-'));
  const dataDir = join(work, 'data');
  const stateFile = join(work, 'runtime.json');
  const now = new Date();
  const writing = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 2, 12));
  const reading = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 5, 9));
  console.log(`Writing the demo on ${writing.toISOString()} (this month and the previous one open)…`);
  const stdout = await seedWhileOpen(writing, dataDir, stateFile);
  console.log(`Reading it on ${reading.toISOString()}, after this month closed…`);
  const runtime = await startLocalRuntime({
    port: await freePort(),
    dynamodbPort: await freePort(),
    cognitoPort: await freePort(),
    consolePort: await freePort(),
    inMemory: false,
    dataDir,
    stateFile,
    clock: reading,
    handlerLogLevel: 'ERROR',
    metrics: false,
  });
  const browser = await launchChromium();
  try {
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
    await visit(employee.page, '/security', 'Security', 'security');
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
    await manager.page.locator('article.department table').first().waitFor();
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
    rmSync(work, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
