// A labelled choice of one group among several.
interface Props {
  id: string;
  label: string;
  groups: { id: string; name: string }[];
  value: string;
  onChange(id: string): void;
}

export function GroupSelect({ id, label, groups, value, onChange }: Props) {
  return (
    <>
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {groups.map((g) => (
          <option value={g.id} key={g.id}>
            {g.name}
          </option>
        ))}
      </select>
    </>
  );
}
