import { GatewayApi, GatewayError, type ImagesAnswer } from './gateway-api.js';
import { MaskPainter } from './mask-painter.js';
import { ModelForm } from './model-form.js';
import { imageTile } from './tiles.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const keyInput = byId<HTMLInputElement>('key');
const status = byId('status');
const errorBox = byId('error');
const results = byId('results');
const gallery = byId('gallery');
const more = byId<HTMLButtonElement>('more');
const runButton = byId<HTMLButtonElement>('run');
const editImage = byId<HTMLImageElement>('edit-image');

// The key stays in this browser only (localStorage), sent as a Bearer token to the gateway.
const storedKey = 'uig.playground.key';
keyInput.value = localStorage.getItem(storedKey) ?? '';
const api = new GatewayApi(() => keyInput.value);
const form = new ModelForm();
const mask = new MaskPainter(byId<HTMLCanvasElement>('mask'));

/** The image being edited: a stored id (gallery) or a data URI (upload). */
let editSource: string | undefined;
let oldest: string | undefined;
let running: AbortController | undefined;

function showError(error: unknown): void {
  errorBox.hidden = false;
  errorBox.textContent =
    error instanceof GatewayError
      ? `${error.message} (${error.status}${error.code ? ` ${error.code}` : ''})`
      : String(error);
}

function clearError(): void {
  errorBox.hidden = true;
  errorBox.textContent = '';
}

async function loadModels(): Promise<void> {
  try {
    form.setModels(await api.models());
    clearError();
  } catch (error) {
    form.setModels([]);
    showError(error);
  }
}

async function loadGallery(append = false): Promise<void> {
  try {
    const page = await api.gallery(append ? oldest : undefined);
    if (!append) gallery.replaceChildren();
    for (const entry of page.data) gallery.append(imageTile(entry, startEdit));
    oldest = page.data.at(-1)?.id ?? oldest;
    more.hidden = !page.has_more;
  } catch (error) {
    showError(error);
  }
}

function startEdit(source: { id?: string; url: string; dataUri?: string }): void {
  editSource = source.dataUri ?? source.id;
  byId('edit-source').hidden = false;
  document.body.classList.add('editing');
  byId('mode-title').textContent = 'Edit';
  runButton.textContent = 'Edit';
  editImage.onload = () => mask.reset(editImage.naturalWidth, editImage.naturalHeight);
  editImage.src = source.dataUri ?? source.url;
  const model = form.model;
  if (model && !model.capabilities.edit) {
    status.textContent = `${model.id} cannot edit: pick a model that can.`;
  }
  window.scrollTo({ top: 0 });
}

function stopEdit(): void {
  editSource = undefined;
  byId('edit-source').hidden = true;
  document.body.classList.remove('editing');
  byId('mode-title').textContent = 'Generate';
  runButton.textContent = 'Generate';
}

/** New images go to the top of the gallery at once (the listing has them too, from the next load). */
function addToGallery(answer: ImagesAnswer, prompt: string): void {
  gallery.prepend(
    ...answer.data.map((image) =>
      imageTile({ ...image, prompt: image.revised_prompt ?? prompt, model: answer.model }, startEdit),
    ),
  );
}

function showPartial(index: number, b64: string, mimeType: string): void {
  let image = results.querySelector<HTMLImageElement>(`img[data-partial="${index}"]`);
  if (!image) {
    image = document.createElement('img');
    image.dataset.partial = String(index);
    image.className = 'tile';
    results.append(image);
  }
  image.src = `data:${mimeType};base64,${b64}`;
}

function showAnswer(answer: ImagesAnswer, prompt: string): void {
  results.replaceChildren(
    ...answer.data.map((image) =>
      imageTile(
        {
          ...image,
          prompt: image.revised_prompt ?? prompt,
          model: answer.model,
          ...(answer.usage?.estimated_cost_usd !== undefined
            ? { estimated_cost_usd: answer.usage.estimated_cost_usd / answer.data.length }
            : {}),
        },
        startEdit,
      ),
    ),
  );
  const warnings = answer.warnings?.map((warning) => warning.message) ?? [];
  status.textContent = `Done: ${answer.data.length} image(s) from ${answer.model}.${warnings.length ? ` ${warnings.join(' ')}` : ''}`;
}

async function run(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  running?.abort();
  running = new AbortController();
  clearError();
  const body = form.body();
  if (editSource) {
    // An edit keeps the input's size (the gateway's rule when none is given).
    delete body.size;
    delete body.aspect_ratio;
    body.image = editSource;
    const maskUri = mask.toDataUri();
    if (maskUri) body.mask = maskUri;
  }
  runButton.disabled = true;
  status.textContent = 'Starting…';
  results.replaceChildren();
  try {
    for await (const update of api.run(body, running.signal)) {
      if (update.event === 'progress') {
        const { message, progress, total } = update.data;
        status.textContent = progress !== undefined && total ? `${message} (${progress}/${total})` : message;
      } else if (update.event === 'partial_image') {
        showPartial(update.data.index, update.data.b64_json, update.data.mime_type);
      } else if (update.event === 'completed') {
        showAnswer(update.data, String(body.prompt));
        addToGallery(update.data, String(body.prompt));
      } else if (update.event === 'error') {
        throw new GatewayError(update.data.error.message, 0, update.data.error.code);
      }
    }
  } catch (error) {
    status.textContent = '';
    if (!(error instanceof DOMException && error.name === 'AbortError')) showError(error);
  } finally {
    runButton.disabled = false;
  }
}

keyInput.addEventListener('change', () => {
  localStorage.setItem(storedKey, keyInput.value);
  void loadModels();
  void loadGallery();
});
form.select.addEventListener('change', () => form.update());
byId('form').addEventListener('submit', (event) => void run(event as SubmitEvent));
byId('refresh').addEventListener('click', () => void loadGallery());
more.addEventListener('click', () => void loadGallery(true));
byId('clear-mask').addEventListener('click', () => mask.clear());
byId('cancel-edit').addEventListener('click', stopEdit);
byId<HTMLInputElement>('brush').addEventListener('input', (event) => {
  mask.brush = Number((event.target as HTMLInputElement).value);
});
byId<HTMLInputElement>('upload').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => startEdit({ url: String(reader.result), dataUri: String(reader.result) });
  reader.readAsDataURL(file);
});

void loadModels();
void loadGallery();
