// Kills a whole process tree. POSIX: miners are spawned as process-group leaders, so one signal to
// the group reaches every descendant even after the leader has exited; Windows: taskkill /T via tree-kill.
import treeKill from 'tree-kill';

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
    // Stryker disable next-line BlockStatement: equivalent, undefined is as falsy as false
  } catch {
    return false; // ESRCH: the group is already gone
  }
}

export function treeKillAsync(pid: number, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => treeKill(pid, signal, () => resolve()));
}

/** Graceful: SIGTERM to the group (XMRig exits 0 on it). Windows has no SIGTERM; it is a hard stop there. */
export function terminateTree(pid: number, platform = process.platform): void {
  if (platform === 'win32') {
    // Stryker disable next-line StringLiteral: equivalent, tree-kill runs taskkill /T /F on Windows (no signal) and elsewhere process.kill, which takes '' for SIGTERM
    void treeKillAsync(pid, 'SIGTERM');
    return;
  }
  // Stryker disable next-line StringLiteral: equivalent, process.kill takes '' for SIGTERM
  if (!signalGroup(pid, 'SIGTERM')) {
    try {
      // Stryker disable next-line StringLiteral: equivalent, process.kill takes '' for SIGTERM
      process.kill(pid, 'SIGTERM');
    } catch {
      // already exited
    }
  }
}

/** Hard kill of the process and every descendant. */
export async function killTree(pid: number, platform = process.platform): Promise<void> {
  if (platform === 'win32') {
    await treeKillAsync(pid, 'SIGKILL');
    return;
  }
  // Descendants that left the group (setsid) are still found through the parent links while the leader lives.
  await treeKillAsync(pid, 'SIGKILL');
  signalGroup(pid, 'SIGKILL');
}

/** After the leader has exited, reap whatever it left in its group (POSIX only). */
export function reapGroup(pid: number, platform = process.platform): void {
  if (platform !== 'win32') signalGroup(pid, 'SIGKILL');
}
