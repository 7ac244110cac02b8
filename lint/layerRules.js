// Lint rules over the table in lint/layers.js:
// - `layers/imports`: every import, export-from, `import()`, `require()`, `require.resolve()`,
//   `import x = require()`, `typeof import()` and `new URL('./x', import.meta.url)` names a layer or
//   package its file's layer may import; relative paths carry their extension; Node built-ins are
//   written `node:x` and only where the layer runs on Node. A specifier that cannot be read statically
//   is an error too, since nobody could check it.
// - `layers/no-sql`: SQL runs only in the layers lint/layers.js marks `sql` (db/, and the tests and
//   bench that check it): elsewhere a call of `prepare`, `pragma` or `transaction`, an `exec` on a
//   database or with SQL text, and SQL text itself (a string that reads as a statement) are errors.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerOf } from './layers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILTINS = new Set(
  builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/^node:/, '')),
);
const WHERE = 'lint/layers.js';

function repoPath(filename) {
  return path.relative(ROOT, filename).split(path.sep).join('/');
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The string a node spells out, or undefined when it is computed at run time. */
function staticString(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return undefined;
}

/**
 * For a template such as `pkg/fonts/${name}` or `./locales/${lang}.js`, a stand-in specifier with
 * the same package or folder, so the edge is still checked; undefined when the head names neither.
 */
function staticHead(node) {
  if (node?.type !== 'TemplateLiteral') return undefined;
  const head = node.quasis[0].value.cooked ?? '';
  const folder = head.slice(0, head.lastIndexOf('/') + 1);
  if (!folder) return undefined;
  if (folder.startsWith('.')) return `${folder}_.js`;
  const scoped = folder.startsWith('@');
  return folder.split('/').length > (scoped ? 2 : 1) ? `${folder}_` : undefined;
}

/** The declarator of the const that `identifier` names, if it is one. */
function constDefinition(identifier, sourceCode) {
  for (let scope = sourceCode.getScope(identifier); scope; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (!variable) continue;
    const def = variable.defs[0];
    return def?.type === 'Variable' && def.parent.kind === 'const' ? def.node : undefined;
  }
  return undefined;
}

/** Why `specifier`, imported from a file of `layer` at `file`, is not allowed; undefined when it is. */
function importProblem(layer, file, specifier) {
  const bare = specifier.split('?')[0];
  if (bare.startsWith('.') || bare.startsWith('/')) {
    if (bare.startsWith('/')) return `"${specifier}" is an absolute path: import by a relative path.`;
    if (!/\.[a-z0-9]+$/i.test(bare.split('/').pop() ?? '')) {
      return `"${specifier}" has no extension: name the file (\`.js\` for a TypeScript module).`;
    }
    const target = path.posix.join(path.posix.dirname(file), bare);
    if (target.startsWith('..')) return `"${specifier}" points outside the repository.`;
    const to = layerOf(target);
    if (!to) return `"${specifier}" points into ${target}, which belongs to no layer in ${WHERE}.`;
    if (to !== layer && !layer.layers.includes(to.name)) {
      return `${layer.name} may not import ${to.name} ("${specifier}"); it may import ${
        [layer.name, ...layer.layers].join(', ') || 'only itself'
      } (${WHERE}).`;
    }
    return undefined;
  }
  const name = bare.replace(/^node:/, '');
  if (bare.startsWith('node:') || BUILTINS.has(packageName(name))) {
    if (!layer.node) return `${layer.name} runs without Node: no Node built-ins ("${specifier}").`;
    if (!bare.startsWith('node:')) return `Write Node built-ins as "node:${name}".`;
    return undefined;
  }
  const pkg = packageName(bare);
  if (!layer.packages.includes(pkg)) {
    return `${layer.name} may not import the package ${pkg}; its packages are ${
      layer.packages.join(', ') || 'none'
    } (${WHERE}).`;
  }
  return undefined;
}

const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only the layers and packages lint/layers.js allows it.' },
    schema: [],
  },
  create(context) {
    const file = repoPath(context.filename);
    if (file.startsWith('../')) return {};
    const layer = layerOf(file);
    if (!layer) {
      return {
        Program(node) {
          context.report({ node, message: `${file} belongs to no layer: add its folder to ${WHERE}.` });
        },
      };
    }
    const check = (node, source) => {
      const specifier = staticString(source) ?? staticHead(source);
      if (specifier === undefined) {
        context.report({ node, message: 'Import a module by a literal path, so its layer can be checked.' });
        return;
      }
      const problem = importProblem(layer, file, specifier);
      if (problem) context.report({ node: source, message: problem });
    };
    // A require function: `require`, `createRequire(…)`, or a const bound to `createRequire(…)`.
    const isRequireFunction = (node) => {
      if (node.type === 'CallExpression') {
        const c = node.callee;
        return (
          (c.type === 'Identifier' && c.name === 'createRequire') ||
          (c.type === 'MemberExpression' && !c.computed && c.property.name === 'createRequire')
        );
      }
      if (node.type !== 'Identifier') return false;
      if (node.name === 'require') return true;
      const def = constDefinition(node, context.sourceCode);
      return !!def?.init && isRequireFunction(def.init);
    };
    // `require(x)`, `require.resolve(x)` and the same through createRequire.
    const isRequire = (callee) =>
      isRequireFunction(callee) ||
      (callee.type === 'MemberExpression' &&
        !callee.computed &&
        callee.property.name === 'resolve' &&
        isRequireFunction(callee.object));
    const isImportMetaUrl = (node) =>
      node?.type === 'MemberExpression' &&
      node.object.type === 'MetaProperty' &&
      node.object.meta.name === 'import' &&
      !node.computed &&
      node.property.name === 'url';
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check(node, node.moduleReference.expression),
      TSImportType: (node) =>
        check(node, node.argument.type === 'TSLiteralType' ? node.argument.literal : node.argument),
      CallExpression(node) {
        if (isRequire(node.callee)) check(node, node.arguments[0]);
        // process.getBuiltinModule('fs') is a Node built-in by another name.
        if (
          !layer.node &&
          node.callee.type === 'MemberExpression' &&
          !node.callee.computed &&
          node.callee.property.name === 'getBuiltinModule'
        ) {
          context.report({ node, message: `${layer.name} runs without Node: no Node built-ins.` });
        }
      },
      NewExpression(node) {
        if (
          node.callee.type !== 'Identifier' ||
          node.callee.name !== 'URL' ||
          !isImportMetaUrl(node.arguments[1])
        )
          return;
        // A module URL (a worker, a preload) is an import by another name; folders and data files are not.
        const specifier = staticString(node.arguments[0]);
        if (specifier === undefined || /^\..*\.[cm]?[jt]sx?$/.test(specifier)) check(node, node.arguments[0]);
      },
    };
  },
};

