// The console's web UI in a real browser (Debian's chromium driven by
// playwright-core), following the managed-ruleset procedure as a security
// engineer would:
//   sign in; the Managed rulesets view; +Add; a bad name is rejected as it
//   is typed (which character), a taken name too; name, description, two
//   labels; three rules enabled with three different actions (one found
//   through the filter); a screenshot of the filled form; Create ruleset;
//   the ruleset is listed with its description under its name, its labels,
//   3 enabled rules; the server stored exactly that; a server-side error
//   (an invalid label value) is shown next to that label's field.
//
//   node console_browser.mjs BASE_URL ADMIN_TOKEN OUT_DIR NODE_MODULES
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const [base, token, out, modules] = process.argv.slice(2);
const { chromium } = await import(pathToFileURL(join(modules, 'playwright-core', 'index.mjs')).href);

const step = (msg) => console.log(`browser: ${msg}`);
const api = async (path) => {
  const r = await fetch(`${base}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: r.status, data: await r.json() };
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => { console.error(`browser: page error: ${e.message}`); failed = true; });
  page.on('dialog', (d) => d.accept());

  step('sign in');
  await page.goto(`${base}/`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Managed rulesets' }).waitFor();
  assert.ok(await page.locator('#rulesets tr[data-ruleset="all_rules.log"]').count() === 1, 'shipped ruleset listed');

  step('+Add opens the create form');
  await page.getByRole('link', { name: '+Add' }).click();
  await page.getByRole('heading', { name: 'Create ruleset' }).waitFor();
  const name = page.getByLabel('Name', { exact: true });
  const nameError = page.locator('#ruleset-name-error');

  step('a bad name is rejected as it is typed');
  await name.pressSequentially('web strict', { delay: 20 });
  await page.waitForFunction(() => /character ' ' is not allowed/.test(document.querySelector('#ruleset-name-error').textContent));
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  await page.screenshot({ path: join(out, 'console-bad-name.png'), fullPage: false });
  await name.fill('');
  await name.pressSequentially('web-strict', { delay: 10 });
  await page.waitForFunction(() => /character '-' is not allowed/.test(document.querySelector('#ruleset-name-error').textContent));
  await name.fill('');
  await name.pressSequentially('all_rules.log', { delay: 10 });
  await page.waitForFunction(() => /is taken/.test(document.querySelector('#ruleset-name-error').textContent));
  await name.fill('');
  await name.pressSequentially('web.strict', { delay: 10 });
  await page.waitForFunction(() => document.querySelector('#ruleset-name-error').textContent === '');
  assert.equal(await name.getAttribute('aria-invalid'), null);

  step('description and two labels');
  const description = 'Strict rules for the payments web tier';
  await page.getByLabel('Description').fill(description);
  await page.getByRole('button', { name: 'Add Label' }).click();
  await page.getByLabel('Label 1 key').fill('env');
  await page.getByLabel('Label 1 value').fill('prod');
  await page.getByRole('button', { name: 'Add Label' }).click();
  await page.getByLabel('Label 2 key').fill('team');
  await page.getByLabel('Label 2 value').fill('payments');
  assert.match(await page.locator('fieldset', { hasText: 'Labels' }).first().textContent(), /no effect on Amazon ECS clusters/);

  step('three rules, three actions (one found with the filter)');
  await page.locator('#enable-RP1001').check();
  await page.locator('#action-RP1001').selectOption('log');
  await page.locator('#rule-filter').fill('shadow');
  const shown = await page.locator('#rules tbody tr:visible').count();
  assert.ok(shown >= 1 && shown < 20, `filter narrows the table (${shown} rows)`);
  await page.locator('#enable-RP1002').check();
  await page.locator('#action-RP1002').selectOption('isolate');
  await page.locator('#rule-filter').fill('');
  await page.locator('#enable-RP1003').check();
  await page.locator('#action-RP1003').selectOption('terminate');
  assert.match(await page.locator('#rule-count').textContent(), /3 enabled/);
  const link = page.locator('#rules tr[data-rule="RP1001"] a');
  assert.equal(await link.getAttribute('href'), 'https://attack.mitre.org/techniques/T1059/004/');
  await page.getByLabel('Enabled only').check();
  assert.equal(await page.locator('#rules tbody tr:visible').count(), 3);
  await page.screenshot({ path: join(out, 'console-form.png'), fullPage: true });
  await page.getByLabel('Enabled only').uncheck();

  step('Create ruleset saves it; the list shows it with its description under the name');
  await page.getByRole('button', { name: 'Create ruleset' }).click();
  const row = page.locator('#rulesets tr[data-ruleset="web.strict"]');
  await row.waitFor();
  const nameBox = await row.locator('.entry-name').boundingBox();
  const descBox = await row.locator('.desc').boundingBox();
  assert.equal(await row.locator('.desc').textContent(), description);
  assert.ok(descBox.y >= nameBox.y + nameBox.height - 1, 'the description is under the name');
  assert.match(await row.textContent(), /env=prod/);
  assert.match(await row.textContent(), /team=payments/);
  assert.equal((await row.locator('td.num').textContent()).trim(), '3');
  await page.screenshot({ path: join(out, 'console-list.png'), fullPage: true });

  const stored = await api('/rulesets/web.strict');
  assert.equal(stored.status, 200);
  assert.deepEqual(stored.data.labels, { env: 'prod', team: 'payments' });
  assert.deepEqual(stored.data.rules.filter((r) => r.enabled).map((r) => `${r.id}:${r.action}`).sort(),
    ['RP1001:log', 'RP1002:isolate', 'RP1003:terminate']);

  step('editing: the name is read-only; a server error shows next to its field');
  await row.getByRole('link', { name: 'Edit web.strict' }).click();
  await page.getByRole('heading', { name: 'Edit ruleset web.strict' }).waitFor();
  assert.equal(await page.getByLabel('Name', { exact: true }).getAttribute('readonly'), '');
  await page.getByLabel('Label 2 value').fill('-payments');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const valueError = page.locator('.label-row').nth(1).locator('.error').nth(1);
  await page.waitForFunction(() => /invalid label value/.test(document.querySelectorAll('.label-row')[1].textContent));
  assert.match(await valueError.textContent(), /invalid label value '-payments'/);
  await page.screenshot({ path: join(out, 'console-label-error.png'), fullPage: false });

  step('duplicating: the copy gets a new name');
  await page.getByRole('link', { name: 'Managed rulesets' }).click();
  await page.getByRole('link', { name: 'Duplicate web.strict' }).click();
  await page.getByRole('heading', { name: 'Duplicate ruleset web.strict' }).waitFor();
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), '');
  assert.equal(await page.getByLabel('Description').inputValue(), description);
  await page.getByLabel('Name', { exact: true }).fill('web.strict.copy');
  await page.getByRole('button', { name: 'Create ruleset' }).click();
  const copy = page.locator('#rulesets tr[data-ruleset="web.strict.copy"]');
  await copy.waitFor();
  assert.equal((await copy.locator('td.num').textContent()).trim(), '3');

  step('policies: a policy using web.strict; deleting web.strict is refused, naming it');
  await page.getByRole('link', { name: 'Policies' }).click();
  await page.getByRole('heading', { name: 'Policies' }).waitFor();
  await page.getByRole('link', { name: '+Add' }).click();
  await page.getByLabel('Name', { exact: true }).fill('web_pol');
  await page.getByLabel('web.strict', { exact: true }).check();
  await page.getByRole('button', { name: 'Create policy' }).click();
  await page.getByRole('heading', { name: 'Policies' }).waitFor();
  await page.getByRole('cell', { name: 'web_pol', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Managed rulesets' }).click();
  await page.locator('#rulesets tr[data-ruleset="web.strict"]', { hasText: 'web_pol' }).waitFor();
  await page.getByRole('button', { name: 'Delete web.strict', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: "used by policy 'web_pol'" }).waitFor();
  await page.getByRole('button', { name: 'Delete web.strict.copy' }).click();
  await page.locator('#rulesets tr[data-ruleset="web.strict.copy"]').waitFor({ state: 'detached' });

  step('clusters: the simpler view lists the shipped clusters');
  await page.getByRole('link', { name: 'Clusters' }).click();
  await page.getByRole('heading', { name: 'Clusters' }).waitFor();
  assert.match(await page.locator('main table').textContent(), /ecs-legacy.*ecs \(protection 2\.2\.2\)/s);
  await page.screenshot({ path: join(out, 'console-clusters.png'), fullPage: true });
  step('PASS');
} catch (e) {
  console.error(`browser: FAIL: ${e.stack || e}`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
