/**
 * One image of a session in review. Its link is presigned for one minute: when it fails to
 * load (usually: expired), the queue is read again for fresh links, once; if the fresh link
 * fails too, the image is shown as unavailable with a button to try again.
 */
import { useState } from 'react';

const LABELS = { ID_DOCUMENT: 'ID document', SELFIE: 'Live face (liveness check)', AUDIT: 'Frame of the liveness video' } as const;
const IN_SENTENCE = { ID_DOCUMENT: 'ID document', SELFIE: 'live face', AUDIT: 'frame' } as const;

export interface ReviewImageProps {
  url: string | null;
  kind: keyof typeof LABELS;
  /** Whose it is, for the alternative text. */
  person: string;
  /** Fresh links are on their way and the old ones may be dead: wait for them. */
  refreshing?: boolean;
  /** Reads the queue again (new links). */
  onExpired(): void;
  size?: 'thumb' | 'large';
  /** Which one of several of a kind (the liveness video's frames: 1, 2, ...). */
  number?: number;
}

export function ReviewImage({ url, kind, person, refreshing = false, onExpired, size = 'large', number }: ReviewImageProps) {
  const label = number === undefined ? LABELS[kind] : `${LABELS[kind]} ${number}`;
  const [failed, setFailed] = useState<ReadonlySet<string>>(new Set());
  const [retried, setRetried] = useState(false);

  const fail = (broken: string) => {
    setFailed((before) => new Set(before).add(broken));
    if (!retried) {
      setRetried(true);
      onExpired();
    }
  };

  let body;
  if (!url) body = <span className="admin-image-note">The image is gone (the session ended or expired).</span>;
  else if (refreshing) body = <span className="admin-image-note">Getting a fresh link…</span>;
  else if (failed.has(url)) {
    body = (
      <span className="admin-image-note">
        The image could not be loaded.
        <button type="button" className="button" onClick={onExpired}>
          Load the {IN_SENTENCE[kind]} again
        </button>
      </span>
    );
  } else {
    // Not re-keyed by URL: with a fresh link the browser keeps showing the image until the new one is in.
    body = <img src={url} alt={`${label} of ${person}`} onError={() => fail(url)} decoding="async" />;
  }

  return (
    <figure className={`admin-image admin-image-${size}${kind === 'ID_DOCUMENT' ? ' admin-image-id' : ''}`}>
      <div className="admin-image-frame">{body}</div>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
