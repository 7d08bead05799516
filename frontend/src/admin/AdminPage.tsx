/**
 * The admin screens (`/admin/:section`): the review queue, the users, the audit log, one at a
 * time behind a row of links (links, not ARIA tabs: each section has its own address, so it can
 * be bookmarked and the back button works). `/admin` shows the review queue.
 */
import { Link } from '../app/router.tsx';
import { EmptyState } from '../ui/feedback.tsx';
import { AuditPanel } from './audit/AuditPanel.tsx';
import { ReviewQueue } from './reviews/ReviewQueue.tsx';
import { UsersPanel } from './users/UsersPanel.tsx';
import './admin.css';

const SECTIONS = [
  { id: 'reviews', label: 'Reviews', component: ReviewQueue },
  { id: 'users', label: 'Users', component: UsersPanel },
  { id: 'audit', label: 'Audit log', component: AuditPanel },
] as const;

export default function AdminPage({ params }: { params: Record<string, string> }) {
  const current = params.section ?? 'reviews';
  const section = SECTIONS.find((candidate) => candidate.id === current);
  return (
    <section className="admin" aria-labelledby="admin-title">
      <header className="admin-header">
        <h1 id="admin-title">Admin</h1>
        <nav aria-label="Admin sections" className="admin-tabs">
          {SECTIONS.map(({ id, label }) => (
            <Link key={id} to={`/admin/${id}`} className="admin-tab" aria-current={id === current ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
      </header>
      {section ? (
        <section.component />
      ) : (
        <EmptyState title="There is no such admin section">
          <p>
            The admin screens are <Link to="/admin/reviews">Reviews</Link>, <Link to="/admin/users">Users</Link> and{' '}
            <Link to="/admin/audit">Audit log</Link>.
          </p>
        </EmptyState>
      )}
    </section>
  );
}
