/**
 * Paints an edit mask over the image being edited. The visible canvas shows strokes in
 * translucent red; `toDataUri` turns them into the mask the API takes (OpenAI's
 * convention: a PNG the size of the image, opaque where the image stays, alpha 0 where
 * it may change).
 */
export class MaskPainter {
  private painting = false;
  private painted = false;
  brush = 40;

  constructor(private readonly canvas: HTMLCanvasElement) {
    canvas.addEventListener('pointerdown', (event) => {
      this.painting = true;
      canvas.setPointerCapture(event.pointerId);
      this.paint(event);
    });
    canvas.addEventListener('pointermove', (event) => {
      if (this.painting) this.paint(event);
    });
    const stop = () => {
      this.painting = false;
    };
    canvas.addEventListener('pointerup', stop);
    canvas.addEventListener('pointercancel', stop);
  }

  /** Sizes the canvas to the image's own pixels and clears it. */
  reset(width: number, height: number): void {
    this.canvas.width = width;
    this.canvas.height = height;
    this.clear();
  }

  clear(): void {
    this.canvas.getContext('2d')!.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.painted = false;
  }

  get hasMask(): boolean {
    return this.painted;
  }

  private paint(event: PointerEvent): void {
    const bounds = this.canvas.getBoundingClientRect();
    const scale = this.canvas.width / bounds.width;
    const context = this.canvas.getContext('2d')!;
    context.fillStyle = 'rgba(230, 40, 40, 0.55)';
    context.beginPath();
    context.arc(
      (event.clientX - bounds.left) * scale,
      (event.clientY - bounds.top) * scale,
      (this.brush / 2) * scale,
      0,
      Math.PI * 2,
    );
    context.fill();
    this.painted = true;
  }

  /** The mask as a PNG data URI, or undefined when nothing was painted. */
  toDataUri(): string | undefined {
    if (!this.painted) return undefined;
    const mask = document.createElement('canvas');
    mask.width = this.canvas.width;
    mask.height = this.canvas.height;
    const context = mask.getContext('2d')!;
    context.fillStyle = '#000';
    context.fillRect(0, 0, mask.width, mask.height);
    // Painted strokes punch holes: alpha 0 where the image may change.
    context.globalCompositeOperation = 'destination-out';
    context.drawImage(this.canvas, 0, 0);
    return mask.toDataURL('image/png');
  }
}
