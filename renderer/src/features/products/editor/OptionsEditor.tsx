/**
 * The product's options (Size: S, M, L; Colour: …), at most five. Renaming an option carries the
 * variants' values along; "Add variants" creates a variant for each combination still missing.
 */
import { Button } from '../../../components/Button.js';
import { TextField } from '../../../components/TextField.js';
import type { FieldErrors } from '../../../lib/api.js';
import {
  addOption,
  generateVariants,
  missingCombinations,
  MAX_OPTIONS,
  type ProductDraft,
  removeOption,
  renameOption,
  setOptionValues,
} from './product-form.js';
import { TagInput } from './TagInput.js';

export interface OptionsEditorProps {
  draft: ProductDraft;
  errors: FieldErrors;
  change: (recipe: (draft: ProductDraft) => ProductDraft, path?: string) => void;
  currency: string;
}

export function OptionsEditor({ draft, errors, change, currency }: OptionsEditorProps) {
  const missing = missingCombinations(draft).length;
  return (
    <div className="options-editor">
      {draft.options.length === 0 && (
        <p className="muted">
          This product comes in one version. Add options such as size or colour when it comes in several.
        </p>
      )}
      {draft.options.map((option, index) => (
        <div key={index} className="option-row">
          <TextField
            label="Option name"
            className="option-name"
            value={option.name}
            placeholder="Size"
            maxLength={60}
            onChange={(name) => change((d) => renameOption(d, index, name), `options.${index}.name`)}
            error={errors[`options.${index}.name`]}
          />
          <TagInput
            label="Values"
            className="option-values"
            values={option.values}
            placeholder={index === 0 ? 'S, M, L: press Enter after each' : 'Add a value, press Enter'}
            maxLength={60}
            error={errors[`options.${index}.values`] ?? firstValueError(errors, index)}
            onChange={(values) => change((d) => setOptionValues(d, index, values), `options.${index}.values`)}
          />
          <Button
            variant="ghost"
            className="option-remove"
            aria-label={`Remove option ${option.name || index + 1}`}
            onClick={() => change((d) => removeOption(d, index))}
          >
            Remove
          </Button>
        </div>
      ))}
      <div className="options-actions">
        <Button onClick={() => change(addOption)} disabled={draft.options.length >= MAX_OPTIONS}>
          Add option
        </Button>
        {missing > 0 && (
          <Button onClick={() => change((d) => generateVariants(d, currency))}>
            Add {missing === 1 ? 'the missing variant' : `${missing} missing variants`}
          </Button>
        )}
      </div>
    </div>
  );
}

/** The contract reports a bad value as `options.0.values.2`: show it on the values box. */
function firstValueError(errors: FieldErrors, index: number): string | undefined {
  const prefix = `options.${index}.values.`;
  const key = Object.keys(errors).find((k) => k.startsWith(prefix));
  return key === undefined ? undefined : errors[key];
}
