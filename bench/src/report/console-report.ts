import { describeTarget } from '../harness/judge-measurement.js';
import { type RunReport, targetSummary } from '../harness/run-report.js';
import { formatRatio, formatWithUnit } from './format-figure.js';

/** The results as an aligned plain-text table for the terminal. */
export function renderConsoleReport(report: RunReport): string {
  const header = ['Benchmark', 'Ours', 'Reference', 'Ratio', 'Target', 'Result'];
  const rows = report.measurements.map((measurement) => [
    measurement.label,
    formatWithUnit(measurement.ours, measurement.unit),
    measurement.reference === undefined ? '—' : formatWithUnit(measurement.reference, measurement.unit),
    formatRatio(measurement.ratio),
    measurement.target ? describeTarget(measurement.target, measurement.unit) : '—',
    measurement.pass === undefined ? 'info' : measurement.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const { met, missed } = targetSummary(report);
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
    '',
    `${met} target(s) met, ${missed.length} missed${report.quick ? ' (quick run: indicative only)' : ''}; ${report.durationSeconds.toFixed(0)} s.`,
  ].join('\n');
}
