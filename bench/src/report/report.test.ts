import { describe, expect, it } from 'vitest';
import { judgeMeasurement } from '../harness/judge-measurement.js';
import type { RunReport } from '../harness/run-report.js';
import { renderConsoleReport } from './console-report.js';
import { formatFigure, formatWithUnit } from './format-figure.js';
import { renderMarkdownReport } from './markdown-report.js';
import { renderSvgChart } from './svg-chart.js';

const report: RunReport = {
  date: '2026-03-14T09:26:53.589Z',
  command: 'pnpm bench',
  quick: false,
  dist: false,
  pinned: true,
  loadAverage: { before: 0.5, after: 0.7 },
  durationSeconds: 95,
  machine: {
    cpuModel: 'Test CPU <fast>',
    cores: 2,
    memoryGiB: 24,
    os: 'Linux 6 (x64)',
    node: 'v20.20.2',
    undici: '7.30.2',
    colchisCore: '0.1.0',
    commit: 'abc',
  },
  benchmarks: [{ id: 'transport', title: 'Transport', method: 'How it is measured.' }],
  measurements: [
    judgeMeasurement('transport', {
      id: 'transport.latency',
      label: 'Latency',
      unit: 'µs',
      ours: 120,
      reference: 100,
      referenceName: 'raw <undici>',
      higherIsBetter: false,
      target: { on: 'ratio', comparison: '<=', value: 1.1 },
      rounds: { ours: [118, 120, 125], reference: [99, 100, 101] },
      chart: true,
    }),
    judgeMeasurement('transport', {
      id: 'transport.cpu',
      label: 'CPU',
      unit: 'µs',
      ours: 50,
      reference: 60,
      higherIsBetter: false,
      note: 'Informational.',
    }),
  ],
};

describe('renderMarkdownReport', () => {
  const markdown = renderMarkdownReport(report, { chartFile: 'benchmarks.svg', analysis: 'Why it is so.' });
  it('has a table row per measurement with ratio, target and verdict', () => {
    expect(markdown).toContain('| Latency | 120 µs | 100 µs (raw <undici>) | 1.200× | ≤ 1.10× | **FAIL** |');
    expect(markdown).toContain('| CPU | 50 µs | 60 µs (reference) | 0.833× | — | info |');
    expect(markdown).toContain('1 of 1 targets missed: Latency. The Analysis section below says where');
  });
  it('names the machine, the versions, the command and the date', () => {
    for (const text of [
      'Test CPU <fast>',
      '| Cores (logical) | 2 |',
      'v20.20.2',
      '7.30.2',
      '`pnpm bench`',
      '2026-03-14',
    ]) {
      expect(markdown).toContain(text);
    }
  });
  it('links the chart and carries the method, the rounds and the analysis', () => {
    expect(markdown).toContain('](benchmarks.svg)');
    expect(markdown).toContain('How it is measured.');
    expect(markdown).toContain(
      '| Latency | 118 / 120 / 125 (5.8 %) | 99 / 100 / 101 (2.0 %) | 1.192× / 1.200× / 1.238× | 3 |',
    );
    expect(markdown).toContain('## Analysis\n\nWhy it is so.');
  });
});

describe('renderSvgChart', () => {
  const svg = renderSvgChart(report);
  it('draws only measurements flagged for the chart, with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('raw &#60;undici&#62;');
    expect(svg).not.toContain('<undici>');
    expect(svg).not.toContain('>CPU');
    expect(svg.match(/<rect /g)).toHaveLength(3); // background + two bars
  });
  it('scales the larger bar to the full width and colours a missed target red', () => {
    expect(svg).toMatch(/<rect x="190" y="\d+" width="840.0" height="16" fill="#c62828"/);
    expect(svg).toMatch(/<rect x="190" y="\d+" width="700.0" height="16" fill="#9e9e9e"/);
  });
});

describe('renderConsoleReport and formatFigure', () => {
  it('prints a verdict per row and the summary line', () => {
    const text = renderConsoleReport(report);
    expect(text).toMatch(/Latency\s+120 µs\s+100 µs\s+1\.200×\s+≤ 1\.10×\s+FAIL/);
    expect(text).toContain('0 target(s) met, 1 missed; 95 s.');
  });
  it('uses digits that fit the size of the figure', () => {
    expect(formatFigure(12480.4)).toBe('12,480');
    expect(formatFigure(152.34)).toBe('152.3');
    expect(formatFigure(0.837)).toBe('0.84');
    expect(formatFigure(1)).toBe('1');
    expect(formatWithUnit(1, 'requests')).toBe('1 request');
    expect(formatWithUnit(1000, 'requests')).toBe('1,000 requests');
    expect(formatWithUnit(1, 'ms')).toBe('1 ms');
  });
});
