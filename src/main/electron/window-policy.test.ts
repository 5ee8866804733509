import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CSP, isPermissionAllowed, isSameDocument, shouldOpenExternally, withCsp } from './window-policy';

describe('CSP', () => {
  it('matches the meta tag of the renderer', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    expect(html).toContain(`content="${CSP}"`);
  });
});

describe('withCsp', () => {
  it('adds the policy to responses without one', () => {
    expect(withCsp({ 'Content-Type': ['text/html'] })).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CSP],
    });
  });

  it('replaces a policy sent by the server, whatever the header case', () => {
    const out = withCsp({ 'content-security-policy': ['default-src *'], 'CONTENT-SECURITY-POLICY': 'x' });
    expect(Object.keys(out)).toEqual(['Content-Security-Policy']);
  });

  it('copes with missing headers and single string values', () => {
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CSP] });
    expect(withCsp({ Server: 'vite' }).Server).toEqual(['vite']);
  });
});

describe('isSameDocument', () => {
  const page = 'file:///app/out/renderer/index.html';

  it('allows hash route changes and the same URL', () => {
    expect(isSameDocument(page, page)).toBe(true);
    expect(isSameDocument(`${page}#/a`, `${page}#/b`)).toBe(true);
  });

  it('denies any other document', () => {
    expect(isSameDocument(page, 'file:///etc/passwd')).toBe(false);
    expect(isSameDocument(page, 'https://example.com/')).toBe(false);
    expect(isSameDocument('http://localhost:5173/', 'http://localhost:5173/other')).toBe(false);
    expect(isSameDocument(page, 'not a url')).toBe(false);
    expect(isSameDocument('', page)).toBe(false);
  });
});

describe('shouldOpenExternally', () => {
  it('opens https links only', () => {
    expect(shouldOpenExternally('https://xmrig.com/download')).toBe(true);
    expect(shouldOpenExternally('http://example.com/')).toBe(false);
    expect(shouldOpenExternally('file:///etc/passwd')).toBe(false);
    expect(shouldOpenExternally('javascript:alert(1)')).toBe(false);
    expect(shouldOpenExternally('smb://host/share')).toBe(false);
    expect(shouldOpenExternally('garbage')).toBe(false);
  });
});

describe('isPermissionAllowed', () => {
  it('allows clipboard writes and nothing else', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'fullscreen',
    ]) {
      expect(isPermissionAllowed(p)).toBe(false);
    }
  });
});
