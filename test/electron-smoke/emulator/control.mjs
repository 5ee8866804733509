// The emulation's line to the test that launched it (a fork IPC channel): it reports what the app did
// as events and runs the test's commands (a user's clicks, a renderer crash, an answer to a dialog).
const handlers = new Map();

/**
 * True when the smoke driver forked this process (it sets HASHDECK_EMU_CONTROL). Imported in-process by a
 * test, the emulation stays off the channel: a vitest worker's own IPC channel belongs to vitest.
 */
export const connected = process.env.HASHDECK_EMU_CONTROL === '1' && typeof process.send === 'function';

/** Tells the test something happened. `data` must survive structured clone. */
export function report(name, data = {}) {
  if (!connected || !process.connected) return;
  try {
    process.send({ t: 'event', name, data, at: Date.now() });
  } catch {
    // the test went away; nothing to tell
  }
}

/** Like report, resolved once the message left the process (used right before exiting). */
export function reportAndFlush(name, data = {}) {
  if (!connected || !process.connected) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      process.send({ t: 'event', name, data, at: Date.now() }, () => resolve());
    } catch {
      resolve();
    }
  });
}

export function onCommand(op, handler) {
  handlers.set(op, handler);
}

if (connected) {
  process.on('message', async (msg) => {
    if (msg === null || typeof msg !== 'object' || msg.t !== 'call') return;
    const handler = handlers.get(msg.op);
    let reply;
    try {
      if (!handler) throw new Error(`the emulation has no command "${msg.op}"`);
      reply = { t: 'reply', id: msg.id, ok: true, value: await handler(msg.args ?? {}) };
    } catch (err) {
      reply = { t: 'reply', id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    try {
      process.send(reply);
    } catch {
      // the test went away
    }
  });
  // The test runner died: leave like a killed app would, through the app's own exit handlers (which stop
  // the miners), so a crashed test run leaves no process behind.
  process.on('disconnect', () => process.exit(99));
}
