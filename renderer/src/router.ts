import { useEffect, useState } from 'react';

/**
 * Screens are addressed by the URL fragment, which works the same under both hosts (app:// in
 * Electron, http://127.0.0.1 in the browser host) and survives a reload.
 */
export type Route =
  | { name: 'clients' }
  | { name: 'client'; id: string }
  | { name: 'course'; id: string }
  | { name: 'logSession'; courseId: string }
  | { name: 'editSession'; id: string }
  | { name: 'consent'; courseId: string }
  | { name: 'settings' }
  | { name: 'overview' }
  | { name: 'exports' }
  | { name: 'lotRecall'; lot: string };

const ID = '([0-9a-fA-F-]{36})';
const PATTERNS: [RegExp, (m: RegExpMatchArray) => Route][] = [
  [new RegExp(`^/clients/${ID}$`), (m) => ({ name: 'client', id: m[1] as string })],
  [new RegExp(`^/courses/${ID}/log$`), (m) => ({ name: 'logSession', courseId: m[1] as string })],
  [new RegExp(`^/courses/${ID}/consent$`), (m) => ({ name: 'consent', courseId: m[1] as string })],
  [new RegExp(`^/courses/${ID}$`), (m) => ({ name: 'course', id: m[1] as string })],
  [new RegExp(`^/sessions/${ID}/edit$`), (m) => ({ name: 'editSession', id: m[1] as string })],
  [/^\/settings$/, () => ({ name: 'settings' })],
  [/^\/overview$/, () => ({ name: 'overview' })],
  [/^\/exports$/, () => ({ name: 'exports' })],
  [/^\/lot-recall(?:\/(.*))?$/, (m) => ({ name: 'lotRecall', lot: decodeLot(m[1]) })],
];

/** The lot searched for, kept in the address so Back returns to the same list. */
function decodeLot(part: string | undefined): string {
  try {
    return part ? decodeURIComponent(part) : '';
  } catch {
    return '';
  }
}

function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  for (const [re, make] of PATTERNS) {
    const m = path.match(re);
    if (m) return make(m);
  }
  return { name: 'clients' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'clients':
      return '#/';
    case 'client':
      return `#/clients/${route.id}`;
    case 'course':
      return `#/courses/${route.id}`;
    case 'logSession':
      return `#/courses/${route.courseId}/log`;
    case 'editSession':
      return `#/sessions/${route.id}/edit`;
    case 'consent':
      return `#/courses/${route.courseId}/consent`;
    case 'settings':
      return '#/settings';
    case 'overview':
      return '#/overview';
    case 'exports':
      return '#/exports';
    case 'lotRecall':
      return route.lot ? `#/lot-recall/${encodeURIComponent(route.lot)}` : '#/lot-recall';
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
