import { describe, expect, it } from 'vitest';
import { RENDERER_FILE_URL, senderEvent } from '../testing/fakes';
import { createSenderGuard, isTrustedSender, type TrustedRenderer } from './trusted-sender';

const built: TrustedRenderer = { fileUrl: RENDERER_FILE_URL, devServerUrl: null };
const dev: TrustedRenderer = { fileUrl: RENDERER_FILE_URL, devServerUrl: 'http://localhost:5173' };

describe('isTrustedSender', () => {
  it('trusts the built renderer file, with or without a hash route or query', () => {
    expect(isTrustedSender(RENDERER_FILE_URL, built)).toBe(true);
    expect(isTrustedSender(`${RENDERER_FILE_URL}#/miners`, built)).toBe(true);
    expect(isTrustedSender(`${RENDERER_FILE_URL}?tab=logs`, built)).toBe(true);
  });

  it('trusts the same file reached through dot segments, which the URL parser resolves', () => {
    expect(isTrustedSender('file:///opt/hashdeck/out/main/../renderer/index.html', built)).toBe(true);
  });

  it('refuses other local files, even next to the renderer', () => {
    expect(isTrustedSender('file:///opt/hashdeck/out/renderer/other.html', built)).toBe(false);
    expect(isTrustedSender('file:///tmp/index.html', built)).toBe(false);
    expect(isTrustedSender('file://evil-host/opt/hashdeck/out/renderer/index.html', built)).toBe(false);
  });

  it('refuses every http origin when there is no dev server', () => {
    expect(isTrustedSender('http://localhost:5173/', built)).toBe(false);
  });

  it('trusts pages of the dev server origin only', () => {
    expect(isTrustedSender('http://localhost:5173/', dev)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/index.html#/logs', dev)).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isTrustedSender('https://localhost:5173/', dev)).toBe(false);
    expect(isTrustedSender('https://example.com/', dev)).toBe(false);
  });

  it('refuses opaque and malformed URLs', () => {
    for (const url of [
      'about:blank',
      'data:text/html,<b>x</b>',
      'javascript:alert(1)',
      'devtools://devtools',
      '',
      'not a url',
    ]) {
      expect(isTrustedSender(url, dev)).toBe(false);
    }
  });

  it('trusts an https dev server, by origin', () => {
    const https: TrustedRenderer = { fileUrl: null, devServerUrl: 'https://localhost:5173' };
    expect(isTrustedSender('https://localhost:5173/index.html', https)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/', https)).toBe(false);
  });

  it('refuses non-http documents that share the dev server origin (blob:)', () => {
    // A blob: URL carries the origin of the page that made it; only real dev server pages are trusted.
    expect(new URL('blob:http://localhost:5173/1b2c').origin).toBe('http://localhost:5173');
    expect(isTrustedSender('blob:http://localhost:5173/1b2c', dev)).toBe(false);
  });

  it('trusts nobody, without throwing, when the configured renderer URLs are malformed', () => {
    const broken: TrustedRenderer = { fileUrl: 'not a url', devServerUrl: 'not a url either' };
    expect(isTrustedSender(RENDERER_FILE_URL, broken)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', broken)).toBe(false);
  });

  it('refuses a file URL when the configured renderer is not a file', () => {
    const custom: TrustedRenderer = {
      fileUrl: 'app:///opt/hashdeck/out/renderer/index.html',
      devServerUrl: null,
    };
    expect(isTrustedSender(RENDERER_FILE_URL, custom)).toBe(false);
  });

  it('refuses file URLs when only the dev server is allowed', () => {
    expect(isTrustedSender(RENDERER_FILE_URL, { fileUrl: null, devServerUrl: 'http://localhost:5173' })).toBe(
      false,
    );
  });
});

describe('createSenderGuard', () => {
  const guard = createSenderGuard({ webContentsId: () => 1, allowed: built });

  it('accepts the main frame of our window showing our renderer', () => {
    expect(guard(senderEvent())).toBe(true);
  });

  it('refuses another webContents', () => {
    expect(guard(senderEvent({ id: 2 }))).toBe(false);
  });

  it('refuses subframes, even with our URL', () => {
    expect(guard(senderEvent({ subframe: true }))).toBe(false);
  });

  it('refuses a frame that is already gone', () => {
    expect(guard(senderEvent({ frameGone: true }))).toBe(false);
  });

  it('refuses a foreign URL in our own main frame', () => {
    expect(guard(senderEvent({ url: 'https://example.com/' }))).toBe(false);
  });

  it('refuses everything while there is no window', () => {
    const noWindow = createSenderGuard({ webContentsId: () => null, allowed: built });
    expect(noWindow(senderEvent())).toBe(false);
  });
});
