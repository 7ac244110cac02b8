import { PasswordField } from '../components/PasswordField.js';

/** The one line every export screen shows: only archive bundles are encrypted. */
export function PlaintextNote() {
  return (
    <p className="muted export-plaintext-note">
      CSV and PDF files are not encrypted: anyone with the file can read it. Archive bundles are encrypted
      with a passphrase.
    </p>
  );
}

/** The passphrase an archive bundle is encrypted with: the clinic's by default, or one for its recipient. */
export function BundlePassphraseField({
  id,
  value,
  onChange,
  error,
  forImport = false,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  forImport?: boolean;
}) {
  return (
    <PasswordField
      id={id}
      label="Bundle passphrase"
      error={error}
      autoComplete="off"
      value={value}
      onChange={onChange}
      hint={
        forImport
          ? 'The passphrase the bundle was exported with (by default the passphrase of the clinic it came from).'
          : 'The clinic passphrase, or another one (at least 10 characters) to tell whoever will import the bundle.'
      }
    />
  );
}
