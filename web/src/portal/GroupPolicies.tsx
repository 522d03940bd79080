// An organization group's policies: each one follows the organization (the tenant's value) or
// is set for this group. Organization admins set them either way; group admins only while the
// tenant lets them, and only stricter than the tenant (the server answers `looser_than_tenant`).
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { GroupPolicyName, GroupView, OrganizationView } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import { GROUP_POLICIES, onOff } from "./policies";

interface Props {
  group: GroupView;
  tenant: OrganizationView;
  orgAdmin: boolean;
  onSaved(group: GroupView): void;
}

type Choice = "inherit" | "on" | "off";
const choiceOf = (v: boolean | null | undefined): Choice => (v === null || v === undefined ? "inherit" : v ? "on" : "off");
const valueOf = (c: Choice) => (c === "inherit" ? null : c === "on");

export function GroupPolicies({ group, tenant, orgAdmin, onSaved }: Props) {
  const overrides = group.policy_overrides!;
  const initial = () => Object.fromEntries(GROUP_POLICIES.map((p) => [p.name, choiceOf(overrides[p.name])])) as Record<GroupPolicyName, Choice>;
  const [choices, setChoices] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => setChoices(initial()), [group]);

  const editable = orgAdmin || (group.my_role === "admin" && tenant.policies.group_admins_set_policies);
  const changed = GROUP_POLICIES.filter((p) => choices[p.name] !== choiceOf(overrides[p.name]));

  async function save(e: Event) {
    e.preventDefault();
    setError(null);
    setNote(null);
    try {
      const policies = Object.fromEntries(changed.map((p) => [p.name, valueOf(choices[p.name])]));
      onSaved(await api<GroupView>("PATCH", `/api/v1/groups/${enc(group.id)}`, { policies }));
      setNote("Policies saved.");
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section aria-labelledby="group-policies-title">
      <h3 id="group-policies-title">Policies</h3>
      {!editable && <p class="hint-inline">{group.my_role === "admin" ? "The organization lets only its admins set group policies." : "Set by the organization's and the group's admins."}</p>}
      <form onSubmit={save}>
        <div class="table-scroll">
          <table class="policies">
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">In force</th>
                <th scope="col">Setting</th>
              </tr>
            </thead>
            <tbody>
              {GROUP_POLICIES.map((p) => (
                <tr key={p.name} data-policy={p.name}>
                  <th scope="row">{p.label}</th>
                  <td class="in-force">{onOff(group.policies[p.name])}</td>
                  <td>
                    <select
                      aria-label={`${p.label} for this group`}
                      disabled={!editable}
                      value={choices[p.name]}
                      onChange={(e) => setChoices({ ...choices, [p.name]: e.currentTarget.value as Choice })}
                    >
                      <option value="inherit">Organization default ({onOff(tenant.policies[p.name])})</option>
                      <option value="on">On for this group</option>
                      <option value="off">Off for this group</option>
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {editable && (
          <button type="submit" disabled={changed.length === 0}>
            Save group policies
          </button>
        )}
      </form>
      <ErrorText error={error} />
      {note && <p role="status">{note}</p>}
    </section>
  );
}
