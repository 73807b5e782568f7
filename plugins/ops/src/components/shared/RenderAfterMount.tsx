import { Progress } from '@backstage/core-components';
import { ReactNode, useEffect, useState } from 'react';

/**
 * Renders a page's children from the update that follows its first commit,
 * and a progress bar in that first commit.
 *
 * Why: a lazily loaded page (a routable extension, a PageBlueprint loader)
 * first renders after its code arrives, in React's retry lane, a render that
 * any more urgent update interrupts and restarts. Backstage's Header and
 * ContentHeader set the document title through react-helmet while they
 * render, and the notifications sidebar item's title counter answers every
 * title change with a state update (backstage/backstage#24866): each attempt
 * to render the page set the title, the counter's update restarted it, and
 * the page stayed on its spinner for good. The update made from an effect
 * renders in the default lane, which nothing interrupts.
 */
export function RenderAfterMount(props: { children: ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? <>{props.children}</> : <Progress />;
}
