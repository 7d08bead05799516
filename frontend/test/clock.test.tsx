import { act, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, expect, it, vi } from 'vitest';
import { useNow } from '../src/identity/time.ts';

function Reader({ name }: { name: string }) {
  return <p data-testid={name}>{useNow(1000)}</p>;
}

/** Two readers of the clock, the second mounted half a second after the first. */
function Page() {
  const [second, setSecond] = useState(false);
  return (
    <>
      <Reader name="first" />
      {second && <Reader name="second" />}
      <button onClick={() => setSecond(true)}>more</button>
    </>
  );
}

afterEach(() => void vi.useRealTimers());

it('every reader of the clock shows the same time, whenever it started reading (a countdown and the button it unlocks agree)', () => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
  render(<Page />);
  act(() => void vi.advanceTimersByTime(500));
  act(() => screen.getByRole('button').click());
  for (let step = 0; step < 6; step += 1) {
    act(() => void vi.advanceTimersByTime(250));
    expect(screen.getByTestId('second').textContent).toBe(screen.getByTestId('first').textContent);
  }
  expect(Number(screen.getByTestId('first').textContent)).toBeGreaterThan(Date.now() - 1000);
});
