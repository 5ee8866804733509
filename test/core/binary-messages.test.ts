// The sentences a user reads when a miner has no binary it may run: no raw placeholder ever reaches them,
// the action that exists is named, and a vanished binary names its real folder.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockedMessage, vanishedMessage } from '../../src/main/core/trust/quarantine';
import { missingBinary } from '../../src/main/core/trust/trust-store';

/** `<version>`, `<data>`, `<path>`: template words a user could not act on. */
const PLACEHOLDER = /<[^<>\s]+>/;

describe('no trusted binary yet', () => {
  it('XMRig: the card shows one plain sentence beside the Install and Choose buttons', () => {
    const err = missingBinary('xmrig');
    expect(err.code).toBe('BINARY_MISSING');
    expect(err.message).not.toMatch(PLACEHOLDER);
    expect(err.message).toContain('"Install XMRig"');
    expect(err.details).toEqual({ minerType: 'xmrig', actions: ['install', 'choose'] });
    // Where the actions are buttons the UI shows only the first sentence (binaryMessage in the renderer).
    expect(err.message.slice(0, err.message.search(/\.\s/) + 1)).toBe('No trusted XMRig binary yet.');
  });

  it('TT-Miner: only Choose is offered (HashDeck does not install it), and the message says so', () => {
    const err = missingBinary('ttminer');
    expect(err.message).not.toMatch(PLACEHOLDER);
    expect(err.message).not.toContain('Install');
    expect(err.details).toEqual({ minerType: 'ttminer', actions: ['choose'] });
  });
});

describe('a trusted binary that vanished or may not run', () => {
  const folder = path.join(path.sep, 'home', 'ana', '.config', 'HashDeck', 'miners', 'xmrig', '6.26.0');
  const installed = {
    minerType: 'xmrig' as const,
    path: path.join(folder, 'xmrig'),
    source: 'installed' as const,
    version: '6.26.0',
  };

  it('names the real folder and how to get it back, with no placeholder', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const message = vanishedMessage(installed, platform);
      expect(message).not.toMatch(PLACEHOLDER);
      expect(message).toContain(`${installed.path} is gone`);
      // The folder to allow in the antivirus is named on its own, not only inside the binary's path.
      expect(message.replace(installed.path, '')).toContain(folder);
      expect(message).toContain('install XMRig 6.26.0 again (Install XMRig');
    }
  });

  it('a blocked user binary says to register it again, naming the errno', () => {
    const mine = { ...installed, source: 'user' as const, path: '/opt/miners/xmrig', version: null };
    const message = blockedMessage(mine, 'EACCES', 'linux');
    expect(message).not.toMatch(PLACEHOLDER);
    expect(message).toContain('The trusted XMRig binary at /opt/miners/xmrig may not be executed (EACCES)');
    expect(message).toContain('register it again');
  });
});
