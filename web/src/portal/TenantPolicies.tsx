// The organization's (tenant's) policies, which every organization chat and group follows
// unless a group sets its own. Turning Parley off for the organization asks for confirmation.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { OrganizationView, TenantPolicyName } from "../api/types";
import { ErrorText } from "../ui/ErrorText";
import { TENANT_POLICIES } from "./policies";

type Policies = Record<TenantPolicyName, boolean>;

export function TenantPolicies({ orgId }: { orgId: string }) {
  const path = `/api/v1/organizations/${enc(orgId)}`;
  const [saved, setSaved] = useState<Policies | null>(null);
  const [draft, setDraft] = useState<Policies | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    api<OrganizationView>("GET", path)
      .then((o) => {
        setSaved(o.policies);
        setDraft(o.policies);
      })
      .catch((e) => setError((e as Error).message));
  }, [orgId]);

  if (!saved || !draft) return <ErrorText error={error} />;
  const changes = TENANT_POLICIES.filter((p) => draft[p.name] !== saved[p.name]);
  const disabling = saved.parley_enabled && !draft.parley_enabled;

  async function save() {
    setError(null);
    setNote(null);
    try {
      const policies = Object.fromEntries(changes.map((p) => [p.name, draft![p.name]]));
      const o = await api<OrganizationView>("PATCH", path, { policies });
      setSaved(o.policies);
      setDraft(o.policies);
      setConfirming(false);
      setNote("Policies saved.");
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section aria-labelledby="policies-title">
      <h2 id="policies-title">Policies</h2>
      <p class="hint-inline">For every chat and group the organization owns; a group can set some of its own.</p>
      <form
        class="panel-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (disabling) setConfirming(true);
          else void save();
        }}
      >
        {TENANT_POLICIES.map((p) => (
          <label class="check" key={p.name}>
            <input
              type="checkbox"
              checked={draft[p.name]}
              onChange={(e) => {
                setDraft({ ...draft, [p.name]: e.currentTarget.checked });
                setConfirming(false);
              }}
            />{" "}
            {p.label}
            {p.hint && <span class="muted"> — {p.hint}</span>}
          </label>
        ))}
        {confirming ? (
          <div class="confirm" role="alertdialog" aria-labelledby="disable-title" aria-describedby="disable-text">
            <p id="disable-title">
              <strong>Turn Parley off for the organization?</strong>
            </p>
            <p id="disable-text">Its members can no longer read or send in any of its chats and groups until an admin turns it back on.</p>
            <button type="button" class="danger" onClick={() => void save()}>
              Turn Parley off
            </button>{" "}
            <button type="button" class="link" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="submit" disabled={changes.length === 0}>
            Save policies
          </button>
        )}
      </form>
      <ErrorText error={error} />
      {note && <p role="status">{note}</p>}
    </section>
  );
}
