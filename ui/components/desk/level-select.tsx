import { levels, type Level } from '../../desk/types.js';
import { t } from '../../i18n/index.js';

/** A select of high / medium / low (impact, urgency, risk). */
export function LevelSelect({ id, value, onChange, testId }: { id: string; value: Level; onChange: (level: Level) => void; testId?: string }) {
  return (
    <select id={id} data-testid={testId} value={value} onChange={(e) => onChange(e.currentTarget.value as Level)}>
      {levels.map((l) => <option key={l} value={l}>{t(`desk.level.${l}`)}</option>)}
    </select>
  );
}
