import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type PartialKeys,
  Virtualizer,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import { createComputed, createSignal, mergeProps, onCleanup, onMount } from 'solid-js';

type ElementVirtualizerOptions<TScroll extends Element, TItem extends Element> = PartialKeys<
  VirtualizerOptions<TScroll, TItem>,
  'observeElementRect' | 'observeElementOffset' | 'scrollToFn'
>;

/**
 * @tanstack/virtual-core over a scrolling element, bound to Solid as
 * @tanstack/solid-virtual binds it, but with the items in view kept in a
 * signal rather than a store. A store wraps every item object it is handed in
 * a proxy with a signal per field read, and the virtualizer keeps the item
 * objects of every row it has placed: after scrolling through 10 000 rows,
 * 30 000 signals that nothing reads, for the garbage collector to trace on
 * every pass. The items are the virtualizer's own immutable objects (a row
 * that moves gets a new one), so comparing them by reference is enough.
 *
 * `getVirtualItems()` and `getTotalSize()` of the virtualizer returned are
 * tracked; the rest is the virtualizer's own.
 */
export function createElementVirtualizer<TScroll extends Element, TItem extends Element>(
  options: ElementVirtualizerOptions<TScroll, TItem>,
): Virtualizer<TScroll, TItem> {
  const resolved = mergeProps(
    { observeElementRect, observeElementOffset, scrollToFn: elementScroll },
    options,
  ) as VirtualizerOptions<TScroll, TItem>;
  const instance = new Virtualizer<TScroll, TItem>(resolved);
  const [items, setItems] = createSignal(instance.getVirtualItems());
  const [totalSize, setTotalSize] = createSignal(instance.getTotalSize());
  const publish = () => {
    setItems(instance.getVirtualItems());
    setTotalSize(instance.getTotalSize());
  };

  onMount(() => {
    const cleanup = instance._didMount();
    instance._willUpdate();
    onCleanup(cleanup);
  });
  // The options are read anew whenever what they depend on changes (the rows, usually).
  createComputed(() => {
    instance.setOptions(
      mergeProps(resolved, options, {
        onChange: (changed: Virtualizer<TScroll, TItem>, sync: boolean) => {
          changed._willUpdate();
          publish();
          options.onChange?.(changed, sync);
        },
      }),
    );
    instance._willUpdate();
    publish();
  });

  // The virtualizer's own methods call one another on the instance itself: only calls from outside come through here.
  return new Proxy(instance, {
    get(target, property, receiver) {
      if (property === 'getVirtualItems') return items;
      if (property === 'getTotalSize') return totalSize;
      return Reflect.get(target, property, receiver);
    },
  });
}
