/** Audit entries as a table (cards on a phone): when, what, who, to whom, how it ended, from where, details. */
import type { AuditLogQuery } from '../../generated/graphql.ts';
import { formatDateTime } from '../format.ts';
import { ACTION_LABELS, detailsOf, partyOf, targetOf, type Directory, type Party } from './audit-format.ts';

type Entry = AuditLogQuery['auditLog']['items'][number];

export function AuditTable({ entries, users }: { entries: Entry[]; users: Directory }) {
  return (
    <table className="admin-table admin-audit">
      <caption className="visually-hidden">Audit log entries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Action</th>
          <th scope="col">Who</th>
          <th scope="col">Target</th>
          <th scope="col">Outcome</th>
          <th scope="col">Source IP</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => {
          const details = detailsOf(entry.details, users);
          return (
            <tr key={entry.id}>
              <td data-label="When">
                <time dateTime={entry.at}>{formatDateTime(entry.at, { seconds: true })}</time>
              </td>
              <th scope="row" data-label="Action">
                {ACTION_LABELS[entry.action] ?? entry.action}
              </th>
              <td data-label="Who">
                <PartyCell party={partyOf(entry.actorId, users)} />
              </td>
              <td data-label="Target">
                <PartyCell party={targetOf(entry, users)} />
              </td>
              <td data-label="Outcome">{entry.outcome ? <span className={`admin-pill admin-outcome admin-outcome-${outcomeTone(entry.outcome)}`}>{entry.outcome}</span> : <span className="admin-muted">—</span>}</td>
              <td data-label="Source IP">{entry.sourceIp ? <code>{entry.sourceIp}</code> : <span className="admin-muted">—</span>}</td>
              <td data-label="Details">
                {details.length ? (
                  <dl className="admin-details">
                    {details.map((detail) => (
                      <div key={detail.label}>
                        <dt>{detail.label}</dt>
                        <dd>{detail.value}</dd>
                      </div>
                    ))}
                  </dl>
                ) : (
                  <span className="admin-muted">—</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function PartyCell({ party }: { party: Party }) {
  return (
    <span>
      {/* An email as the label breaks anywhere (it has no spaces); names and words do not. */}
      <span className={party.label.includes('@') ? 'admin-party admin-break' : 'admin-party'}>{party.label}</span>
      {party.detail && <span className="admin-party-detail">{party.detail}</span>}
    </span>
  );
}

/** Refusals read red, successes green, the rest neutral. */
function outcomeTone(outcome: string): 'bad' | 'good' | 'plain' {
  if (/REJECT|FAIL|LIMIT|DENIED|REFUSED|INVALID|EXPIRED|ERROR|COOLING/i.test(outcome)) return 'bad';
  if (/VERIFIED|APPROVED|ACTIVE|ISSUED|OK|SUCCESS/i.test(outcome)) return 'good';
  return 'plain';
}
