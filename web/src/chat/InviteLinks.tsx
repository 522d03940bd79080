// A group's invite links (its admins and the owning organization's admins): create one, copy
// it or hand it to the device's share sheet (Web Share API) right away — its token is shown only
// once — and revoke the live ones.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { CreatedInvite, Invite } from "../api/types";
import { ErrorText } from "../ui/ErrorText";

export function inviteUrl(token: string): string {
  return `${location.origin}/join/${encodeURIComponent(token)}`;
}

function describe(i: Invite): string {
  const uses = i.max_uses ? `${i.uses} of ${i.max_uses} uses` : `${i.uses} uses`;
  const expiry = i.expires_at ? `expires ${new Date(i.expires_at).toLocaleString()}` : "does not expire";
  return `Created ${new Date(i.created_at).toLocaleDateString()} · ${uses} · ${expiry}`;
}

export function InviteLinks({ groupId, groupName }: { groupId: string; groupName: string }) {
  const [invites, setInvites] = useState<Invite[]>([]);
  const [fresh, setFresh] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/v1/groups/${enc(groupId)}/invites`;
  const load = () =>
    api<{ invites: Invite[] }>("GET", path).then(
      (list) => setInvites(list.invites.filter((i) => !i.revoked)),
      (e) => setError((e as Error).message),
    );
  useEffect(() => void load(), [groupId]);

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    setStatus(null);
    try {
      await action();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const create = () =>
    run(async () => {
      const invite = await api<CreatedInvite>("POST", path, {});
      setFresh(inviteUrl(invite.token));
      await load();
    });
  const copy = (url: string) =>
    run(async () => {
      await navigator.clipboard.writeText(url);
      setStatus("Link copied.");
    });
  const share = (url: string) =>
    run(async () => {
      try {
        await navigator.share({ title: groupName, text: `Join ${groupName} on Parley`, url });
      } catch (e) {
        if ((e as DOMException).name !== "AbortError") throw e; // closing the sheet is no error
      }
    });
  const revoke = (id: string) =>
    run(async () => {
      await api("DELETE", `${path}/${enc(id)}`);
      setFresh(null);
      setStatus("Link revoked.");
      await load();
    });

  return (
    <section aria-labelledby="invites-title" class="invites">
      <h3 id="invites-title">Invite links</h3>
      {fresh && (
        <div class="fresh-invite">
          <label for="invite-url">New link (shown once)</label>
          <input id="invite-url" readOnly value={fresh} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy(fresh)}>
            Copy link
          </button>
          {typeof navigator.share === "function" && (
            <button type="button" onClick={() => void share(fresh)}>
              Share link
            </button>
          )}
        </div>
      )}
      <ul class="rows">
        {invites.map((i) => (
          <li key={i.id} data-invite={i.id}>
            <span>{describe(i)}</span>
            <button type="button" class="link" onClick={() => void revoke(i.id)}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void create()}>
        Create invite link
      </button>
      {status && <p role="status">{status}</p>}
      <ErrorText error={error} />
    </section>
  );
}
