/// <reference lib="dom" />
/**
 * The published dashboard in a real headless Chromium (Debian's, driven by playwright-core): a
 * site of 2,000 packages and 50,000 attempts loads its package list within 2 s, search filters it,
 * a package page shows its attempts and the variant comparison, the suggest-fix link carries the
 * snippet, nothing logs an error, and axe-core finds no serious or critical violation.
 * Screenshots go to .cache/test-artifacts/ (not committed).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHintCatalog } from '../../src/domain/hints/index.js';
import { publishSite } from '../../src/stages/publish/index.js';
import { repoRoot } from '../helpers/pytools.js';
import { siteState } from '../helpers/site-state.js';
import { serveStatic, type StaticServer } from '../helpers/static-server.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
const ARTIFACTS = join(repoRoot, '.cache', 'test-artifacts');
const PACKAGES = 2000;
const ATTEMPTS = 50_000;

let root: string;
let server: StaticServer;
let context: BrowserContext;
const problems: string[] = [];

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${path}: console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${path}: page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`${path}: request failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${path}: HTTP ${r.status()} ${r.url()}`);
  });
  await page.goto(`${server.url}/${path}`, { waitUntil: 'load' });
  return page;
}

async function axeCheck(page: Page): Promise<string[]> {
  // Through the debugger protocol: the page's own CSP (script-src 'self') refuses an injected <script>.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes} nodes): ${v.help}`);
}

describe.runIf(haveChromium)('the dashboard in Chromium', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'refinery-dashboard-'));
    await mkdir(ARTIFACTS, { recursive: true });
    const catalog = await loadHintCatalog(join(repoRoot, 'seeds/hints.yml'));
    await publishSite(siteState({ packages: PACKAGES, attempts: ATTEMPTS }), join(root, 'site'), { catalog, suggest: { repo: 'acme/wheels', branch: 'main' } });
    server = await serveStatic(join(root, 'site'));
    context = await chromium.launchPersistentContext(join(root, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1280, height: 900 },
    });
  }, 300_000);
  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('loads 2,000 packages within 2 s, filters them by search and status, and is keyboard reachable', async () => {
    const page = await open('index.html');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
    const readyMs = Number(await page.getAttribute('body', 'data-ready-ms'));
    expect(readyMs).toBeGreaterThan(0);
    await writeFile(join(ARTIFACTS, 'dashboard-timing.json'), `${JSON.stringify({ packages: PACKAGES, attempts: ATTEMPTS, readyMs })}\n`);
    expect(readyMs, `package list ready after ${readyMs} ms`).toBeLessThan(2000);
    expect(await page.textContent('#count')).toBe(`${PACKAGES} of ${PACKAGES} packages match; showing the first 200`);
    expect(await page.locator('#packages tbody tr').count()).toBe(200);
    expect(await page.locator('#grid tbody tr').count()).toBeGreaterThan(200);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: false });

    // Keyboard: the skip link comes first, the search box takes typing.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.focus('#q');
    await page.keyboard.type('pkg-0012');
    await page.waitForFunction(() => document.getElementById('count')?.textContent?.startsWith('10 of'));
    const names = await page.locator('#packages tbody th a').allTextContents();
    expect(names).toEqual(Array.from({ length: 10 }, (_, i) => `pkg-0012${i}`));
    await page.fill('#q', '');
    await page.selectOption('#status', 'queued');
    await page.waitForFunction(() => !document.getElementById('count')?.textContent?.startsWith('10 of'));
    const failing = await page.locator('#packages tbody tr td:nth-child(3)').allTextContents();
    expect(failing.length).toBeGreaterThan(0);
    expect(new Set(failing)).toEqual(new Set(['queued']));
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-search.png') });
    expect(await axeCheck(page)).toEqual([]);
    await page.close();
  });

  it('a package page shows every attempt and the variants side by side; the suggest-fix link carries the snippet', async () => {
    const page = await open('index.html');
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#q', 'pkg-00012');
    await page.waitForFunction(() => document.getElementById('count')?.textContent?.startsWith('1 of'));
    await Promise.all([page.waitForURL(/packages\/pkg-00012\.html$/), page.click('#packages tbody a')]);
    expect(await page.textContent('h1')).toBe('pkg-00012');
    const attempts = ATTEMPTS / PACKAGES;
    expect(await page.locator('#attempts tbody tr').count()).toBe(attempts);
    const compare = page.locator('table.compare').first();
    expect(await compare.locator('thead th').allTextContents()).toEqual(['Variant', 'manylinux_2_28', 'ubi9']);
    expect(await compare.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'package.png'), fullPage: true });
    expect(await axeCheck(page)).toEqual([]);
    await page.close();

    // A package with a failure no hint fixes: pkg-00001 fails missing-toolchain without a matched hint.
    const failing = await open('packages/pkg-00001.html');
    const href = await failing.getAttribute('a.suggest', 'href');
    expect(href).toBeTruthy();
    const url = new URL(href!);
    expect(`${url.origin}${url.pathname}`).toBe('https://github.com/acme/wheels/new/main');
    expect(url.searchParams.get('filename')).toBe('hints/pkg-00001.yml');
    const snippet = url.searchParams.get('value')!;
    expect(snippet).toMatch(/^version: 1\nhints:\n {2}- id: "pkg-00001-/m);
    expect(await failing.locator('pre.snippet').first().textContent()).toBe(snippet);
    expect(await axeCheck(failing)).toEqual([]);
    await failing.close();
  });

  it('logged no console error, failed request or page error', () => {
    expect(problems).toEqual([]);
  });
});
