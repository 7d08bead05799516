/**
 * The screens, who may see them, and the code each loads on first visit. One table: the shell
 * reads it for the navigation and the router for what to render.
 */
import { createElement, lazy, useState, type ComponentType } from 'react';
import { matchPath } from './router.tsx';

/**
 * guest: only without a session (signed-in people go to the board); member/admin: with one;
 * kiosk: with or without one (it uses a dashboard token of its own, never the session).
 */
export type Access = 'guest' | 'member' | 'admin' | 'kiosk';

type ScreenComponent = ComponentType<{ params: Record<string, string> }>;

export interface Route {
  path: string;
  access: Access;
  title: string;
  component: ScreenComponent;
  /** Fetches the screen's code; once it is in, the screen renders without suspending. */
  preload(): Promise<unknown>;
}

/**
 * A screen loaded on first visit. Preloaded (main.tsx does it for the first screen, alongside
 * /config.json), it renders at once: React.lazy would suspend anyway and hold the screen back
 * behind its fallback (React 19 reveals suspended content at most every 300 ms).
 */
function screen(load: () => Promise<{ default: ScreenComponent }>): Pick<Route, 'component' | 'preload'> {
  let loaded: ScreenComponent | undefined;
  const preload = () => load().then((module) => (loaded = module.default));
  const Lazy = lazy(() => preload().then((component) => ({ default: component })));
  // Chosen once per mount: switching from Lazy to the loaded type later would remount the screen.
  const component: ScreenComponent = (props) => {
    const [type] = useState(() => loaded ?? Lazy);
    return createElement(type, props);
  };
  return { component, preload };
}

const Welcome = screen(() => import('./Welcome.tsx'));
const Onboarding = screen(() => import('../onboarding/OnboardingPage.tsx'));
const FaceLogin = screen(() => import('../session/FaceLoginPage.tsx'));
const Board = screen(() => import('../board/BoardPage.tsx'));
const Dashboard = screen(() => import('../dashboard/DashboardPage.tsx'));
const Admin = screen(() => import('../admin/AdminPage.tsx'));
const Kiosk = screen(() => import('../dashboard/KioskPage.tsx'));
const BoardSettings = screen(() => import('../boards/BoardSettingsPage.tsx'));

export const routes: Route[] = [
  { path: '/', access: 'guest', title: 'Welcome', ...Welcome },
  { path: '/verify', access: 'guest', title: 'Verify your identity', ...Onboarding },
  { path: '/sign-in', access: 'guest', title: 'Sign in with your face', ...FaceLogin },
  { path: '/board', access: 'member', title: 'Board', ...Board },
  { path: '/board/:taskId', access: 'member', title: 'Board', ...Board },
  { path: '/dashboard', access: 'member', title: 'Dashboard', ...Dashboard },
  { path: '/settings', access: 'member', title: 'Board settings', ...BoardSettings },
  { path: '/admin', access: 'admin', title: 'Admin', ...Admin },
  { path: '/admin/:section', access: 'admin', title: 'Admin', ...Admin },
  { path: '/kiosk', access: 'kiosk', title: 'Wall screen', ...Kiosk },
];

/** Where a signed-in person lands. */
export const HOME = '/board';

/** The route a path shows, with its parameters. */
export function findRoute(path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}
