import { useEffect, useRef, type SyntheticEvent } from 'react';

interface ModalDialog {
  ref: React.RefObject<HTMLDialogElement | null>;
  /** The dialog's `onCancel`: Escape asks the page to close it, rather than the browser closing it. */
  onCancel: (event: SyntheticEvent<HTMLDialogElement>) => void;
}

/**
 * A `<dialog>` shown modal while the component is mounted: the first control matching `focus`
 * takes the keyboard, Escape calls `onCancel`, and on closing the focus goes back to the control
 * that opened it (where that is still on the page and `returnFocus` is on), since the browser
 * would otherwise drop it to <body>.
 */
export function useModalDialog(
  focus: string,
  onCancel: () => void,
  { returnFocus = true }: { returnFocus?: boolean } = {},
): ModalDialog {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = dialog.ownerDocument.activeElement;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>(focus)?.focus();
    return () => {
      dialog.close();
      if (returnFocus && opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [focus, returnFocus]);
  return {
    ref,
    onCancel: (event) => {
      event.preventDefault();
      onCancel();
    },
  };
}
