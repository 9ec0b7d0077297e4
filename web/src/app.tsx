import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from './api/client.ts';
import {
  completeSignIn,
  currentUser,
  signOut,
  startSignIn,
  type Role,
  type SignedInUser,
} from './auth/session.ts';
import { AccessLogPage } from './pages/access-log.tsx';
import { AuditPage, DepartmentsPage, UsersPage } from './pages/admin.tsx';
import { AlertsPage } from './pages/alerts.tsx';
import { CheckInPage } from './pages/check-in.tsx';
import { ConsentsPage } from './pages/consents.tsx';
import { DashboardPage } from './pages/dashboard.tsx';
import { EmoBuddyPage } from './pages/emo-buddy.tsx';
import { MyDataPage } from './pages/my-data.tsx';
import { PeoplePage, PersonPage } from './pages/people.tsx';
import { SecurityPage } from './pages/security.tsx';
import { TrendsPage } from './pages/trends.tsx';
import { currentPath, followLink, navigate } from './router.ts';
import type { ConsoleRuntimeConfig } from './runtime-config.ts';
import { Page, Problem } from './ui/kit.tsx';

interface Destination {
  path: string;
  label: string;
  /** Who sees it: any of these roles (every user holds `employee`). */
  roles: readonly Role[];
  render: (context: {
    user: SignedInUser;
    config: ConsoleRuntimeConfig;
    param?: string;
  }) => ComponentChildren;
}

/** Every page of the console, in menu order. Pages a role cannot use are neither listed nor routed. */
export const DESTINATIONS: readonly Destination[] = [
  { path: '/check-in', label: 'Check-in', roles: ['employee'], render: () => <CheckInPage /> },
  {
    path: '/trends',
    label: 'My trends',
    roles: ['employee'],
    render: ({ user }) => <TrendsPage userId={user.id} />,
  },
  { path: '/emo-buddy', label: 'EmoBuddy', roles: ['employee'], render: () => <EmoBuddyPage /> },
  { path: '/consents', label: 'Consents', roles: ['employee'], render: () => <ConsentsPage /> },
  { path: '/access-log', label: 'Access log', roles: ['employee'], render: () => <AccessLogPage /> },
  {
    path: '/my-data',
    label: 'My data',
    roles: ['employee'],
    render: ({ config }) => (
      <MyDataPage
        graceDays={config.erasureGraceDays}
        onErased={() => void signOut(() => Promise.resolve())}
      />
    ),
  },
  {
    path: '/security',
    label: 'Security',
    roles: ['employee'],
    render: ({ config }) => <SecurityPage mfa={config.mfa} />,
  },
  { path: '/clinician/alerts', label: 'Risk alerts', roles: ['clinician'], render: () => <AlertsPage /> },
  {
    path: '/clinician/people',
    label: 'People in my care',
    roles: ['clinician'],
    render: () => <PeoplePage />,
  },
  {
    path: '/manager/dashboard',
    label: 'Dashboard',
    roles: ['manager', 'admin'],
    render: ({ config }) => <DashboardPage threshold={config.privacyThreshold} />,
  },
  { path: '/admin/users', label: 'Users', roles: ['admin'], render: () => <UsersPage /> },
  { path: '/admin/departments', label: 'Departments', roles: ['admin'], render: () => <DepartmentsPage /> },
  {
    path: '/audit',
    label: 'Audit',
    roles: ['admin', 'auditor'],
    render: ({ user }) => <AuditPage full={user.roles.includes('auditor')} />,
  },
];

const allowed = (user: SignedInUser, destination: Destination) =>
  destination.roles.some((role) => role === 'employee' || user.roles.includes(role));

/** Where each persona starts: the page they came for. */
const homeOf = (user: SignedInUser): string => {
  if (user.roles.includes('clinician')) return '/clinician/alerts';
  if (user.roles.includes('auditor')) return '/audit';
  if (user.roles.includes('admin')) return '/admin/users';
  if (user.roles.includes('manager')) return '/manager/dashboard';
  return '/check-in';
};

const SignInPage = ({ config }: { config: ConsoleRuntimeConfig }) => (
  <Page title="Welcome" intro="Your wellbeing check-ins, trends and choices about your data, in one place.">
    <button
      type="button"
      onClick={() => void startSignIn(location.pathname === '/' ? '/' : location.pathname)}
    >
      Sign in
    </button>
    <p class="hint">
      You sign in on the organisation&apos;s sign-in page
      {config.mfa === 'required' ? ', with a code from your authenticator app' : ''}, then come back here.
    </p>
    {config.local ? (
      <p class="hint">Local runtime: the sign-in page is a local stand-in for the managed login.</p>
    ) : null}
  </Page>
);

const Callback = () => {
  const [error, setError] = useState<Error | undefined>(undefined);
  useEffect(() => {
    completeSignIn(new URL(location.href)).then(
      (to) => navigate(to, { replace: true }),
      (caught: unknown) => setError(caught instanceof Error ? caught : new Error(String(caught))),
    );
  }, []);
  return (
    <Page title="Signing in">
      {error ? (
        <>
          <Problem error={error} />
          <button type="button" onClick={() => void startSignIn('/')}>
            Sign in again
          </button>
        </>
      ) : (
        <p role="status">Completing sign-in…</p>
      )}
    </Page>
  );
};

const Shell = ({ user, children }: { user: SignedInUser; children: ComponentChildren }) => {
  const [menuOpen, setMenuOpen] = useState(false);
  const path = currentPath.value;
  return (
    <>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          Mental Health Analytics
        </a>
        <button
          type="button"
          class="menu-toggle secondary"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav
          id="main-nav"
          aria-label="Main"
          class={menuOpen ? 'open' : ''}
          onClick={() => setMenuOpen(false)}
        >
          <ul>
            {DESTINATIONS.filter((d) => allowed(user, d)).map((d) => (
              <li key={d.path}>
                <a
                  href={d.path}
                  aria-current={path === d.path || path.startsWith(`${d.path}/`) ? 'page' : undefined}
                >
                  {d.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {user.name} <span class="roles">({user.roles.join(', ')})</span>
          </span>
          <button
            type="button"
            class="secondary"
            onClick={() =>
              void signOut((refreshToken) => api().POST('/auth/logout', { body: { refreshToken } }))
            }
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="content">{children}</main>
    </>
  );
};

const NotFound = () => (
  <Page title="Page not found">
    <p>
      There is no such page, or it is not for your role. <a href="/">Go to the start</a>.
    </p>
  </Page>
);

export const App = ({ config }: { config: ConsoleRuntimeConfig }) => {
  const path = currentPath.value;
  const user = currentUser.value;
  useEffect(() => {
    document.addEventListener('click', followLink);
    return () => document.removeEventListener('click', followLink);
  }, []);
  if (path === '/auth/callback')
    return (
      <main id="content">
        <Callback />
      </main>
    );
  if (!user)
    return (
      <main id="content">
        <SignInPage config={config} />
      </main>
    );
  if (path === '/') {
    navigate(homeOf(user), { replace: true });
    return null;
  }
  const person = /^\/clinician\/people\/([^/]+)$/.exec(path);
  if (person && user.roles.includes('clinician'))
    return (
      <Shell user={user}>
        <PersonPage userId={decodeURIComponent(person[1]!)} />
      </Shell>
    );
  const destination = DESTINATIONS.find((d) => d.path === path && allowed(user, d));
  return <Shell user={user}>{destination ? destination.render({ user, config }) : <NotFound />}</Shell>;
};
