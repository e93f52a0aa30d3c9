import { keysymForKey } from '../../protocol/keysyms.js';
import type { Message } from '../../protocol/messages.js';

type InputMessage = Message<'input.pointer' | 'input.button' | 'input.wheel' | 'input.key'>;

/** Pixels of wheel delta per wheel step (a notch is ~100 in Chromium and Firefox). */
const WHEEL_STEP = 100;

/**
 * Turns the technician's mouse and keyboard on the canvas into input messages in remote screen
 * coordinates (whatever the canvas is scaled to). Pointer moves go out at most once per frame;
 * keys go out as keysyms, and a key is released with the keysym it was pressed with (Shift may
 * have changed `key` in between). Returns a function that removes every listener.
 */
export function bindScreenInput(element: HTMLCanvasElement, send: (message: InputMessage) => void): () => void {
  const pressed = new Map<string, number>();
  let pendingMove: { x: number; y: number } | null = null;
  let wheelY = 0;
  let wheelX = 0;

  const position = (event: MouseEvent) => {
    const box = element.getBoundingClientRect();
    const x = Math.floor(((event.clientX - box.left) / box.width) * element.width);
    const y = Math.floor(((event.clientY - box.top) / box.height) * element.height);
    return { x: Math.max(0, Math.min(element.width - 1, x)), y: Math.max(0, Math.min(element.height - 1, y)) };
  };
  const flushMove = () => {
    if (pendingMove) send({ type: 'input.pointer', ...pendingMove });
    pendingMove = null;
  };
  const onMove = (event: MouseEvent) => {
    if (!pendingMove) requestAnimationFrame(flushMove);
    pendingMove = position(event);
  };
  const onButton = (down: boolean) => (event: MouseEvent) => {
    event.preventDefault();
    if (down) element.focus();
    pendingMove = position(event);
    flushMove();
    send({ type: 'input.button', button: [1, 2, 3][event.button] ?? 1, down });
  };
  const onWheel = (event: WheelEvent) => {
    event.preventDefault();
    wheelY += event.deltaY;
    wheelX += event.deltaX;
    const dy = Math.trunc(wheelY / WHEEL_STEP);
    const dx = Math.trunc(wheelX / WHEEL_STEP);
    wheelY -= dy * WHEEL_STEP;
    wheelX -= dx * WHEEL_STEP;
    if (dx || dy) send({ type: 'input.wheel', dx: clamp(dx), dy: clamp(dy) });
  };
  const onKey = (down: boolean) => (event: KeyboardEvent) => {
    const keysym = down ? keysymForKey(event.key, event.code) : pressed.get(event.code);
    if (!keysym) return;
    event.preventDefault();
    if (down) pressed.set(event.code, keysym);
    else pressed.delete(event.code);
    send({ type: 'input.key', keysym, down });
  };
  const releaseAll = () => {
    for (const keysym of pressed.values()) send({ type: 'input.key', keysym, down: false });
    pressed.clear();
  };
  const noMenu = (event: Event) => event.preventDefault();

  const listeners: [string, EventListener][] = [
    ['mousemove', onMove as EventListener], ['mousedown', onButton(true) as EventListener], ['mouseup', onButton(false) as EventListener],
    ['wheel', onWheel as EventListener], ['keydown', onKey(true) as EventListener], ['keyup', onKey(false) as EventListener],
    ['blur', releaseAll], ['contextmenu', noMenu],
  ];
  for (const [name, listener] of listeners) element.addEventListener(name, listener, { passive: false });
  return () => {
    releaseAll();
    for (const [name, listener] of listeners) element.removeEventListener(name, listener);
  };
}

const clamp = (steps: number) => Math.max(-20, Math.min(20, steps));
