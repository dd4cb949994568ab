import { Link, useLocation } from 'wouter';
import { useSessionStore } from '../lib/stores/session.js';
import { Icon } from './icons.js';
import { NAV } from './routes.js';
import { useSignOut } from './use-sign-out.js';

export function Nav() {
  const [location] = useLocation();
  const user = useSessionStore((state) => state.user);
  const signOut = useSignOut();
  return (
    <nav className="nav" aria-label="Main">
      <div className="nav-brand">
        <span className="nav-logo" aria-hidden>
          N
        </span>
        Nexus
      </div>
      <ul className="nav-list">
        {NAV.map((item, index) => {
          const current = location === item.path || location.startsWith(`${item.path}/`);
          return (
            <li key={item.path}>
              <Link
                href={item.path}
                className={current ? 'nav-link nav-link-current' : 'nav-link'}
                aria-current={current ? 'page' : undefined}
                title={`${item.label} (g then ${item.key}, or Ctrl+${index + 1})`}
              >
                <Icon name={item.icon} />
                <span className="nav-label">{item.label}</span>
                <kbd className="nav-key" aria-hidden>
                  {item.key.toUpperCase()}
                </kbd>
              </Link>
            </li>
          );
        })}
      </ul>
      {user && (
        <div className="nav-user">
          <div className="nav-user-name" title={user.email}>
            {user.name || user.email}
          </div>
          <div className="nav-user-meta">
            {user.role} ·{' '}
            <button type="button" className="nav-signout" onClick={signOut.request} disabled={signOut.busy}>
              Sign out
            </button>
          </div>
          {signOut.dialog}
        </div>
      )}
    </nav>
  );
}
