// An emulation of glibc getopt_long (default PERMUTE ordering) over an argv array: it tells, for every
// token, which option of the table the miner would see, so checks apply to the meaning, not the spelling.

export interface LongOption {
  /** Full name without the leading "--". */
  name: string;
  /** 0 = no argument, 1 = required (`--x=v` or `--x v`), 2 = optional (only `--x=v`). */
  hasArg: 0 | 1 | 2;
  /** What getopt returns for it; entries sharing key and hasArg are aliases, never ambiguous. */
  key: string;
}

export interface OptionTable {
  long: readonly LongOption[];
  /** getopt's optstring: a character per option, ":" after it for a required argument. */
  short: string;
  /** Short option character -> key (the value getopt returns for it). */
  shortKeys: Readonly<Record<string, string>>;
  /** Exact argv strings the program checks itself before getopt (no prefixes, anywhere in argv). */
  exactOnly: readonly { spelled: string; key: string }[];
}

/** One thing the program would act on. `token` is the argv element as typed, `spelled` the option part. */
export type Resolved =
  | {
      kind: 'option';
      /** The long option name (the first alias for a short option), or the short character if none. */
      option: string;
      key: string;
      value: string | null;
      spelled: string;
      token: string;
    }
  | { kind: 'exact'; key: string; spelled: string; token: string }
  | { kind: 'unknown'; spelled: string; token: string }
  | { kind: 'ambiguous'; spelled: string; token: string; candidates: string[] }
  | { kind: 'missing-value'; option: string; key: string; spelled: string; token: string }
  | { kind: 'unexpected-value'; option: string; key: string; spelled: string; token: string }
  | { kind: 'operand'; token: string; afterTerminator: boolean }
  | { kind: 'terminator'; token: string };

function longName(table: OptionTable, key: string): string {
  return table.long.find((o) => o.key === key)?.name ?? key;
}

/**
 * glibc process_long_option: an exact name wins; otherwise every entry the name is a prefix of is a
 * candidate, and the first one is taken only if all candidates have its has_arg and key.
 */
function findLong(table: OptionTable, name: string): LongOption | string[] | null {
  const exact = table.long.find((o) => o.name === name);
  if (exact) return exact;
  const matches = table.long.filter((o) => o.name.startsWith(name));
  const first = matches[0];
  if (!first) return null;
  if (matches.every((m) => m.hasArg === first.hasArg && m.key === first.key)) return first;
  return matches.map((m) => m.name);
}

/** Resolves argv the way getopt_long(argc, argv, table.short, table.long) plus the exact checks would. */
export function resolveArgv(argv: readonly string[], table: OptionTable): Resolved[] {
  const out: Resolved[] = [];
  const exact = new Map(table.exactOnly.map((e) => [e.spelled, e.key]));
  // The program looks for its exact strings in the whole argv, whatever getopt makes of them.
  const exactAt = (token: string): void => {
    const key = exact.get(token);
    if (key !== undefined) out.push({ kind: 'exact', key, spelled: token, token });
  };
  let terminated = false;
  let i = 0;
  while (i < argv.length) {
    const token = argv[i] as string;
    i++;
    if (terminated) {
      out.push({ kind: 'operand', token, afterTerminator: true });
      exactAt(token);
      continue;
    }
    if (token === '--') {
      out.push({ kind: 'terminator', token });
      terminated = true;
      continue;
    }
    if (exact.has(token)) {
      exactAt(token);
      continue;
    }
    // A non-option ("x", or "-" alone): with PERMUTE ordering getopt skips it and keeps parsing options.
    if (!token.startsWith('-') || token === '-') {
      out.push({ kind: 'operand', token, afterTerminator: false });
      continue;
    }
    if (token.startsWith('--')) {
      const body = token.slice(2);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const inline = eq < 0 ? null : body.slice(eq + 1);
      const spelled = `--${name}`;
      const found = findLong(table, name);
      if (found === null) {
        out.push({ kind: 'unknown', spelled, token });
        continue;
      }
      if (Array.isArray(found)) {
        out.push({ kind: 'ambiguous', spelled, token, candidates: found });
        continue;
      }
      const base = { option: found.name, key: found.key, spelled, token };
      if (inline !== null) {
        out.push(
          found.hasArg === 0
            ? { kind: 'unexpected-value', ...base }
            : { kind: 'option', ...base, value: inline },
        );
      } else if (found.hasArg === 1) {
        // glibc takes the next element as the value whatever it looks like, "--x" and "--" included.
        const next = argv[i];
        if (next === undefined) {
          out.push({ kind: 'missing-value', ...base });
        } else {
          i++;
          out.push({ kind: 'option', ...base, value: next });
          exactAt(next);
        }
      } else {
        out.push({ kind: 'option', ...base, value: null });
      }
      continue;
    }
    // Short options, possibly joined ("-Bk"); one taking an argument ends the cluster ("-c/x", "-t4").
    for (let j = 1; j < token.length; j++) {
      const c = token[j] as string;
      const spelled = `-${c}`;
      const at = c === ':' || c === ';' ? -1 : table.short.indexOf(c);
      const key = table.shortKeys[c];
      if (at < 0 || key === undefined) {
        out.push({ kind: 'unknown', spelled, token });
        continue;
      }
      const base = { option: longName(table, key), key, spelled, token };
      if (table.short[at + 1] !== ':') {
        out.push({ kind: 'option', ...base, value: null });
        continue;
      }
      const rest = token.slice(j + 1);
      const optional = table.short[at + 2] === ':';
      if (rest !== '' || optional) {
        out.push({ kind: 'option', ...base, value: rest === '' ? null : rest });
      } else {
        const next = argv[i];
        if (next === undefined) {
          out.push({ kind: 'missing-value', ...base });
        } else {
          i++;
          out.push({ kind: 'option', ...base, value: next });
          exactAt(next);
        }
      }
      break;
    }
  }
  return out;
}
