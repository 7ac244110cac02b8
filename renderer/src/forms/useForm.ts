import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../contract/channels.js';
import type { ApiError, Reply, Warning } from '../../../contract/result.js';
import { errorOn, formErrors, type FieldOf, type FormError } from './formErrors.js';
import { call } from '../api.js';
import type { checkInput as CheckInput } from './checkInput.js';

/**
 * The one way a form saves: the input is checked with the contract's schema in the renderer, sent
 * only if it passes, and a refusal (the renderer's check or the host's) puts every issue next to its
 * own field at once. Values stay wherever the form keeps them (page state, drafts): this holds only
 * the errors and whether a save is under way.
 */

let checker: Promise<typeof CheckInput | null> | null = null;

/**
 * The contract's schemas, and zod with them, load with the first form rather than with the app's
 * first paint (a chunk of their own). Should it fail to load, the host's check still stands.
 */
function loadChecker(): Promise<typeof CheckInput | null> {
  checker ??= import('./checkInput.js').then(
    (m) => m.checkInput,
    () => {
      checker = null;
      return null;
    },
  );
  return checker;
}

export type Saved<C extends Channel> = { value: ChannelOutput<C>; warnings: Warning[] };

interface SaveOptions<C extends Channel> {
  /** The API's field paths to the form's fields (default: the same path). */
  fieldOf?: FieldOf;
  /** Issues the form found itself (two PINs that differ): shown with the contract's, and nothing is sent. */
  also?: FormError[];
  /** How the checked input is sent (default `call`; e.g. a data-layer write that also marks reads stale). */
  send?: (input: ChannelInput<C>) => Promise<Reply<ChannelOutput<C>>>;
}

export interface Form {
  errors: FormError[];
  /** The first error's sentence: for forms that show one line. */
  message: string | null;
  saving: boolean;
  errorFor: (field: string) => string | undefined;
  /**
   * Checks `input` with the channel's schema, sends it if it passes, and returns the saved value, or
   * null with every issue on its field.
   */
  save: <C extends Channel>(
    channel: C,
    input: ChannelInput<C>,
    options?: SaveOptions<C>,
  ) => Promise<Saved<C> | null>;
  /** Refuses without a round trip, for a rule the form itself knows (e.g. a reason it needs). */
  fail: (errors: FormError[] | ApiError, fieldOf?: FieldOf) => void;
  clear: () => void;
}

export function useForm(): Form {
  const [errors, setErrors] = useState<FormError[]>([]);
  const [saving, setSaving] = useState(false);
  // A second press while a save is under way is ignored, even before `saving` re-renders.
  const busy = useRef(false);
  useEffect(() => {
    void loadChecker();
  }, []);

  const fail = useCallback((e: FormError[] | ApiError, fieldOf?: FieldOf) => {
    setErrors(Array.isArray(e) ? e : formErrors(e, fieldOf));
  }, []);
  const clear = useCallback(() => setErrors([]), []);

  const save = useCallback(
    async <C extends Channel>(
      channel: C,
      input: ChannelInput<C>,
      { fieldOf, send, also = [] }: SaveOptions<C> = {},
    ): Promise<Saved<C> | null> => {
      if (busy.current) return null;
      busy.current = true;
      try {
        const refused = (await loadChecker())?.(channel, input) ?? null;
        if (refused || also.length > 0) {
          const found = refused ? formErrors(refused, fieldOf) : [];
          setErrors([
            ...also,
            ...found.filter((e) => e.field === null || !also.some((a) => a.field === e.field)),
          ]);
          return null;
        }
        setSaving(true);
        setErrors([]);
        const reply = send ? await send(input) : await call(channel, input);
        if (!reply.ok) {
          setErrors(formErrors(reply.error, fieldOf));
          return null;
        }
        return { value: reply.value, warnings: reply.warnings ?? [] };
      } finally {
        busy.current = false;
        setSaving(false);
      }
    },
    [],
  );

  return {
    errors,
    message: errors[0]?.message ?? null,
    saving,
    errorFor: (field) => errorOn(errors, field),
    save,
    fail,
    clear,
  };
}
