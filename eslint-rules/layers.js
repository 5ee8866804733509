// ESLint rule `hashdeck/layers`: each source layer may import only from the folders it lists (an
// allow-list resolved from the importing file, so `../core`, `../../main/core/x` and index imports are all
// caught) and only the packages it may use (electron, node built-ins, npm packages).
import { builtinModules } from 'node:module';
import path from 'node:path';

const BUILTINS = new Set(builtinModules);
const DEFAULT_TEST_FILES = '\\.test\\.tsx?$';

const toPosix = (p) => p.split(path.sep).join('/');
const inside = (target, dir) => target === dir || target.startsWith(`${dir}/`);

/** `@scope/pkg/x` -> `@scope/pkg`, `pkg/x` -> `pkg`. */
function packageName(source) {
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const layerSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    dir: { type: 'string' },
    allow: { type: 'array', items: { type: 'string' } },
    testAllow: { type: 'array', items: { type: 'string' } },
    electron: { type: 'boolean' },
    nodeBuiltins: { type: 'boolean' },
    packages: { type: 'array', items: { type: 'string' } },
    why: { type: 'string' },
  },
  required: ['name', 'dir', 'allow'],
  additionalProperties: false,
};

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only from the folders and packages it is allowed' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          testFiles: { type: 'string' },
          layers: { type: 'array', items: layerSchema },
        },
        required: ['layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      folder: "{{layer}} may import only from {{allowed}}; '{{source}}' is {{target}}. {{why}}",
      electron: '{{layer}} may not import electron. {{why}}',
      builtin: "{{layer}} may not import the Node built-in '{{source}}'. {{why}}",
      package: "{{layer}} may import no npm package but {{allowed}}; '{{source}}' is not one. {{why}}",
    },
  },
  create(context) {
    const options = context.options[0];
    const root = options.root ?? context.cwd;
    const filename = context.physicalFilename ?? context.filename;
    const file = toPosix(path.relative(root, filename));
    const layer = options.layers
      .filter((l) => inside(file, l.dir))
      .sort((a, b) => b.dir.length - a.dir.length)[0];
    if (!layer) return {};
    const isTest = new RegExp(options.testFiles ?? DEFAULT_TEST_FILES).test(file);
    const allowed = [...layer.allow, ...(isTest ? (layer.testAllow ?? []) : [])];
    const why = layer.why ?? '';

    function check(node, source) {
      if (typeof source !== 'string') return;
      if (source.startsWith('.') || path.isAbsolute(source)) {
        const target = toPosix(path.relative(root, path.resolve(path.dirname(filename), source)));
        if (allowed.some((dir) => inside(target, dir))) return;
        context.report({
          node,
          messageId: 'folder',
          data: { layer: layer.name, allowed: allowed.join(', '), source, target, why },
        });
        return;
      }
      const builtin = source.startsWith('node:') || BUILTINS.has(source);
      if (builtin) {
        if (layer.nodeBuiltins === false)
          context.report({ node, messageId: 'builtin', data: { layer: layer.name, source, why } });
        return;
      }
      const pkg = packageName(source);
      if (pkg === 'electron') {
        if (layer.electron === false)
          context.report({ node, messageId: 'electron', data: { layer: layer.name, why } });
        return;
      }
      // Tests may use their runner and helpers; the restriction is about what ships.
      if (layer.packages && !isTest && !layer.packages.includes(pkg)) {
        context.report({
          node,
          messageId: 'package',
          data: { layer: layer.name, allowed: layer.packages.join(', ') || 'electron', source, why },
        });
      }
    }

    const literal = (node) => (node && node.type === 'Literal' ? node.value : undefined);
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, literal(node.source)),
      TSExternalModuleReference: (node) => check(node, literal(node.expression)),
      TSImportType: (node) => check(node, literal(node.argument?.literal ?? node.argument)),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require')
          check(node, literal(node.arguments[0]));
      },
    };
  },
};
