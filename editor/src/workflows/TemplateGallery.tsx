import type { WorkflowTemplate } from '@convoflow/engine';
import { type ReactNode, useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { groupColours } from '../canvas/FlowCanvas.tsx';
import { definitionOf } from '../canvas/node-types.ts';
import { apiErrorText } from './apiErrorText.ts';
import { TemplatePicture } from './TemplatePicture.tsx';
import './template-gallery.css';

/** The templates the server offers (its shipped examples); null while loading. */
export function useTemplates(): { templates: WorkflowTemplate[] | null; error: string | null } {
  const [templates, setTemplates] = useState<WorkflowTemplate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let open = true;
    api
      .templates()
      .then((loaded) => open && setTemplates(loaded))
      .catch((caught: unknown) => {
        if (!open) return;
        // Blank still works: the gallery just offers nothing else.
        setTemplates([]);
        setError(apiErrorText(caught));
      });
    return () => {
      open = false;
    };
  }, []);
  return { templates, error };
}

const colourOf = (type: string) => groupColours[definitionOf(type)?.group ?? ''] ?? '#94a3b8';

export interface TemplateGalleryProps {
  templates: readonly WorkflowTemplate[];
  /** The chosen template's id; null: blank. */
  selected: string | null;
  onSelect: (id: string | null) => void;
}

/**
 * "Start from": blank, or one of the templates, each with its description and a picture of its
 * graph. Native radio buttons (visually hidden inside each card), so arrow keys move the choice.
 */
export function TemplateGallery({ templates, selected, onSelect }: TemplateGalleryProps) {
  return (
    <fieldset className="template-gallery" data-testid="template-gallery">
      <legend className="visually-hidden">Start from</legend>
      <Option
        id={null}
        selected={selected === null}
        onSelect={onSelect}
        name="Blank"
        description="Just a trigger: build it step by step."
      >
        <svg className="template-picture template-picture--blank" viewBox="0 0 320 170" aria-hidden="true">
          <rect
            x={40}
            y={40}
            width={240}
            height={90}
            rx={16}
            fill="none"
            stroke="#94a3b8"
            strokeWidth={6}
            strokeDasharray="16 12"
          />
        </svg>
      </Option>
      {templates.map((template) => (
        <Option
          key={template.id}
          id={template.id}
          selected={selected === template.id}
          onSelect={onSelect}
          name={template.name}
          description={template.description ?? ''}
        >
          <TemplatePicture workflow={template.workflow} colourOf={colourOf} title={`Steps of ${template.name}`} />
        </Option>
      ))}
    </fieldset>
  );
}

function Option({
  id,
  selected,
  onSelect,
  name,
  description,
  children,
}: {
  id: string | null;
  selected: boolean;
  onSelect: (id: string | null) => void;
  name: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <label
      className={`template-option${selected ? ' template-option--selected' : ''}`}
      data-testid={`template-${id ?? 'blank'}`}
    >
      <input
        type="radio"
        name="template"
        className="visually-hidden"
        value={id ?? ''}
        checked={selected}
        onChange={() => onSelect(id)}
      />
      {children}
      <span className="template-option__name">{name}</span>
      {description && <span className="template-option__description">{description}</span>}
    </label>
  );
}
