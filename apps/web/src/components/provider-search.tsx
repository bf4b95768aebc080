import { useId, type KeyboardEvent, type RefObject } from 'react';

interface ProviderSearchProps {
  query: string;
  onQueryChange: (query: string) => void;
  /** What the list shows now, e.g. "3 providers"; announced politely as it changes. */
  resultText: string;
  inputRef?: RefObject<HTMLInputElement | null>;
}

/** The filter over the provider list: results follow each keystroke, Escape clears. */
export function ProviderSearch({
  query,
  onQueryChange,
  resultText,
  inputRef,
}: ProviderSearchProps) {
  const id = useId();
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && query !== '') {
      event.preventDefault();
      onQueryChange('');
    }
  };
  return (
    <div className="provider-search" role="search">
      <label htmlFor={id}>Find a provider</label>
      <div className="provider-search-row">
        <input
          ref={inputRef}
          id={id}
          type="search"
          value={query}
          onChange={(event) => onQueryChange(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Search by name, e.g. Notion"
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          aria-describedby={`${id}-count`}
        />
        <p id={`${id}-count`} className="provider-search-count" aria-live="polite">
          {resultText}
        </p>
      </div>
    </div>
  );
}
