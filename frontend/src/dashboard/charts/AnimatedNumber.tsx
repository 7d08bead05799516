/**
 * A number that draws the eye gently when it changes: re-keyed on its value, so the CSS
 * animation (`dash-changed`, none under prefers-reduced-motion) plays once per change.
 */
import { useRef } from 'react';

export function AnimatedNumber({ value, className = '' }: { value: number; className?: string }) {
  // The first value is not a change: only values after it animate.
  const initial = useRef(value);
  const changed = useRef(false);
  if (value !== initial.current) changed.current = true;
  return (
    <span key={value} className={`${className}${changed.current ? ' dash-changed' : ''}`}>
      {value.toLocaleString()}
    </span>
  );
}
