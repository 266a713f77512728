import type { GalleryEntry } from './gateway-api.js';

/** One image card: the picture, what made it, and its actions. */
export function imageTile(
  entry: Pick<GalleryEntry, 'id' | 'url' | 'prompt' | 'model' | 'width' | 'height' | 'estimated_cost_usd'>,
  onEdit: (entry: { id: string; url: string }) => void,
): HTMLElement {
  const tile = document.createElement('figure');
  tile.className = 'tile';
  tile.dataset.imageId = entry.id;
  tile.dataset.testid = 'image-tile';
  const image = document.createElement('img');
  image.src = entry.url;
  image.alt = entry.prompt ?? entry.id;
  image.loading = 'lazy';
  const meta = document.createElement('figcaption');
  meta.className = 'meta';
  const line = (text: string, className = '') => {
    const span = document.createElement('span');
    span.textContent = text;
    if (className) span.className = className;
    return span;
  };
  if (entry.prompt) meta.append(line(entry.prompt, 'prompt'));
  const details = [
    entry.model,
    entry.width && entry.height ? `${entry.width}×${entry.height}` : undefined,
    entry.estimated_cost_usd !== undefined ? `$${entry.estimated_cost_usd}` : undefined,
  ].filter(Boolean);
  meta.append(line(details.join(' · '), 'muted'));
  const actions = document.createElement('div');
  actions.className = 'actions';
  const download = document.createElement('a');
  download.href = entry.url;
  download.download = `${entry.id}`;
  download.textContent = 'Download';
  const edit = document.createElement('button');
  edit.type = 'button';
  edit.className = 'small';
  edit.textContent = 'Edit';
  edit.dataset.testid = 'edit-button';
  edit.addEventListener('click', () => onEdit(entry));
  actions.append(download, edit);
  tile.append(image, meta, actions);
  return tile;
}
