import { toAccident } from '../core/accident';
import { accidentPopup } from './accident-popup';

describe('accidentPopup', () => {
  it('shows date, location, aircraft, injuries, damage, phase and weather as text only', () => {
    const el = accidentPopup(
      toAccident({
        'Event.Date': Date.UTC(1982, 0, 1),
        Location: '<img src=x onerror=alert(1)>',
        Country: 'United States',
        Make: 'Cessna',
        Model: '152',
        'Injury.Severity': 'Fatal(1)',
        'Aircraft.damage': 'Destroyed',
        'Broad.phase.of.flight': 'Cruise',
        'Weather.Condition': 'IMC',
        'Total.Fatal.Injuries': 1,
      }),
    );
    expect(el.querySelector('img')).toBeNull();
    const text = el.textContent ?? '';
    for (const part of [
      '1982-01-01',
      '<img src=x',
      'Cessna 152',
      '1 fatal',
      'Destroyed',
      'Cruise',
      'IMC',
    ]) {
      expect(text).toContain(part);
    }
  });
});
