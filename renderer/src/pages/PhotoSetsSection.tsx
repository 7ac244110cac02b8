import { useState, type FormEvent } from 'react';
import {
  AREAS,
  AREA_KEYS,
  PHOTO_VIEWS,
  PHOTO_VIEW_KEYS,
  type Area,
  type PhotoView,
} from '../../../contract/domain.js';
import { DEFAULT_PHOTO_SETS } from '../../../contract/photoSets.js';
import type { Settings } from '../../../contract/schemas.js';
import { FormAlert } from '../forms/FormAlert.js';
import { SaveRow } from '../forms/SaveRow.js';
import { DataTable } from '../components/DataTable.js';
import { useSettingsSave } from './settings/useSettingsSave.js';

type Sets = Record<Area, PhotoView[]>;

const sameViews = (a: readonly PhotoView[], b: readonly PhotoView[]) =>
  a.length === b.length && a.every((v) => b.includes(v));

/**
 * The standard photo set of each treatment area: which views every session should have, Before and
 * After. One row per area, one checkbox per view; the session page checks them off and the camera
 * walks through the missing ones in this order.
 */
export function PhotoSetsSection({ settings, onSaved }: { settings: Settings; onSaved: () => void }) {
  const [sets, setSets] = useState<Sets>(
    () => Object.fromEntries(AREA_KEYS.map((a) => [a, [...(settings.photoSets[a] ?? [])]])) as Sets,
  );
  const { form, status, setStatus, save } = useSettingsSave(onSaved);

  function toggle(area: Area, view: PhotoView, on: boolean) {
    setSets((all) => ({
      ...all,
      [area]: PHOTO_VIEW_KEYS.filter((v) => (v === view ? on : all[area].includes(v))),
    }));
    setStatus('');
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The table has no field of its own per message: every issue is said above it.
    await save({ photoSets: sets }, 'Photo sets saved.', () => null);
  }

  return (
    <section className="card" aria-labelledby="photo-sets-title">
      <h2 id="photo-sets-title">Standard photo sets</h2>
      <p className="field-hint">
        The views each session of a treatment area should have, Before and After. A session’s page shows which
        are still missing, and the camera walks through them in this order. An area with no view ticked has no
        set.
      </p>
      <form noValidate onSubmit={(e) => void submit(e)}>
        <FormAlert errors={form.errors} />
        <DataTable
          className="photo-set-table"
          caption="Views required for each treatment area"
          columns={['Treatment area', ...PHOTO_VIEW_KEYS.map((v) => PHOTO_VIEWS[v])]}
          buttons="Default"
        >
          {AREA_KEYS.map((area) => {
            const isDefault = sameViews(sets[area], DEFAULT_PHOTO_SETS[area]);
            return (
              <tr key={area}>
                <th scope="row">{AREAS[area]}</th>
                {PHOTO_VIEW_KEYS.map((v) => (
                  <td key={v} className="photo-set-cell">
                    <input
                      type="checkbox"
                      aria-label={`${AREAS[area]}: ${PHOTO_VIEWS[v]}`}
                      checked={sets[area].includes(v)}
                      onChange={(e) => toggle(area, v, e.target.checked)}
                    />
                  </td>
                ))}
                <td>
                  {isDefault ? (
                    <span className="muted">Default</span>
                  ) : (
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Use default views for ${AREAS[area]}`}
                      onClick={() => {
                        setSets((all) => ({ ...all, [area]: [...DEFAULT_PHOTO_SETS[area]] }));
                        setStatus('');
                      }}
                    >
                      Use default
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
        <SaveRow
          label="Save photo sets"
          saving={form.saving}
          status={status}
          className="inline-actions range-actions"
        />
      </form>
    </section>
  );
}
