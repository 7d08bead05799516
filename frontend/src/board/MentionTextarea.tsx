/**
 * A comment box that offers teammates when `@` is typed: an ARIA combobox over the textarea
 * (arrow keys move through the names, Enter or Tab puts one in, Escape closes the list), so
 * keyboard and screen-reader users mention people as everyone else does. The chosen people
 * are reported with `onMentionsChange` (id -> name).
 */
import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { FieldControlProps } from '../ui/Field.tsx';
import type { People } from './format.ts';
import { insertMention, mentionCandidates, mentionQueryAt, type MentionQuery } from './mentions.ts';

export interface MentionTextareaProps {
  control: FieldControlProps;
  value: string;
  onChange(value: string): void;
  people: People;
  /** The person writing: not offered. */
  me?: string;
  chosen: ReadonlyMap<string, string>;
  onMentionsChange(chosen: ReadonlyMap<string, string>): void;
  autoFocus?: boolean;
}

export function MentionTextarea({ control, value, onChange, people, me, chosen, onMentionsChange, autoFocus }: MentionTextareaProps) {
  const listId = useId();
  const [mention, setMention] = useState<MentionQuery>();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  /** Where the caret goes once the text with a chosen mention is on the screen. */
  const caretAfterMention = useRef<{ textarea: HTMLTextAreaElement; at: number }>(undefined);
  // Placed as soon as React has put the new text in (before the next key is handled): a caret
  // placed a frame later moved under a fast typist, whose next letters then landed before the last.
  useLayoutEffect(() => {
    const pending = caretAfterMention.current;
    if (!pending) return;
    caretAfterMention.current = undefined;
    pending.textarea.setSelectionRange(pending.at, pending.at);
  });
  const candidates = mention ? mentionCandidates(people, mention.query, me) : [];
  const open = candidates.length > 0;

  const follow = (text: string, at: number) => {
    setCaret(at);
    setMention(mentionQueryAt(text, at));
    setActive(0);
  };
  const choose = (textarea: HTMLTextAreaElement, person: { id: string; name: string }) => {
    const next = insertMention(value, caret, mention!, person.name);
    onChange(next.text);
    onMentionsChange(new Map([...chosen, [person.id, person.name]]));
    setMention(undefined);
    caretAfterMention.current = { textarea, at: next.caret };
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => (index + (event.key === 'ArrowDown' ? 1 : candidates.length - 1)) % candidates.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      choose(event.currentTarget, candidates[active]!);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setMention(undefined);
    }
  };

  return (
    <div className="board-mention">
      <textarea
        {...control}
        rows={3}
        value={value}
        autoFocus={autoFocus}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        onChange={(event) => {
          onChange(event.target.value);
          follow(event.target.value, event.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setMention(undefined)}
      />
      <ul id={listId} role="listbox" aria-label="People to mention" className="board-mention-list" hidden={!open}>
        {candidates.map((person, index) => (
          <li
            key={person.id}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className="board-mention-option"
            // mousedown, not click: the textarea keeps the focus (its blur would close the list first).
            onMouseDown={(event) => {
              event.preventDefault();
              const textarea = event.currentTarget.closest('.board-mention')!.querySelector('textarea')!;
              choose(textarea, person);
            }}
          >
            @{person.name}
          </li>
        ))}
      </ul>
    </div>
  );
}
