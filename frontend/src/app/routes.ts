/**
 * The screens, who may see them, and the code each loads on first visit. One table: the shell
 * reads it for the navigation and the router for what to render.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** guest: only without a session (signed-in people go to the board); member/admin: with one. */
export type Access = 'guest' | 'member' | 'admin';

export interface Route {
  path: string;
  access: Access;
  title: string;
  component: LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
}

const Welcome = lazy(() => import('./Welcome.tsx'));
const Onboarding = lazy(() => import('../onboarding/OnboardingPage.tsx'));
const FaceLogin = lazy(() => import('../session/FaceLoginPage.tsx'));
const Board = lazy(() => import('../board/BoardPage.tsx'));
const Dashboard = lazy(() => import('../dashboard/DashboardPage.tsx'));
const Admin = lazy(() => import('../admin/AdminPage.tsx'));

export const routes: Route[] = [
  { path: '/', access: 'guest', title: 'Welcome', component: Welcome },
  { path: '/verify', access: 'guest', title: 'Verify your identity', component: Onboarding },
  { path: '/sign-in', access: 'guest', title: 'Sign in with your face', component: FaceLogin },
  { path: '/board', access: 'member', title: 'Board', component: Board },
  { path: '/board/:taskId', access: 'member', title: 'Board', component: Board },
  { path: '/dashboard', access: 'member', title: 'Dashboard', component: Dashboard },
  { path: '/admin', access: 'admin', title: 'Admin', component: Admin },
  { path: '/admin/:section', access: 'admin', title: 'Admin', component: Admin },
];

/** Where a signed-in person lands. */
export const HOME = '/board';
