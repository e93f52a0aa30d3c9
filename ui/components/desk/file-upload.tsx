import { useRef } from 'preact/hooks';
import { useAction } from '../../api/hooks.js';
import { fileToUpload, ATTACHMENT_TYPES } from '../../desk/format.js';
import type { UploadBody } from '../../desk/types.js';
import { t } from '../../i18n/index.js';
import { ErrorText } from '../error-text.js';

/** A file input that uploads the chosen file at once (checked for size and type first). */
export function FileUpload({ id, upload, onUploaded }: { id: string; upload: (body: UploadBody) => Promise<unknown>; onUploaded: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const action = useAction();
  const choose = (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    void action.run(async () => {
      await upload(await fileToUpload(file));
      if (input.current) input.current.value = '';
      onUploaded();
    });
  };
  return (
    <div class="field">
      <label for={id}>{t('desk.attach.add')}</label>
      <p class="hint" id={`${id}-hint`}>{t('desk.attach.hint')}</p>
      <input id={id} ref={input} type="file" data-testid="attachment-input" aria-describedby={`${id}-hint`} accept={ATTACHMENT_TYPES.join(',')} disabled={action.busy} onChange={choose} />
      <ErrorText error={action.error} />
    </div>
  );
}
