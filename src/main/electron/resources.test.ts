import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIRED_RESOURCES, missingResources, resourcesDir } from './resources';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('resourcesDir', () => {
  it('is the project resources/ two levels above the bundle in development', () => {
    const dir = resourcesDir({
      isPackaged: false,
      resourcesPath: '/usr/lib/electron/resources',
      bundleDir: join(ROOT, 'out/main'),
    });
    expect(dir).toBe(join(ROOT, 'resources'));
  });

  it('is resources/ under process.resourcesPath when packaged, wherever the bundle sits', () => {
    const dir = resourcesDir({
      isPackaged: true,
      resourcesPath: '/opt/HashDeck/resources',
      bundleDir: '/opt/HashDeck/resources/app.asar/out/main',
    });
    expect(dir).toBe('/opt/HashDeck/resources/resources');
  });
});

describe('missingResources', () => {
  it('finds every required icon in the repository', () => {
    expect(missingResources(join(ROOT, 'resources'))).toEqual([]);
    expect(REQUIRED_RESOURCES).toContain('tray-idle.png');
    expect(REQUIRED_RESOURCES).toContain('tray-error@2x.png');
    expect(existsSync(join(ROOT, 'resources', 'icon.png'))).toBe(true);
  });

  it('names the files that are not there', () => {
    const present = new Set(['/r/icon.png', '/r/tray-idle.png']);
    const missing = missingResources('/r', (p) => present.has(p));
    expect(missing).not.toContain('icon.png');
    expect(missing).toContain('tray-mining.png');
    expect(missing).toHaveLength(REQUIRED_RESOURCES.length - 2);
  });
});
