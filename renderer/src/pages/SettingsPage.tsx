import type { Shell } from '../App.js';
import { BackupsSection } from './BackupsSection.js';
import { SyncSection } from './SyncSection.js';
import { ActivityLogSection } from './ActivityLogSection.js';
import { PhotoSetsSection } from './PhotoSetsSection.js';
import { ConsentFormSection } from '../signing/ConsentFormSection.js';
import { ChangePinSection } from '../auth/ChangePinSection.js';
import { SecuritySection } from './SecuritySection.js';
import { ClinicSection } from './settings/ClinicSection.js';
import { DepthRangesSection } from './settings/DepthRangesSection.js';
import { PractitionersSection } from './settings/PractitionersSection.js';

/**
 * Managers: clinic, practitioners and their PINs, depth ranges, photo sets, backups, the activity log.
 * Everyone: their own PIN.
 */
export function SettingsPage({ shell }: { shell: Shell }) {
  if (shell.who.role !== 'manager') {
    return (
      <div className="record-page settings-page">
        <h1>Settings</h1>
        <p className="notice" role="note">
          Clinic settings, practitioners, backups and the activity log are kept by a manager. Ask a manager to
          sign in to change them.
        </p>
        <SyncSection isManager={false} />
        <ChangePinSection />
      </div>
    );
  }
  return (
    <div className="record-page settings-page">
      <h1>Settings</h1>
      <ClinicSection settings={shell.settings} onSaved={shell.refreshClinic} />
      <PractitionersSection
        practitioners={shell.practitioners}
        currentId={shell.who.id}
        onChanged={shell.refreshClinic}
      />
      <DepthRangesSection settings={shell.settings} onSaved={shell.refreshClinic} />
      <PhotoSetsSection settings={shell.settings} onSaved={shell.refreshClinic} />
      <ConsentFormSection settings={shell.settings} onSaved={shell.refreshClinic} />
      <BackupsSection />
      <SyncSection isManager />
      <ChangePinSection />
      <ActivityLogSection practitioners={shell.practitioners} />
      <SecuritySection />
    </div>
  );
}
