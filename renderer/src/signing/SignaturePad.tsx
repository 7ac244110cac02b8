import { useEffect, useRef, useState } from 'react';
import SignaturePadLib from 'signature_pad';
import {
  TYPED_SIGNATURE_ATTESTATION,
  isTyped,
  type ConsentSignature,
  type DrawnSignature,
} from '../../../contract/signing.js';

interface Props {
  id: string;
  /** The visible label above the pad, e.g. "Client signature". */
  label: string;
  error?: string | undefined;
  /** The strokes drawn so far (null: empty), each time a stroke ends or the pad is cleared. */
  onChange: (signature: DrawnSignature | null) => void;
}

/**
 * "Sign here": a pad drawn with a mouse, pen or finger (the signature_pad package), reported as
 * strokes of points in the pad's own pixels, so it is stored and printed as vectors, not an image.
 */
export function SignaturePad({ id, label, error, onChange }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePadLib | null>(null);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    // Drawn at the screen's pixel density, with points in CSS pixels.
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext('2d')?.scale(ratio, ratio);
    const pad = new SignaturePadLib(canvas, { penColor: '#1b2530', minWidth: 0.8, maxWidth: 2.4 });
    padRef.current = pad;
    const report = () => {
      const strokes = pad
        .toData()
        .map((g) =>
          g.points.map((p) => [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10] as [number, number]),
        )
        .filter((s) => s.length > 0);
      changed.current(
        strokes.length === 0
          ? null
          : { width: Math.round(canvas.offsetWidth), height: Math.round(canvas.offsetHeight), strokes },
      );
    };
    pad.addEventListener('endStroke', report);
    return () => {
      pad.removeEventListener('endStroke', report);
      pad.off();
    };
  }, []);

  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={error ? 'field cs-pad has-error' : 'field cs-pad'}>
      <p className="field-label" id={`${id}-label`}>
        {label}: Sign here
      </p>
      <canvas
        ref={canvasRef}
        id={id}
        role="img"
        aria-describedby={errorId}
        aria-label={`${label}: sign here with a mouse, pen or finger`}
      />
      <div className="cs-pad-actions">
        <button
          type="button"
          className="button small"
          aria-label={`Clear the ${label[0]!.toLowerCase()}${label.slice(1)}`}
          onClick={() => {
            padRef.current?.clear();
            onChange(null);
          }}
        >
          Clear
        </button>
      </div>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * One signer's signature: drawn on the pad ("Sign here"), or, for whoever signs by keyboard or
 * screen reader, typed: the full name and a ticked attestation that typing it is the signature.
 * Reports the signature (null: not signed yet) whenever it changes.
 */
export function SignatureField({
  id,
  label,
  error,
  onChange,
}: Props & { onChange: (signature: ConsentSignature | null) => void }) {
  const [mode, setMode] = useState<'draw' | 'type'>('draw');
  const [drawn, setDrawn] = useState<DrawnSignature | null>(null);
  const [name, setName] = useState('');
  const [attested, setAttested] = useState(false);
  const report = (next: {
    mode?: 'draw' | 'type';
    drawn?: DrawnSignature | null;
    name?: string;
    attested?: boolean;
  }) => {
    const m = next.mode ?? mode;
    const typed = (next.name ?? name).trim();
    const ticked = next.attested ?? attested;
    onChange(
      m === 'draw'
        ? next.drawn !== undefined
          ? next.drawn
          : drawn
        : typed !== '' && ticked
          ? { kind: 'typed', name: typed, attested: true }
          : null,
    );
  };
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="cs-signer">
      <fieldset className="cs-mode">
        <legend className="field-label">{label}: how to sign</legend>
        {(
          [
            ['draw', 'Draw with a mouse, pen or finger'],
            ['type', 'Type the name (keyboard or screen reader)'],
          ] as const
        ).map(([value, text]) => (
          <label key={value} className="check">
            <input
              type="radio"
              name={`${id}-mode`}
              value={value}
              checked={mode === value}
              onChange={() => {
                setMode(value);
                // The pad starts empty each time it is shown again.
                setDrawn(null);
                report({ mode: value, drawn: null });
              }}
            />
            {text}
          </label>
        ))}
      </fieldset>
      {mode === 'draw' ? (
        <SignaturePad
          id={id}
          label={label}
          error={error}
          onChange={(sig) => {
            setDrawn(sig);
            report({ drawn: sig });
          }}
        />
      ) : (
        <div className={error ? 'field cs-typed has-error' : 'field cs-typed'}>
          <label className="field-label" htmlFor={`${id}-typed`}>
            {label}: type the full name
          </label>
          <input
            id={`${id}-typed`}
            className="cs-typed-name"
            autoComplete="off"
            value={name}
            aria-describedby={errorId}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setName(e.target.value);
              report({ name: e.target.value });
            }}
          />
          <label className="check cs-attest">
            <input
              type="checkbox"
              checked={attested}
              aria-describedby={errorId}
              onChange={(e) => {
                setAttested(e.target.checked);
                report({ attested: e.target.checked });
              }}
            />
            {TYPED_SIGNATURE_ATTESTATION}
          </label>
          {error && (
            <p id={errorId} className="field-error">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** A stored signature: drawn back as vectors, or a typed one shown as typed, with its attestation. */
export function SignatureImage({ signature, label }: { signature: ConsentSignature; label: string }) {
  if (isTyped(signature)) {
    return (
      <div
        className="cs-signed-sig cs-signed-typed"
        role="img"
        aria-label={`${label}, typed: ${signature.name}`}
      >
        <span className="cs-typed-signature">{signature.name}</span>
        <span className="cs-typed-note">Typed signature, attested: “{TYPED_SIGNATURE_ATTESTATION}”</span>
      </div>
    );
  }
  return (
    <svg
      className="cs-signed-sig"
      viewBox={`0 0 ${signature.width} ${signature.height}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="xMinYMid meet"
    >
      {signature.strokes.map((s, i) => (
        <polyline
          key={i}
          points={s.map(([x, y]) => `${x},${y}`).join(' ')}
          fill="none"
          stroke="#1b2530"
          strokeWidth={2}
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      ))}
    </svg>
  );
}
