import type { ReactNode } from 'react';

/**
 * A table of records: it scrolls sideways on a narrow window, names its columns once, and may end
 * with a column of buttons whose name only a screen reader hears (`buttons`). The rows are its children.
 */
export function DataTable({
  className,
  caption,
  labelledBy,
  columns,
  buttons,
  children,
}: {
  /** Added to `data-table`, for a table's own styles. */
  className?: string;
  /** Heard by a screen reader, not shown. */
  caption?: ReactNode;
  labelledBy?: string;
  columns: ReactNode[];
  buttons?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className={className ? `data-table ${className}` : 'data-table'} aria-labelledby={labelledBy}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col">
                {column}
              </th>
            ))}
            {buttons && (
              <th scope="col">
                <span className="visually-hidden">{buttons}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
