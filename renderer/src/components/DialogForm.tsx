import type { FormEvent, KeyboardEvent, ReactNode, RefObject, SyntheticEvent } from 'react';

/** A modal dialog holding one form, named by its heading (`titleId`) and, if given, described by `describedBy`. */
export function DialogForm({
  dialogRef,
  onCancel,
  className,
  titleId,
  title,
  describedBy,
  onSubmit,
  formRef,
  onKeyDown,
  children,
}: {
  /** From `useModalDialog`: the dialog's ref and its Escape handler. */
  dialogRef: RefObject<HTMLDialogElement | null>;
  onCancel: (event: SyntheticEvent<HTMLDialogElement>) => void;
  /** Added to `dialog`, for a dialog's own styles. */
  className?: string;
  titleId: string;
  title: ReactNode;
  describedBy?: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  formRef?: RefObject<HTMLFormElement | null>;
  onKeyDown?: (event: KeyboardEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <dialog
      ref={dialogRef}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={onCancel}
    >
      <form ref={formRef} noValidate onSubmit={onSubmit} onKeyDown={onKeyDown} className="client-form">
        <h2 id={titleId}>{title}</h2>
        {children}
      </form>
    </dialog>
  );
}
