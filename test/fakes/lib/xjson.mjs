// @ts-check
// JSON writer that reproduces XMRig's rapidjson PrettyWriter output byte for byte:
// 4-space indent, arrays of scalars on one line ("[1, 2]"), doubles always with a fraction ("0.0"),
// and 64-bit integers that a JS number cannot hold (2^64-1).

/** Verbatim JSON text (for numbers JS cannot represent or must print in a given form). */
export class Raw {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
}

/** 2^64-1: XMRig's "unknown" difficulty in benchmark mode. */
export const U64_MAX = new Raw('18446744073709551615');

/**
 * A double as rapidjson writes it: 0 -> "0.0", 515.03 -> "515.03". null/NaN/Infinity -> null.
 * @param {number | null | undefined} x
 * @returns {Raw | null}
 */
export function dbl(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const s = String(x);
  return new Raw(/[.eE]/.test(s) ? s : `${s}.0`);
}

/**
 * Json::normalize(value, true): round to 2 decimals.
 * @param {number} x
 */
export function round2(x) {
  return Math.floor(x * 100 + 0.5) / 100;
}

/** @param {unknown} v */
function isScalar(v) {
  return v === null || typeof v !== 'object' || v instanceof Raw;
}

/**
 * Serialise like XMRig's HTTP API / config writer.
 * @param {unknown} value
 * @param {string} [indent]
 * @returns {string}
 */
export function stringify(value, indent = '') {
  if (value instanceof Raw) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value !== 'object') return 'null';
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isScalar)) return `[${value.map((v) => stringify(v)).join(', ')}]`;
    return `[\n${value.map((v) => inner + stringify(v, inner)).join(',\n')}\n${indent}]`;
  }
  const obj = /** @type {Record<string, unknown>} */ (value);
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  if (keys.length === 0) return '{}';
  const members = keys.map((k) => `${inner}${JSON.stringify(k)}: ${stringify(obj[k], inner)}`);
  return `{\n${members.join(',\n')}\n${indent}}`;
}
