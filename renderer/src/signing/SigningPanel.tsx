import { useState } from 'react';
import type { SignedInPerson } from '../../../contract/auth.js';
import type { Session } from '../../../contract/schemas.js';
import type { SessionSigning } from '../../../contract/signing.js';
import { formatInstant } from '../format.js';
import { diffRecords } from '../session/history.js';
import { SignDialog } from './SignDialog.js';
import '../styles/signing.css';

interface Props {
  session: Session;
  signing: SessionSigning;
  who: SignedInPerson;
  onChange: (state: SessionSigning) => void;
}

/**
 * The signature block of a session: "Sign session" for the practitioner who performed it (their
 * PIN again), a manager's optional co-signature, and every addendum since, each with who, when,
 * why and the values before and after, so the record as signed stays readable beside it.
 */
export function SigningPanel({ session, signing, who, onChange }: Props) {
  const [asking, setAsking] = useState<'author' | 'cosigner' | null>(null);
  const author = signing.signatures.find((s) => s.role === 'author');
  const cosigner = signing.signatures.find((s) => s.role === 'cosigner');
  const canSign = !author && session.practitionerId === who.id;
  const canCosign = author && !cosigner && who.role === 'manager' && author.practitionerId !== who.id;

  return (
    <section className={`sg-panel${author ? ' sg-signed' : ''}`} aria-labelledby="sg-title">
      <div className="sg-head">
        <h2 id="sg-title">{author ? 'Signed session' : 'Not signed yet'}</h2>
        <div className="sg-buttons">
          {canSign && (
            <button type="button" className="button primary" onClick={() => setAsking('author')}>
              Sign session
            </button>
          )}
          {canCosign && (
            <button type="button" className="button" onClick={() => setAsking('cosigner')}>
              Co-sign
            </button>
          )}
        </div>
      </div>
      {author ? (
        <>
          <p className="sg-line">
            Signed by <strong>{author.practitionerName}</strong> on {formatInstant(author.signedAt)}
            {cosigner && (
              <>
                ; co-signed by <strong>{cosigner.practitionerName}</strong> on{' '}
                {formatInstant(cosigner.signedAt)}
              </>
            )}
            .
          </p>
          <p className="muted sg-note">
            The record is locked. A correction is saved as an addendum: change the fields below, give the
            reason, and save. The signed record stays as it was.
          </p>
        </>
      ) : (
        <p className="muted sg-note">
          {canSign
            ? 'When the session is complete, sign it: the record is then locked, and later corrections become addenda.'
            : `${session.practitionerName}, who performed this session, signs it.`}
        </p>
      )}
      {signing.consentOverride && (
        <p className="sg-override">
          Logged without signed consent on file by {signing.consentOverride.actorName} on{' '}
          {formatInstant(signing.consentOverride.at)}. Reason: {signing.consentOverride.reason}
        </p>
      )}
      {signing.addenda.length > 0 && (
        <div className="sg-addenda">
          <h3>Addenda</h3>
          <ol>
            {signing.addenda.map((a, i) => {
              const changes = diffRecords(a.changes.before, a.changes.after);
              return (
                <li key={a.id} className="sg-addendum" aria-label={`Addendum ${i + 1}`}>
                  <p className="sg-addendum-head">
                    <strong>Addendum {i + 1}</strong> · {formatInstant(a.at)} · {a.authorName}
                  </p>
                  <p>
                    <span className="muted">Reason:</span> {a.reason}
                  </p>
                  {changes.length === 0 ? (
                    <p className="muted">No field changed (a note).</p>
                  ) : (
                    <table className="sg-changes">
                      <thead>
                        <tr>
                          <th scope="col">Field</th>
                          <th scope="col">As before</th>
                          <th scope="col">Corrected to</th>
                        </tr>
                      </thead>
                      <tbody>
                        {changes.map((c) => (
                          <tr key={c.key}>
                            <th scope="row">{c.label}</th>
                            <td className="sg-before">{c.before}</td>
                            <td>{c.after}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </li>
              );
            })}
          </ol>
        </div>
      )}
      {asking && (
        <SignDialog
          sessionId={session.id}
          sessionNumber={session.number}
          role={asking}
          signerName={who.name}
          onSigned={(state) => {
            setAsking(null);
            onChange(state);
          }}
          onCancel={() => setAsking(null)}
        />
      )}
    </section>
  );
}
