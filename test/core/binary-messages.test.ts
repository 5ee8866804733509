// The sentences a user reads when a miner has no binary it may run: no raw placeholder ever reaches them,
// the action that exists is named, and a vanished binary names its real folder.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockedMessage, exclusionSteps, vanishedMessage } from '../../src/main/core/trust/quarantine';
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
    expect(err.message).toBe(
      'No trusted TT-Miner binary yet. In the desktop app: "Choose binary…". In headless mode: ' +
        '`npm run headless -- trust add /path/to/TT-Miner` on this machine.',
    );
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

  it("each platform gets the place its own user looks, never another platform's", () => {
    const where = {
      win32: 'Windows Security → Virus & threat protection → Protection history',
      darwin: 'System Settings → Privacy & Security',
      linux: 'noexec mount',
    } as const;
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const steps = exclusionSteps('/opt/m', platform);
      expect(steps).toContain('/opt/m');
      for (const [other, mark] of Object.entries(where)) {
        if (other === platform) expect(steps).toContain(mark);
        else expect(steps).not.toContain(mark);
      }
    }
    // Any other Unix reads like Linux.
    expect(exclusionSteps('/opt/m', 'freebsd')).toBe(exclusionSteps('/opt/m', 'linux'));
  });

  it('the sentence runs on into the way back: ", or install" for ours, "; then register" for the user\'s', () => {
    const opening =
      `The XMRig 6.26.0 binary HashDeck installed and verified at ${installed.path} is gone. ` +
      'Security software often quarantines or blocks crypto miners, even verified ones; HashDeck never changes security settings. ';
    expect(vanishedMessage(installed, 'linux').slice(0, opening.length)).toBe(opening);
    expect(vanishedMessage(installed, 'linux')).toContain('yourself, or install XMRig 6.26.0 again');
    const unversioned = vanishedMessage({ ...installed, version: null }, 'linux');
    expect(unversioned).toContain('yourself, or install XMRig again (Install XMRig');
    const mine = { ...installed, source: 'user' as const, path: '/opt/miners/xmrig', version: null };
    expect(vanishedMessage(mine, 'linux')).toContain('yourself; then register it again');
    expect(vanishedMessage(mine, 'linux')).toMatch(
      /^The trusted XMRig binary at \/opt\/miners\/xmrig is gone\. /,
    );
  });

  it('a spawn that found no file (ENOENT) reads as gone, not as blocked', () => {
    expect(blockedMessage(installed, 'ENOENT', 'linux')).toBe(vanishedMessage(installed, 'linux'));
    expect(blockedMessage(installed, 'EPERM', 'linux')).toContain('may not be executed (EPERM)');
  });
});
