/**
 * The imports of the built files, read from their syntax trees (a string or comment that looks
 * like an import, e.g. a message saying "import 'airbyte-embed-kit/styles.css'", is not one).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The module specifiers of a built file, read from its syntax tree (never from strings or
 * comments): `static` from import/export declarations (and `import('x').T` types), `dynamic` from import().
 */
export function specifiers(file: string): { static: string[]; dynamic: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out = { static: [] as string[], dynamic: [] as string[] };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.static.push(node.moduleSpecifier.text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.static.push(node.argument.literal.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) out.dynamic.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Bare specifiers reachable from a built file through its relative imports; `staticOnly` skips import(). */
export function bareImports(entry: string, staticOnly: boolean, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(entry)) return out;
  seen.add(entry);
  const found = specifiers(entry);
  for (const spec of staticOnly ? found.static : [...found.static, ...found.dynamic]) {
    if (spec.startsWith('.')) for (const s of bareImports(path.resolve(path.dirname(entry), spec), staticOnly, seen)) out.add(s);
    else out.add(spec);
  }
  return out;
}

