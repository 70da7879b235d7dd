import { describeTarget } from '../harness/judge-measurement.js';
import type { RunReport } from '../harness/run-report.js';
import { formatRatio, formatWithUnit } from './format-figure.js';

const WIDTH = 1180; // room for the longest row title (label, direction, ratio, target, verdict)
const LEFT = 190; // column for the contender names
const VALUE_COLUMN = 150; // room right of the bars for the figures
const ROW_HEIGHT = 78;
const TOP = 46;
const BAR_HEIGHT = 16;
const colors = { pass: '#2e7d32', fail: '#c62828', info: '#1565c0', reference: '#9e9e9e', text: '#212121' };

/**
 * A bar chart of every measurement flagged `chart: true`: per row, our bar and the reference's,
 * scaled to the larger of the two, with the ratio and the verdict. Plain SVG with no fonts or
 * scripts, so it renders the same on GitHub, in an editor and in a browser.
 */
export function renderSvgChart(report: RunReport): string {
  const rows = report.measurements.filter(
    (measurement) => measurement.chart && measurement.reference !== undefined,
  );
  const height = TOP + rows.length * ROW_HEIGHT + 24;
  const barSpace = WIDTH - LEFT - VALUE_COLUMN;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(
      16,
      24,
      `Colchis benchmarks: ours vs reference (${report.date.slice(0, 10)}, Node ${report.machine.node}${report.quick ? ', quick run' : ''})`,
      'font-size="15" font-weight="bold"',
    ),
  ];
  rows.forEach((measurement, index) => {
    const y = TOP + index * ROW_HEIGHT;
    const reference = measurement.reference ?? 0;
    const scale = Math.max(measurement.ours, reference) || 1;
    const verdict = measurement.pass === undefined ? 'info' : measurement.pass ? 'pass' : 'fail';
    const direction = measurement.higherIsBetter ? 'higher is better' : 'lower is better';
    const target = measurement.target
      ? `, target ${describeTarget(measurement.target, measurement.unit)}`
      : '';
    const verdictText = verdict === 'info' ? '' : ` — ${verdict.toUpperCase()}`;
    parts.push(
      text(
        16,
        y + 14,
        `${measurement.label} (${direction}): ratio ${formatRatio(measurement.ratio)}${target}${verdictText}`,
        'font-weight="bold"',
      ),
    );
    const bars: [string, number, string][] = [
      ['Colchis', measurement.ours, colors[verdict]],
      [measurement.referenceName ?? 'reference', reference, colors.reference],
    ];
    bars.forEach(([name, value, color], barIndex) => {
      const barY = y + 24 + barIndex * (BAR_HEIGHT + 6);
      const barWidth = Math.max(1, (value / scale) * barSpace);
      parts.push(
        text(16, barY + BAR_HEIGHT - 3, name),
        `<rect x="${LEFT}" y="${barY}" width="${barWidth.toFixed(1)}" height="${BAR_HEIGHT}" fill="${color}" rx="2"/>`,
        text(LEFT + barWidth + 8, barY + BAR_HEIGHT - 3, formatWithUnit(value, measurement.unit)),
      );
    });
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y}" fill="${colors.text}" ${attributes}>${escapeXml(content)}</text>`;
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