/** Methods only a better-sqlite3 database has. */
const SQL_METHODS = new Set(['prepare', 'pragma', 'transaction']);
/** A string that reads as an SQL statement (upper-case keywords, as this code writes them). */
const SQL_TEXT =
  /^\s*(?:SELECT\b[\s\S]*\bFROM\b|INSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b|REPLACE\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|(?:CREATE|DROP)\s+(?:TABLE|INDEX|VIEW|TRIGGER)\b|ALTER\s+TABLE\b|PRAGMA\s|VACUUM\b|ATTACH\s|WITH\s+\w+\s+AS\s*\()/;
/** A receiver that names a database: `db`, `ctx.db`, `copyDb`, `database`, `connection`. */
const DB_NAME = /^(?:db|database|connection|conn)$|Db$/i;

function literalText(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral') return node.quasis.map((q) => q.value.cooked ?? '').join('x');
  return undefined;
}

const namesDatabase = (node) =>
  (node.type === 'Identifier' && DB_NAME.test(node.name)) ||
  (node.type === 'MemberExpression' && !node.computed && DB_NAME.test(node.property.name)) ||
  (node.type === 'TSNonNullExpression' && namesDatabase(node.expression));

const noSqlRule = {
  meta: {
    type: 'problem',
    docs: { description: 'SQL runs only in db/ (and the tests and bench lint/layers.js allows).' },
    schema: [],
  },
  create(context) {
    const file = repoPath(context.filename);
    if (file.startsWith('../')) return {};
    const layer = layerOf(file);
    if (!layer || layer.sql) return {};
    const where = `${layer.name} runs no SQL: put the statement in a db/ query module and call that (${WHERE}).`;
    // The SQL text handed to a call already reported is not reported twice.
    const reported = new WeakSet();
    return {
      CallExpression(node) {
        const c = node.callee;
        if (c.type !== 'MemberExpression' || c.computed || c.property.type !== 'Identifier') return;
        const method = c.property.name;
        if (SQL_METHODS.has(method)) {
          context.report({ node, message: `\`${method}()\`: ${where}` });
          if (node.arguments[0]) reported.add(node.arguments[0]);
        } else if (
          method === 'exec' &&
          (namesDatabase(c.object) || SQL_TEXT.test(literalText(node.arguments[0]) ?? ''))
        ) {
          context.report({ node, message: `\`exec()\` on a database: ${where}` });
          if (node.arguments[0]) reported.add(node.arguments[0]);
        }
      },
      'Literal, TemplateLiteral'(node) {
        if (reported.has(node)) return;
        const text = literalText(node);
        if (text !== undefined && SQL_TEXT.test(text))
          context.report({ node, message: `SQL text: ${where}` });
      },
    };
  },
};

export const layersPlugin = { rules: { imports: importsRule, 'no-sql': noSqlRule } };
