import type { ModelEntry } from './gateway-api.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function fill(select: HTMLSelectElement, values: readonly string[], selected?: string): void {
  select.replaceChildren(
    ...values.map((value) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = value;
      option.selected = value === selected;
      return option;
    }),
  );
}

/** Shows only the fields the chosen model takes, and reads the form into a native request body. */
export class ModelForm {
  private models: ModelEntry[] = [];
  readonly select = byId<HTMLSelectElement>('model');

  setModels(models: ModelEntry[]): void {
    const previous = this.select.value;
    this.models = models;
    this.select.replaceChildren(
      ...models.map((model) => {
        const option = document.createElement('option');
        option.value = model.id;
        option.textContent = `${model.id}${model.default ? ' (default)' : ''}`;
        return option;
      }),
    );
    const keep = models.find((model) => model.id === previous) ?? models.find((model) => model.default);
    if (keep) this.select.value = keep.id;
    this.update();
  }

  get model(): ModelEntry | undefined {
    return this.models.find((model) => model.id === this.select.value);
  }

  /** Re-renders the fields for the selected model. */
  update(): void {
    const model = this.model;
    const show = (field: string, visible: boolean) => {
      const label = document.querySelector<HTMLElement>(`[data-field="${field}"]`);
      if (label) label.hidden = !visible;
    };
    if (!model) return;
    const caps = model.capabilities;
    const sizes = caps.sizes?.allowed ?? (caps.sizes ? [caps.sizes.default] : []);
    show('size', sizes.length > 0);
    fill(byId('size'), sizes, caps.sizes?.default);
    show('aspect_ratio', Boolean(caps.aspectRatios?.length));
    fill(byId('aspect-ratio'), caps.aspectRatios ?? []);
    show('quality', Boolean(caps.qualities?.length));
    fill(byId('quality'), ['', ...(caps.qualities ?? [])]);
    show('seed', caps.seed);
    show('negative_prompt', caps.negativePrompt);
    byId<HTMLInputElement>('n').max = String(caps.maxImagesPerRequest);
    const can = [
      caps.generate && 'generate',
      caps.edit && 'edit',
      caps.mask && 'mask',
      caps.seed && 'seed',
      caps.negativePrompt && 'negative prompt',
      `up to ${caps.maxImagesPerRequest} images`,
    ].filter(Boolean);
    byId('capabilities').textContent = `${model.description ?? ''} — ${can.join(', ')}`;
  }

  /** The native request body for the current form (without image and mask). */
  body(): Record<string, unknown> {
    const model = this.model;
    const value = (id: string) => byId<HTMLInputElement | HTMLSelectElement>(id).value.trim();
    const visible = (field: string) =>
      !document.querySelector<HTMLElement>(`[data-field="${field}"]`)?.hidden;
    const body: Record<string, unknown> = { prompt: value('prompt'), n: Number(value('n') || 1) };
    if (model) body.model = model.id;
    if (visible('aspect_ratio') && value('aspect-ratio')) body.aspect_ratio = value('aspect-ratio');
    else if (visible('size') && value('size')) body.size = value('size');
    if (visible('quality') && value('quality')) body.quality = value('quality');
    if (visible('seed') && value('seed')) body.seed = Number(value('seed'));
    if (visible('negative_prompt') && value('negative-prompt'))
      body.negative_prompt = value('negative-prompt');
    return body;
  }
}
