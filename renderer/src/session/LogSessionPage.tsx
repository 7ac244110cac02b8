/** Placeholder: the session form is being built in renderer/src/session/. */
export function LogSessionPage({ courseId }: { courseId: string }) {
  return <p>Log session for course {courseId}</p>;
}
