// The HTTP API refuses requests without the token (401) and from a foreign Origin (403), and
// answers with the token (200). Plain fetch, like a script or a hostile page would.
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
