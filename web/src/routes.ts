import { useCallback, useEffect, useState } from 'react';
import { leaveConfirmation } from './app-bridge.js';

/** The admin's places, each with its own URL (the hash, which App Bridge mirrors into the admin's URL). */
export type Route =
  | { page: 'home' }
  | { page: 'program' }
  | { page: 'engagement' }
  | { page: 'customers' }
  | { page: 'customer'; customerId: string }
  | { page: 'activity' }
  | { page: 'analytics' }
  | { page: 'imports' };

export function parseRoute(hash: string): Route {
  const [first, second] = hash.replace(/^#\/?/, '').split('/');
  switch (first) {
    case 'program':
    case 'engagement':
    case 'activity':
    case 'analytics':
    case 'imports':
      return { page: first };
    case 'customers':
      return second && /^\d{1,20}$/.test(second) ? { page: 'customer', customerId: second } : { page: 'customers' };
    default:
      return { page: 'home' };
  }
}

export function routeHash(route: Route): string {
  return route.page === 'customer' ? `#/customers/${route.customerId}` : route.page === 'home' ? '#/' : `#/${route.page}`;
}

/**
 * The current route and a way to move: moving asks App Bridge's leave confirmation first, so
 * unsaved edits are never dropped without the merchant's word; back and forward follow the hash.
 */
export function useRoute(): { route: Route; navigate(route: Route): void } {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const navigate = useCallback((next: Route) => {
    void leaveConfirmation().then(() => {
      window.location.hash = routeHash(next);
    });
  }, []);
  return { route, navigate };
}
