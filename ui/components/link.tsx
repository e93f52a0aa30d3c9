import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { navigate, usePath } from '../router.js';

/** An in-app link: a real href (middle-click, copy link) that navigates without reloading. */
export function Link({ href, children, class: className }: { href: string; children: ComponentChildren; class?: string }) {
  const path = usePath();
  const go = (event: MouseEvent) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} class={className} onClick={go} aria-current={path === href ? 'page' : undefined}>{children}</a>;
}

/** Replaces the current path once rendered (navigating during render would set state mid-render). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}
