import type { JSX } from 'preact';

/**
 * The register's screens are Polaris web components: in POS they are elements of the extension's
 * own DOM, which Remote DOM mirrors onto the register. The extension builds them with `h` and draws
 * again only the parts that change, rather than rendering with Preact: Shopify CLI puts every
 * target into one bundle that each target downloads, and Preact with its hooks would be 13 KB of it
 * (docs/pos.md, "Bundle size").
 */

/**
 * The Polaris elements and their properties (`heading`, `tone`, `onClick`…) as Shopify types them:
 * as Preact's JSX elements, which importing `@shopify/ui-extensions/pos.…` declares. Only the types
 * come from Preact.
 */
type Tag = Extract<keyof JSX.IntrinsicElements, `s-${string}`>;
export type Props<K extends Tag> = Omit<JSX.IntrinsicElements[K], 'children' | 'key' | 'ref'>;
/** An element made by `h`, which remembers its tag for `set`. */
export type Polaris<K extends Tag> = HTMLElement & { readonly polarisTag?: K };
export type Child = Node | string | number | false | null | undefined | readonly Child[];

/**
 * Sets properties as Preact does: an `on…` handler listens to the lower-case event (so set each
 * handler once); a property the element has is assigned (POS's components declare theirs); anything
 * else is an attribute, removed when false or absent.
 */
export function set<K extends Tag>(element: Polaris<K>, props: Props<K>): void {
  for (const [name, value] of Object.entries(props)) {
    if (name.startsWith('on')) element.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
    else if (name in element) (element as unknown as Record<string, unknown>)[name] = value;
    else if (value === false || value == null) element.removeAttribute(name);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

/** The nodes `children` stand for: nested lists flattened, text as text, nothing for false, null and undefined. */
function nodes(children: readonly Child[]): Array<Node | string> {
  return children.flatMap((child): Array<Node | string> => {
    if (child === false || child == null) return [];
    if (Array.isArray(child)) return nodes(child);
    return [typeof child === 'number' ? String(child) : (child as Node | string)];
  });
}

/** `h('s-button', { tone: 'critical', onClick }, 'Give back')`: one element with its properties and children. */
export function h<K extends Tag>(tag: K, props?: Props<K> | null, ...children: Child[]): Polaris<K> {
  const element: Polaris<K> = document.createElement(tag as string);
  if (props) set(element, props);
  element.append(...nodes(children));
  return element;
}

/** Draws `parent` again with `children` in place of what it showed. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...nodes(children));
}
