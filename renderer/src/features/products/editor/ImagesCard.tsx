/**
 * The product's pictures: those on the server, then those queued on this device (media:upload),
 * each queued one with its state — waiting while offline, uploading, or failed with the server's
 * reason and Retry / Discard. Files come from a picker or by drag and drop; wrong types and
 * oversized files are refused here, before anything is queued.
 */
import { type DragEvent, useRef, useState } from 'react';
import {
  MEDIA_MAX_BYTES,
  MEDIA_MIME_TYPES,
  type PendingUpload,
  type ProductDetail,
} from '../../../../../shared/contract/backoffice.js';
import { Badge } from '../../../components/Badge.js';
import { Banner } from '../../../components/Banner.js';
import { Button } from '../../../components/Button.js';
import { Spinner } from '../../../components/Spinner.js';
import { call, errorMessage } from '../../../lib/api.js';
import { bumpTables } from '../../../lib/stores/data-version.js';
import { useSyncStore } from '../../../lib/stores/sync.js';
import { toast } from '../../../lib/stores/toasts.js';
import { useChannel } from '../../../lib/use-channel.js';
import { imageSrc } from '../image-url.js';
import './images.css';

const ACCEPT: readonly string[] = MEDIA_MIME_TYPES;
const MAX_MB = Math.round(MEDIA_MAX_BYTES / 1024 / 1024);

/** Why a file cannot be queued, or null when it can. */
export function refuseFile(file: Pick<File, 'name' | 'type' | 'size'>): string | null {
  if (!ACCEPT.includes(file.type)) return `${file.name}: only JPEG, PNG and WebP pictures can be uploaded`;
  if (file.size > MEDIA_MAX_BYTES) return `${file.name}: larger than ${MAX_MB} MB`;
  return null;
}

const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });

export interface ImagesCardProps {
  /** Null for a product not created yet: pictures can be added once it is saved. */
  productId: string | null;
  images: ProductDetail['images'];
  serverUrl: string | null | undefined;
}

export function ImagesCard({ productId, images, serverUrl }: ImagesCardProps) {
  const pending = useChannel(
    'media:pending',
    { productId: productId ?? undefined },
    {
      tables: ['media_uploads'],
      enabled: productId !== null,
    },
  );
  const online = useSyncStore((s) => s.status?.online ?? false);
  const picker = useRef<HTMLInputElement>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(0);
  const [dragging, setDragging] = useState(false);

  const upload = async (files: readonly File[]) => {
    if (!productId) return;
    const refused = files.map(refuseFile).filter((p): p is string => p !== null);
    const accepted = files.filter((f) => refuseFile(f) === null);
    setProblems(refused);
    setBusy((n) => n + accepted.length);
    for (const file of accepted) {
      try {
        await call('media:upload', { productId, fileName: file.name, base64: await readAsDataUrl(file) });
      } catch (error) {
        setProblems((p) => [...p, `${file.name}: ${errorMessage(error)}`]);
      } finally {
        setBusy((n) => n - 1);
      }
    }
    bumpTables(['media_uploads']);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void upload([...event.dataTransfer.files]);
  };

  const queued = pending.data?.items ?? [];
  const empty = images.length === 0 && queued.length === 0;
  return (
    <div className="images-card">
      {problems.length > 0 && (
        <Banner tone="danger">
          {problems.map((p) => (
            <div key={p}>{p}</div>
          ))}
        </Banner>
      )}
      {!empty && (
        <ul className="image-grid" aria-label="Pictures">
          {images.map((image, i) => (
            <ServerTile key={image.id} src={imageSrc(image.url, serverUrl, 320)} alt={image.alt} main={i === 0} />
          ))}
          {queued.map((item) => (
            <QueuedTile key={item.id} item={item} online={online} />
          ))}
        </ul>
      )}
      <div
        className={['dropzone', dragging ? 'dropzone-active' : '', !productId ? 'dropzone-disabled' : ''].join(' ')}
        onDragOver={(e) => {
          if (!productId) return;
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        {productId ? (
          <>
            <Button onClick={() => picker.current?.click()} busy={busy > 0}>
              {busy > 0 ? 'Adding…' : 'Add pictures'}
            </Button>
            <span className="muted">or drop JPEG, PNG or WebP files here (up to {MAX_MB} MB)</span>
          </>
        ) : (
          <span className="muted">Save the product first, then add its pictures.</span>
        )}
        <input
          ref={picker}
          type="file"
          accept={ACCEPT.join(',')}
          multiple
          hidden
          onChange={(e) => {
            void upload([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>
    </div>
  );
}

/** A picture on the server; offline (or gone) it becomes a quiet placeholder instead of a broken image. */
function ServerTile({ src, alt, main }: { src: string; alt: string; main: boolean }) {
  const [failed, setFailed] = useState(false);
  return (
    <li className="image-tile">
      {failed ? (
        <span
          className="image-tile-missing"
          role="img"
          aria-label={alt}
          title="The server cannot be reached to show this picture"
        >
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden>
            <path d="M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4" fill="none" stroke="currentColor" strokeWidth="1.6" />
          </svg>
          Not available offline
        </span>
      ) : (
        <img src={src} alt={alt} loading="lazy" onError={() => setFailed(true)} />
      )}
      {main && <span className="image-tile-badge">Main</span>}
    </li>
  );
}

function QueuedTile({ item, online }: { item: PendingUpload; online: boolean }) {
  const [working, setWorking] = useState(false);
  const act = async (channel: 'media:retry' | 'media:discard') => {
    setWorking(true);
    try {
      await call(channel, { id: item.id });
      bumpTables(['media_uploads']);
    } catch (error) {
      setWorking(false);
      toast({ tone: 'danger', title: `Could not change ${item.fileName}`, body: errorMessage(error) });
    }
  };
  const failed = item.status === 'failed';
  return (
    <li className={['image-tile', 'image-tile-queued', failed ? 'image-tile-failed' : ''].join(' ')}>
      <img src={item.preview} alt={item.alt ?? item.fileName} />
      <span className="image-tile-state">
        {failed ? (
          <Badge tone="danger" title={item.lastError ?? undefined}>
            Upload failed
          </Badge>
        ) : online ? (
          <Badge tone="info">
            <Spinner size={9} /> Uploading
          </Badge>
        ) : (
          <Badge tone="warning">Waiting to upload</Badge>
        )}
      </span>
      {failed && (
        <span className="image-tile-actions">
          <span className="image-tile-error">{item.lastError ?? 'The server refused it'}</span>
          <Button size="sm" onClick={() => void act('media:retry')} disabled={working}>
            Retry
          </Button>
          <Button size="sm" variant="ghost" onClick={() => void act('media:discard')} disabled={working}>
            Discard
          </Button>
        </span>
      )}
    </li>
  );
}
