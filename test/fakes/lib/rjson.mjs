// @ts-check
// JSON reader with XMRig's rapidjson flags (comments and trailing commas allowed) that reports the
// same error strings as rapidjson's GetParseError_En, e.g. "Invalid value." for garbage.

const ERR = {
  empty: 'The document is empty.',
  notSingular: 'The document root must not be followed by other values.',
  invalid: 'Invalid value.',
  missName: 'Missing a name for object member.',
  missColon: 'Missing a colon after a name of object member.',
  missCommaCurly: "Missing a comma or '}' after an object member.",
  missCommaSquare: "Missing a comma or ']' after an array element.",
  badHex: 'Incorrect hex digit after \\u escape in string.',
  badEscape: 'Invalid escape character in string.',
  missQuote: 'Missing a closing quotation mark in string.',
  badEncoding: 'Invalid encoding in string.',
  missFraction: 'Miss fraction part in number.',
  missExponent: 'Miss exponent in number.',
  syntax: 'Unspecific syntax error.',
};

class ParseError extends Error {
  /** @param {string} message @param {number} offset */
  constructor(message, offset) {
    super(message);
    this.offset = offset;
  }
}

/**
 * @param {string} text
 * @returns {{ ok: true, value: unknown } | { ok: false, error: string, offset: number }}
 */
export function parseLenient(text) {
  let i = 0;
  /** @param {string} m @returns {never} */
  const fail = (m) => {
    throw new ParseError(m, i);
  };

  const skip = () => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') i++;
      else if (c === '/' && text[i + 1] === '/') {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail(ERR.syntax);
        i = end + 2;
      } else if (c === '/') fail(ERR.syntax);
      else return;
    }
  };

  const str = () => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail(ERR.missQuote);
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        const map = /** @type {Record<string, string>} */ ({
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        });
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(ERR.badHex);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && e in map) {
          out += map[e];
          i += 2;
        } else fail(ERR.badEscape);
      } else if (c.charCodeAt(0) < 0x20) fail(ERR.badEncoding);
      else {
        out += c;
        i++;
      }
    }
  };

  const num = () => {
    const start = i;
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (text[i] >= '1' && text[i] <= '9') while (text[i] >= '0' && text[i] <= '9') i++;
    else fail(ERR.invalid);
    if (text[i] === '.') {
      i++;
      if (!(text[i] >= '0' && text[i] <= '9')) fail(ERR.missFraction);
      while (text[i] >= '0' && text[i] <= '9') i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!(text[i] >= '0' && text[i] <= '9')) fail(ERR.missExponent);
      while (text[i] >= '0' && text[i] <= '9') i++;
    }
    return Number(text.slice(start, i));
  };

  /** @returns {unknown} */
  const value = () => {
    const c = text[i];
    if (c === '{') {
      i++;
      /** @type {Record<string, unknown>} */
      const obj = {};
      skip();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        if (text[i] !== '"') fail(ERR.missName);
        const key = str();
        skip();
        if (text[i] !== ':') fail(ERR.missColon);
        i++;
        skip();
        obj[key] = value();
        skip();
        if (text[i] === ',') {
          i++;
          skip();
          if (text[i] === '}') {
            i++;
            return obj; // trailing comma
          }
        } else if (text[i] === '}') {
          i++;
          return obj;
        } else fail(ERR.missCommaCurly);
      }
    }
    if (c === '[') {
      i++;
      /** @type {unknown[]} */
      const arr = [];
      skip();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        skip();
        if (text[i] === ',') {
          i++;
          skip();
          if (text[i] === ']') {
            i++;
            return arr;
          }
        } else if (text[i] === ']') {
          i++;
          return arr;
        } else fail(ERR.missCommaSquare);
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    return fail(ERR.invalid);
  };

  try {
    skip();
    if (i >= text.length) fail(ERR.empty);
    const v = value();
    skip();
    if (i < text.length) fail(ERR.notSingular);
    return { ok: true, value: v };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message, offset: e.offset };
    throw e;
  }
}

/**
 * @param {unknown} v
 * @returns {v is Record<string, any>}
 */
export function isPlainObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
