/** A small "?" that reveals a teaching note on hover, focus or click; keyboard reachable and read by screen readers. */
import { useId, useState } from 'react';

export function InfoTip({ label, text }: { label: string; text: string }) {
  const [open, setOpen] = useState(false);
  const tipId = useId();
  return (
    <span className="info-tip" onMouseEnter={() => setOpen(true)} onMouseLeave={() => setOpen(false)}>
      <button
        type="button"
        className="info-tip-button"
        aria-label={label}
        aria-describedby={tipId}
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}
      >
        ?
      </button>
      <span id={tipId} role="tooltip" className={open ? 'info-tip-text open' : 'info-tip-text'}>
        {text}
      </span>
    </span>
  );
}
