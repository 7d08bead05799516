/** A photo about to be sent, shown from its bytes (an object URL, released when no longer shown). */
import { useEffect, useState } from 'react';
import type { PreparedImage } from './images.ts';

/** The photo taken or chosen, described by `alt`. */
export function PhotoPreview({ image, alt, mirrored = false }: { image: PreparedImage; alt: string; mirrored?: boolean }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(image.blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [image.blob]);
  return (
    <figure className="id-preview">
      {/* Mirrored like the live picture was, so the person recognises the shot they took. */}
      {url && <img src={url} alt={alt} className={mirrored ? 'id-mirrored' : undefined} width={image.width} height={image.height} />}
    </figure>
  );
}
