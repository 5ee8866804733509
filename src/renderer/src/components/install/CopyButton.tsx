// Copies a text (a hash, a command) to the clipboard and says so; where the clipboard is not available
// (an insecure context, a denied permission) it shows the text selected for a manual copy instead.
import { useEffect, useRef, useState } from 'react';

interface Props {
  text: string;
  label: string;
  testId: string;
}

export function CopyButton({ text, label, testId }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const manual = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state === 'manual') manual.current?.select();
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('manual');
    }
  };

  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => void copy()} data-testid={testId}>
        {state === 'copied' ? 'Copied' : label}
      </button>
      {state === 'manual' && (
        <input
          ref={manual}
          className="copy-manual"
          readOnly
          value={text}
          aria-label={`${label}: select and copy`}
          data-testid={`${testId}-text`}
        />
      )}
      <span className="visually-hidden" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : ''}
      </span>
    </>
  );
}
