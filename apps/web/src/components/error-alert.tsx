import type { ReactNode } from 'react';

interface ErrorAlertProps {
  /** For a field's `aria-describedby`, when the error is about that field. */
  id?: string;
  title?: string;
  children: ReactNode;
}

/** An error a person should notice at once: `role="alert"` makes screen readers announce it. */
export function ErrorAlert({ id, title, children }: ErrorAlertProps) {
  return (
    <div id={id} role="alert" className="alert alert-error">
      <svg className="alert-icon" viewBox="0 0 20 20" aria-hidden="true">
        <path
          fill="currentColor"
          d="M10 1.5a8.5 8.5 0 1 1 0 17 8.5 8.5 0 0 1 0-17Zm0 11.75a1.1 1.1 0 1 0 0 2.2 1.1 1.1 0 0 0 0-2.2ZM10 5a1 1 0 0 0-1 1v5a1 1 0 1 0 2 0V6a1 1 0 0 0-1-1Z"
        />
      </svg>
      <div>
        {title ? <p className="alert-title">{title}</p> : null}
        <p className="alert-body">{children}</p>
      </div>
    </div>
  );
}
