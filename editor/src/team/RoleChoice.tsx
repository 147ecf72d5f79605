import { type Role, roles } from '@convoflow/engine';
import { roleNames, roleSentences } from '../app/useMe.ts';

/** The four roles as radio buttons, each with what it may do: for a new key and an invitation. */
export function RoleChoice({
  name,
  role,
  onChange,
}: {
  /** The radio group's name, also the prefix of each button's test id (`<name>-<role>`). */
  name: string;
  role: Role;
  onChange: (role: Role) => void;
}) {
  return (
    <fieldset className="team-roles">
      <legend>Role</legend>
      {roles.map((each) => (
        <label key={each} className="team-role">
          <input
            type="radio"
            name={name}
            value={each}
            checked={role === each}
            onChange={() => onChange(each)}
            data-testid={`${name}-${each}`}
          />
          <span>
            <strong>{roleNames[each]}</strong>
            <span className="muted">{roleSentences[each]}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
