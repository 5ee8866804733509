// @ts-check
// getopt_long-style parser (the parser XMRig uses): "--name=value", "--name value", "-c value", "-cvalue",
// with glibc's warnings for unknown options; parsing continues after a warning, as in the real binary.

/**
 * @typedef {{ name: string, arg: 'none' | 'required' | 'optional' }} OptSpec
 * @typedef {{ name: string, value: string | null }} ParsedOpt
 */

/**
 * @param {string[]} argv arguments without node and script path
 * @param {{ long: Record<string, OptSpec['arg']>, short: Record<string, string> }} spec
 *   long: option name -> argument kind; short: letter -> long name
 * @param {string} argv0 program name used in warnings
 * @returns {{ opts: ParsedOpt[], warnings: string[], positional: string[] }}
 */
export function getoptLong(argv, spec, argv0) {
  /** @type {ParsedOpt[]} */
  const opts = [];
  /** @type {string[]} */
  const warnings = [];
  /** @type {string[]} */
  const positional = [];

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const kind = spec.long[name];
      if (kind === undefined) {
        warnings.push(`${argv0}: unrecognized option '${eq >= 0 ? a.slice(0, eq) : a}'`);
        continue;
      }
      if (kind === 'none') {
        if (eq >= 0) warnings.push(`${argv0}: option '--${name}' doesn't allow an argument`);
        else opts.push({ name, value: null });
      } else if (eq >= 0) {
        opts.push({ name, value: a.slice(eq + 1) });
      } else if (kind === 'required') {
        if (i + 1 < argv.length) opts.push({ name, value: argv[++i] });
        else warnings.push(`${argv0}: option '--${name}' requires an argument`);
      } else {
        opts.push({ name, value: null });
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // cluster of short options, e.g. -V or -c file or -cfile
      for (let j = 1; j < a.length; j++) {
        const letter = a[j];
        const name = spec.short[letter];
        if (name === undefined) {
          warnings.push(`${argv0}: invalid option -- '${letter}'`);
          continue;
        }
        const kind = spec.long[name];
        if (kind === 'none') {
          opts.push({ name, value: null });
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest) opts.push({ name, value: rest });
        else if (kind === 'required' && i + 1 < argv.length) opts.push({ name, value: argv[++i] });
        else if (kind === 'required') warnings.push(`${argv0}: option requires an argument -- '${letter}'`);
        else opts.push({ name, value: null });
        break;
      }
      continue;
    }
    positional.push(a);
  }
  return { opts, warnings, positional };
}
