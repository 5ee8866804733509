// ESLint rule `hashdeck/no-raw-webcontents-send`: pushing to the renderer goes through the typed event
// sender only. Reports `.send()`, `.sendToFrame()` and `.postMessage()` on anything that is a webContents
// or a frame: by name, by where it came from (`win.webContents`, `event.sender`, `webContents.fromId()`,
// aliases and destructured copies of those) or by its declared type (WebContents, WebFrameMain).
const SEND_METHODS = new Set(['send', 'sendToFrame', 'postMessage']);
const CONTENTS_PROPERTIES = new Set([
  'webContents',
  'sender',
  'mainFrame',
  'senderFrame',
  'focusedFrame',
  'hostWebContents',
]);
const CONTENTS_FACTORIES = new Set([
  'fromId',
  'fromFrame',
  'fromDevToolsTargetId',
  'getFocusedWebContents',
  'getAllWebContents',
]);
const CONTENTS_NAME = /^(webContents|webContent|contents|wc|frame)$|(Contents|Frame)$/;
const CONTENTS_TYPES = new Set(['WebContents', 'WebFrameMain']);

function propertyName(member) {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.computed && member.property.type === 'Literal') return String(member.property.value);
  return null;
}

function typeNamed(annotation) {
  const type = annotation?.typeAnnotation;
  if (!type || type.type !== 'TSTypeReference') return false;
  const name = type.typeName.type === 'TSQualifiedName' ? type.typeName.right.name : type.typeName.name;
  return CONTENTS_TYPES.has(name);
}

function findVariable(scope, name) {
  for (let s = scope; s; s = s.upper) {
    const variable = s.set.get(name);
    if (variable) return variable;
  }
  return null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Send to the renderer only through the typed event sender' },
    schema: [],
    messages: {
      raw: "Raw '{{method}}' to a webContents or frame: push events through the typed event sender (src/main/electron/ipc/event-sender.ts).",
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;

    function fromDeclaration(identifier, scope, depth) {
      const variable = findVariable(scope, identifier.name);
      if (!variable) return false;
      for (const def of variable.defs) {
        if (typeNamed(def.name.typeAnnotation)) return true;
        if (def.type !== 'Variable') continue;
        const { id, init } = def.node;
        if (id.type === 'Identifier' && init && isContentsLike(init, scope, depth + 1)) return true;
        if (id.type === 'ObjectPattern') {
          const property = id.properties.find((p) => p.type === 'Property' && p.value === def.name);
          const key =
            property && !property.computed && property.key.type === 'Identifier' ? property.key.name : null;
          if (key !== null && CONTENTS_PROPERTIES.has(key)) return true;
        }
      }
      return false;
    }

    function isContentsLike(node, scope, depth = 0) {
      if (!node || depth > 6) return false;
      switch (node.type) {
        case 'TSNonNullExpression':
        case 'TSAsExpression':
        case 'TSSatisfiesExpression':
        case 'ChainExpression':
          return isContentsLike(node.expression, scope, depth + 1);
        case 'Identifier':
          return CONTENTS_NAME.test(node.name) || fromDeclaration(node, scope, depth);
        case 'MemberExpression': {
          const name = propertyName(node);
          if (name !== null && CONTENTS_PROPERTIES.has(name)) return true;
          // webContents.getAllWebContents()[0]
          return node.computed && isContentsLike(node.object, scope, depth + 1);
        }
        case 'CallExpression': {
          const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
          return callee.type === 'MemberExpression' && CONTENTS_FACTORIES.has(propertyName(callee) ?? '');
        }
        default:
          return false;
      }
    }

    return {
      CallExpression(node) {
        const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
        if (callee.type !== 'MemberExpression') return;
        const method = propertyName(callee);
        if (method === null || !SEND_METHODS.has(method)) return;
        if (isContentsLike(callee.object, sourceCode.getScope(node))) {
          context.report({ node, messageId: 'raw', data: { method } });
        }
      },
    };
  },
};
