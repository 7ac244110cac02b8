import { useState, type FormEvent } from 'react';
import type { SignedInPerson } from '../../../contract/auth.js';
import {
  PHOTO_CONSENT_SCOPES,
  PHOTO_CONSENT_SCOPE_HINTS,
  PHOTO_CONSENTS,
  type PhotoConsent,
} from '../../../contract/domain.js';
import type { Client, Course, Settings } from '../../../contract/schemas.js';
import type { ConsentSignature, CourseConsent } from '../../../contract/signing.js';
import { Field } from '../components/Field.js';
import { LoadFailure } from '../components/LoadFailure.js';
import { useClient } from '../data/clients.js';
import { useSettings } from '../data/clinic.js';
import { useCourse } from '../data/courses.js';
import { allOf, type PageData } from '../data/query.js';
import { useSignConsent } from '../data/signing.js';
import { clientName, courseTitle, formatInstant } from '../format.js';
import { href } from '../router.js';
import { SignatureField, SignatureImage } from './SignaturePad.js';
import { PhotoScopeChoice } from '../photos/PhotoScopeChoice.js';
import '../styles/signing.css';

interface Loaded {
  course: Course;
  client: Client;
  settings: Settings;
}

/** What the consent form shows, read afresh when it opens. */
function useConsentPage(courseId: string): PageData<Loaded> {
  const course = useCourse(courseId);
  const settings = useSettings();
  const client = useClient(course.data?.clientId);
  return allOf({ course, settings, client }, true);
}

const SCOPE_LABELS: Record<PhotoConsent, string> = { none: 'None: no photos', ...PHOTO_CONSENT_SCOPES };

/** The consent form of a course, read with the client and signed on screen by both. */
export function ConsentPage({ courseId, who }: { courseId: string; who: SignedInPerson }) {
  const state = useConsentPage(courseId);
  if (state.status === 'loading') return <p className="muted">Opening the consent form…</p>;
  if (state.status === 'error') return <LoadFailure what="consent form" message={state.message} />;
  return <ConsentForm loaded={state.data} who={who} />;
}

function ConsentForm({ loaded, who }: { loaded: Loaded; who: SignedInPerson }) {
  const { course, client, settings } = loaded;
  const template = settings.consentTemplate;
  const [scope, setScope] = useState<PhotoConsent | null>(null);
  const [name, setName] = useState(clientName(client));
  const [clientSig, setClientSig] = useState<ConsentSignature | null>(null);
  const [practitionerSig, setPractitionerSig] = useState<ConsentSignature | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<CourseConsent | null>(null);
  const signConsent = useSignConsent();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (saving) return;
    const missing: Record<string, string> = {};
    if (!scope) missing.photoScope = 'Choose what photos may be used for (or none).';
    if (!clientSig) {
      missing.clientSignature =
        'The client signs in the box first. Or, to sign by keyboard: "Type the name", then tick the box.';
    }
    if (!practitionerSig) {
      missing.practitionerSignature =
        'Sign in the box first. Or, to sign by keyboard: "Type the name", then tick the box.';
    }
    if (Object.keys(missing).length > 0 || !scope || !clientSig || !practitionerSig) {
      setErrors(missing);
      return;
    }
    setSaving(true);
    const reply = await signConsent({
      courseId: course.id,
      templateVersion: template.version,
      photoScope: scope,
      clientName: name,
      clientSignature: clientSig,
      practitionerSignature: practitionerSig,
    });
    setSaving(false);
    if (reply.ok) setSaved(reply.value);
    else setErrors({ [reply.error.field?.split('.')[0] ?? 'form']: reply.error.message });
  }

  const back = (
    <a className="button" href={href({ name: 'course', id: course.id })}>
      Back to course
    </a>
  );

  return (
    <article className="record-page cs-page" aria-labelledby="consent-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={href({ name: 'client', id: client.id })}>{clientName(client)}</a>
        <span aria-hidden="true"> › </span>
        <a href={href({ name: 'course', id: course.id })}>{courseTitle(course)}</a>
      </nav>
      <h1 id="consent-title">Consent</h1>
      {saved ? (
        <section className="card" role="status" aria-labelledby="consent-done">
          <h2 id="consent-done">Consent signed</h2>
          <ConsentRecord consent={saved} />
          <div className="form-actions">{back}</div>
        </section>
      ) : (
        <form noValidate onSubmit={(e) => void submit(e)} className="card stack-form">
          <h2>
            {template.title} <span className="muted">(version {template.version})</span>
          </h2>
          <div className="cs-form-text" tabIndex={0} aria-label="Consent form text">
            {template.body}
          </div>
          {errors.form && (
            <p role="alert" className="form-summary">
              {errors.form}
            </p>
          )}
          <PhotoScopeChoice
            name="cs-scope"
            legend="Photos may be used for"
            scopes={PHOTO_CONSENTS}
            label={(k) => SCOPE_LABELS[k]}
            hint={(k) => (k === 'none' ? 'No photos are taken or kept.' : PHOTO_CONSENT_SCOPE_HINTS[k])}
            value={scope}
            onChange={(k) => {
              setScope(k);
              setErrors(({ photoScope: _, ...rest }) => rest);
            }}
            error={errors.photoScope}
          />
          <Field id="cs-client-name" label="Client name, as signed" error={errors.clientName}>
            {(a) => <input {...a} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <div className="cs-pads">
            <SignatureField
              id="cs-client-pad"
              label="Client signature"
              error={errors.clientSignature}
              onChange={(s) => {
                setClientSig(s);
                setErrors(({ clientSignature: _, ...rest }) => rest);
              }}
            />
            <SignatureField
              id="cs-practitioner-pad"
              label={`Practitioner signature (${who.name})`}
              error={errors.practitionerSignature}
              onChange={(s) => {
                setPractitionerSig(s);
                setErrors(({ practitionerSignature: _, ...rest }) => rest);
              }}
            />
          </div>
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save signed consent'}
            </button>
            {back}
          </div>
        </form>
      )}
    </article>
  );
}

/** A signed consent as kept: form, version, time, scope and both signatures. */
function ConsentRecord({ consent }: { consent: CourseConsent }) {
  return (
    <div className="cs-record">
      <p>
        <strong>{consent.title}</strong> (version {consent.templateVersion}), signed{' '}
        {formatInstant(consent.signedAt)}. Photos:{' '}
        {consent.photoScope === 'none' ? 'none' : PHOTO_CONSENT_SCOPES[consent.photoScope]}.
      </p>
      <div className="cs-pads">
        <figure>
          <SignatureImage signature={consent.clientSignature} label={`Signature of ${consent.clientName}`} />
          <figcaption className="muted">Client: {consent.clientName}</figcaption>
        </figure>
        <figure>
          <SignatureImage
            signature={consent.practitionerSignature}
            label={`Signature of ${consent.practitionerName}`}
          />
          <figcaption className="muted">Practitioner: {consent.practitionerName}</figcaption>
        </figure>
      </div>
    </div>
  );
}

/** The course page's consent card: the latest signed form, or a way to sign one. */
export function CourseConsentCard({ courseId, consents }: { courseId: string; consents: CourseConsent[] }) {
  const [latest] = consents;
  return (
    <section className="card" aria-labelledby="course-consent-title">
      <h2 id="course-consent-title">Consent</h2>
      {latest ? (
        <ConsentRecord consent={latest} />
      ) : (
        <p className="sg-override">No signed consent is on file for this course.</p>
      )}
      <a className="button" href={href({ name: 'consent', courseId })}>
        {latest ? 'Sign a new consent form' : 'Sign consent'}
      </a>
    </section>
  );
}
