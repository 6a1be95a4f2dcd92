// What layer 1 hands the terminal driver: lines of styled segments, already cut to the
// screen's width. No terminal library in here.

export type Style = 'normal' | 'dim' | 'bold' | 'accent' | 'ok' | 'warn' | 'danger' | 'selected' | 'inverse';

export interface Segment {
  text: string;
  style: Style;
}

export type Line = Segment[];

export function seg(text: string, style: Style = 'normal'): Segment {
  return { text, style };
}

export function line(text: string, style: Style = 'normal'): Line {
  return [seg(text, style)];
}

export function lineText(value: Line): string {
  return value.map((segment) => segment.text).join('');
}
