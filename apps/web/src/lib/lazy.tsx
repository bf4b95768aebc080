import {
  Component,
  lazy,
  Suspense,
  type ComponentType,
  type LazyExoticComponent,
  type ReactNode,
} from 'react';

/**
 * `React.lazy` that can also start loading early (on hover or focus of the button that will
 * show it), so the chunk is usually there by the time it is needed. The import runs once.
 * https://react.dev/reference/react/lazy
 */
// `any` as in React's own `lazy` signature: a component type of any props.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyWithPreload<T extends ComponentType<any>>(
  load: () => Promise<{ default: T }>,
): LazyExoticComponent<T> & { preload: () => void } {
  let pending: Promise<{ default: T }> | null = null;
  const once = () => {
    pending ??= load().catch((error: unknown) => {
      // A failed download (offline, a new deploy) may work on the next try.
      pending = null;
      throw error;
    });
    return pending;
  };
  return Object.assign(lazy(once), { preload: () => void once().catch(() => undefined) });
}

interface LazyBoundaryProps {
  /** Shown while the chunk loads: say what is coming, with `aria-busy` (see ./loading.tsx). */
  fallback: ReactNode;
  /** Shown when the chunk cannot be downloaded. */
  failed: ReactNode;
  children: ReactNode;
}

/** Suspense plus an error boundary: a chunk that fails to load must not blank the page. */
export function LazyBoundary({ fallback, failed, children }: LazyBoundaryProps) {
  return (
    <ChunkErrorBoundary failed={failed}>
      <Suspense fallback={fallback}>{children}</Suspense>
    </ChunkErrorBoundary>
  );
}

// Error boundaries are still class components: https://react.dev/reference/react/Component#catching-rendering-errors-with-an-error-boundary
class ChunkErrorBoundary extends Component<
  { failed: ReactNode; children: ReactNode },
  { error: boolean }
> {
  override state = { error: false };

  static getDerivedStateFromError() {
    return { error: true };
  }

  override render() {
    return this.state.error ? this.props.failed : this.props.children;
  }
}
