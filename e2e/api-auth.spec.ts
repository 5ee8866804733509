// The HTTP API refuses requests without the token (401) and from a foreign Origin (403), and answers
// with the token (200); a browser without a session gets a page explaining the printed link instead.
import { expect, test } from '@playwright/test';
import type { Snapshot } from '../src/shared/contract';
import { startHeadless, type Headless } from './support/headless';

let h: Headless;

test.beforeAll(async () => {
  h = await startHeadless();
});

test.afterAll(async () => {
  await h?.stop();
});

const post = (headers: Record<string, string>) =>
  fetch(`${h.origin}/api/getSnapshot`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: '{}',
  });

test('no token: 401 UNAUTHORIZED', async () => {
  const res = await post({});
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
});

test('wrong token: 401 UNAUTHORIZED', async () => {
  const res = await post({ Authorization: `Bearer ${h.token}x` });
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
});

test('a same-length wrong token and a strict prefix: 401 UNAUTHORIZED', async () => {
  const last = h.token.at(-1) === 'a' ? 'b' : 'a';
  for (const wrong of [h.token.slice(0, -1) + last, h.token.slice(0, -1)]) {
    const res = await post({ Authorization: `Bearer ${wrong}` });
    expect(res.status).toBe(401);
  }
});

test('Origin null: 403 FORBIDDEN even with the token', async () => {
  const res = await post({ Authorization: `Bearer ${h.token}`, Origin: 'null' });
  expect(res.status).toBe(403);
});

test('foreign Origin: 403 FORBIDDEN even with the token', async () => {
  const res = await post({ Authorization: `Bearer ${h.token}`, Origin: 'http://evil.example' });
  expect(res.status).toBe(403);
  expect(await res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
});

test('with the token: 200 and a snapshot', async () => {
  const res = await post({ Authorization: `Bearer ${h.token}` });
  expect(res.status).toBe(200);
  const snap = (await res.json()) as Snapshot;
  expect(snap).toMatchObject({ miners: [], profiles: [], settings: { dataDir: h.dataDir } });
});

test('with the token and our own Origin: 200', async () => {
  const res = await post({ Authorization: `Bearer ${h.token}`, Origin: h.origin });
  expect(res.status).toBe(200);
});

test('the event stream needs the token too', async () => {
  const res = await fetch(`${h.origin}/api/events`);
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
});

test('a browser without the cookie gets no UI data', async ({ page }) => {
  const res = await page.request.post(`${h.origin}/api/getSnapshot`, { data: {} });
  expect(res.status()).toBe(401);
  // The printed URL sets the cookie; afterwards the same request succeeds.
  await page.goto(h.url);
  await expect(page).not.toHaveURL(/token=/);
  const ok = await page.request.post(`${h.origin}/api/getSnapshot`, { data: {} });
  expect(ok.status()).toBe(200);
});

test('without the link, the browser shows how to get it instead of raw JSON', async ({ page }) => {
  const blocked: string[] = [];
  page.on('console', (msg) => {
    // The 401 itself is logged as a failed load; only a CSP refusal would mean the page is broken.
    if (/Content Security Policy|Refused to/i.test(msg.text())) blocked.push(msg.text());
  });
  const res = await page.goto(`${h.origin}/`);
  expect(res?.status()).toBe(401);
  await expect(page.getByRole('heading', { name: 'Open HashDeck with its access link' })).toBeVisible();
  await expect(page.getByText(`Open: ${h.origin}/?token=…`)).toBeVisible();
  // Its own style applies under its strict CSP (a refused style would leave the default serif font).
  const font = await page.locator('body').evaluate((el) => getComputedStyle(el).fontFamily);
  expect(font).toContain('system-ui');
  expect(blocked).toEqual([]);
});

test('the cookie is a session of this port, not the token, and logging out ends it', async ({
  page,
  context,
}) => {
  await page.goto(h.url);
  const cookies = await context.cookies(h.origin);
  const port = new URL(h.origin).port;
  expect(cookies.map((c) => c.name)).toEqual([`hashdeck_session_${port}`]);
  expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  expect(cookies[0]!.value).not.toContain(h.token);
  const logout = await page.request.post(`${h.origin}/api/session/logout`, { data: {} });
  expect(await logout.json()).toEqual({ loggedOut: true });
  const after = await page.request.post(`${h.origin}/api/getSnapshot`, { data: {} });
  expect(after.status()).toBe(401);
});
