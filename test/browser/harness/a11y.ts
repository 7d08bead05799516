/**
 * The accessibility check of the browser scenarios: axe-core on what the page shows now, against
 * WCAG 2.0 and 2.1 levels A and AA. A scenario calls it once a screen (or an open dialog) is in
 * the state it wants checked; any violation fails it with a readable list.
 *
 *   await expectNoA11yViolations(page, 'board with the create dialog open (phone)');
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** One failed rule, with the elements that fail it (axe-core's `Result`). */
export type A11yViolation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** The rule sets checked: WCAG 2.0 and 2.1, levels A and AA. */
export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface A11yOptions {
  /** CSS selectors left out of the check (e.g. a third-party widget). Use sparingly. */
  exclude?: string[];
  /** Rule ids not checked, each with a reason in the calling scenario. */
  disableRules?: string[];
  /** How many elements to list per violation (default 3). */
  maxTargets?: number;
  /**
   * Finish running transitions and one-off animations first (default true): a card flashing after
   * a live change or a drawer sliding in is half-transparent for a moment, which axe would read
   * as low contrast. Endless ones (spinners, the live dot) are left running.
   */
  settle?: boolean;
}

/** Runs axe on the page as it is now; resolves with the violations (an empty list when clean). */
export async function a11yViolations(page: Page, { exclude = [], disableRules = [], settle = true }: A11yOptions = {}): Promise<A11yViolation[]> {
  if (settle) {
    await page.evaluate(async () => {
      for (const animation of document.getAnimations()) {
        if (animation.effect?.getComputedTiming().endTime === Infinity) continue;
        try {
          animation.finish();
        } catch {
          // Already finished or idle.
        }
      }
      await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
    });
  }
  let builder = new AxeBuilder({ page }).withTags(A11Y_TAGS);
  for (const selector of exclude) builder = builder.exclude(selector);
  if (disableRules.length) builder = builder.disableRules(disableRules);
  const results = await builder.analyze();
  return results.violations;
}

/** One violation per block: rule, impact, what it asks, how many elements, the first few of them. */
export function formatA11yViolations(violations: A11yViolation[], maxTargets = 3): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.slice(0, maxTargets).map((node) => {
        const target = node.target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : String(part))).join(' ');
        const summary = node.failureSummary?.split('\n').slice(1).map((line) => line.trim()).filter(Boolean)[0];
        return `    - ${target}${summary ? `\n      ${summary}` : ''}`;
      });
      const more = violation.nodes.length > maxTargets ? `\n    … and ${violation.nodes.length - maxTargets} more` : '';
      return `  [${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help} (${violation.nodes.length} element${violation.nodes.length === 1 ? '' : 's'})\n    ${violation.helpUrl}\n${nodes.join('\n')}${more}`;
    })
    .join('\n');
}

/**
 * Throws when axe finds any WCAG 2.x A/AA violation on the page as it is now. `label` names the
 * screen and state in the message ("board, create dialog open, phone").
 */
export async function expectNoA11yViolations(page: Page, label: string, options: A11yOptions = {}): Promise<void> {
  const violations = await a11yViolations(page, options);
  if (violations.length === 0) return;
  throw new Error(`Accessibility violations on ${label} (${page.url()}):\n${formatA11yViolations(violations, options.maxTargets)}`);
}
