// @ts-check
// Environment knobs shared by the fakes (numbers, booleans, first-of-several names).

/**
 * First defined, non-empty value among env names.
 * @param {string[]} names
 * @returns {string | undefined}
 */
export function envRaw(...names) {
  for (const n of names) {
    const v = process.env[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/**
 * @param {string | string[]} names
 * @param {number} def
 * @returns {number}
 */
export function envNum(names, def) {
  const raw = envRaw(...(Array.isArray(names) ? names : [names]));
  if (raw === undefined) return def;
  const n = Number(raw);
  return Number.isFinite(n) ? n : def;
}

/**
 * @param {string | string[]} names
 * @returns {number | undefined}
 */
export function envOptNum(names) {
  const raw = envRaw(...(Array.isArray(names) ? names : [names]));
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * "1", "true", "yes", "on" are true; anything else (or unset) is false.
 * @param {string} name
 */
export function envBool(name) {
  const v = (process.env[name] ?? '').toLowerCase();
  return v === '1' || v === 'true' || v === 'yes' || v === 'on';
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
