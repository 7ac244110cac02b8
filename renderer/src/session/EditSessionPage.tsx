/** Placeholder: the session form is being built in renderer/src/session/. */
export function EditSessionPage({ sessionId }: { sessionId: string }) {
  return <p>Edit session {sessionId}</p>;
}
