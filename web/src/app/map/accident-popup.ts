import { Accident, SEVERITY_LABELS, isoDate, severityClass } from '../core/accident';

/** A popup's content as DOM (text only: no record value is ever parsed as HTML). */
export function accidentPopup(a: Accident): HTMLElement {
  const root = document.createElement('div');
  root.className = 'popup';
  const title = document.createElement('strong');
  title.textContent = `${isoDate(a.date)} · ${a.location ?? 'unknown location'}${a.country ? ` (${a.country})` : ''}`;
  root.appendChild(title);
  const dl = document.createElement('dl');
  const row = (k: string, v: string) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  };
  row('Aircraft', [a.make, a.model].filter(Boolean).join(' ') || '—');
  row(
    'Injuries',
    `${a.fatal} fatal, ${a.serious} serious, ${a.minor} minor, ${a.uninjured} uninjured`,
  );
  row('Severity', `${a.severity ?? '—'} (${SEVERITY_LABELS[severityClass(a)]})`);
  row('Damage', a.damage ?? '—');
  row('Phase', a.phase ?? '—');
  row('Weather', a.weather ?? '—');
  row('Accident no.', a.number ?? '—');
  root.appendChild(dl);
  return root;
}
