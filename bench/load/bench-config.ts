/**
 * The Columba config a bench run writes: the bench's own settings, then each --columba-config
 * layered over them key by key. Appending YAML text instead (as before) broke as soon as a layer
 * named a section the bench sets itself (`auth:` for hashThreads: "Map keys must be unique").
 */
import { parse, stringify } from 'yaml';

type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` on top of `base`: sections merge, anything else (scalars, lists) replaces. */
export function layerConfig(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isTree(v) && isTree(out[k]) ? layerConfig(out[k] as Tree, v) : v;
  return out;
}

/** YAML text of `base` with each YAML layer applied in order; a layer that is not a map is an error. */
export function benchConfigYaml(base: Tree, layers: string[]): string {
  let tree = base;
  for (const text of layers) {
    if (!text.trim()) continue;
    const layer: unknown = parse(text);
    if (!isTree(layer)) throw new Error(`--columba-config: not a YAML map: ${JSON.stringify(text)}`);
    tree = layerConfig(tree, layer);
  }
  return stringify(tree);
}
