// The shape of the code, checked: imports between build/'s folders point one way (model → document → layout →
// formats → commands → cli) and no module imports itself through others.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../build');

/** Each folder's place in the pipeline; a module may import from its own layer or a lower one. */
const LAYERS: Record<string, number> = {
  types: 0, 'errors.ts': 0, 'log.ts': 0, 'pool.ts': 0,
  model: 1,
  document: 2,
  print: 3,
  check: 4, epub: 4, output: 4,
  // The output folder's two helpers every writer uses: atomic writes and the one date an output carries.
  'output/write.ts': 0, 'output/date.ts': 1,
  core: 5, preview: 5, import: 5,
  commands: 6,
  'cli.ts': 7, 'bin.mjs': 7, 'compiled.mjs': 7,
};

function modules(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return modules(full);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

const layerOf = (file: string) => {
  const relative = path.relative(ROOT, file);
  if (relative in LAYERS) return LAYERS[relative];
  const top = relative.split(path.sep)[0];
  if (!(top in LAYERS)) throw new Error(`build/${top} has no layer in test/architecture.test.ts`);
  return LAYERS[top];
};

/** Relative imports of a module, resolved to files (static and dynamic `import(…)`). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => path.resolve(path.dirname(file), match[1]));
}

const graph = new Map(modules().map((file) => [file, importsOf(file).filter((target) => target.startsWith(ROOT))]));

describe('architecture', () => {
  it('imports only from the same or a lower layer', () => {
    const upward = [...graph].flatMap(([file, targets]) => targets
      .filter((target) => layerOf(target) > layerOf(file))
      .map((target) => `${path.relative(ROOT, file)} → ${path.relative(ROOT, target)}`));
    expect(upward).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((entry) => path.relative(ROOT, entry)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
