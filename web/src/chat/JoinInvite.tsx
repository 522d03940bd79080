// Where an invite link leads (/join/<token>): what the group is, and a button to join it.
import { useEffect, useState } from "preact/hooks";
import { api, enc } from "../api/client";
import type { Conversation, InvitePreview } from "../api/types";
import { chat } from "./store";
import { OrgMark } from "../ui/OrgMark";
import { ErrorText } from "../ui/ErrorText";
import { navigate } from "../ui/router";

export function JoinInvite({ token }: { token: string }) {
  const [preview, setPreview] = useState<InvitePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/v1/invites/${enc(token)}`;
  useEffect(() => {
    api<InvitePreview>("GET", path).then(setPreview, (e) => setError((e as Error).message));
  }, [token]);

  async function join() {
    setError(null);
    try {
      const group = await api<Conversation>("POST", path);
      await chat.refreshConversations();
      navigate("/chats/" + encodeURIComponent(group.id), true);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section class="panel-form" aria-labelledby="join-title">
      <h2 id="join-title">Join a group</h2>
      {preview && (
        <>
          <p>
            <strong>{preview.group.name}</strong> · {preview.group.member_count} members
            {preview.group.organization && (
              <>
                {" "}
                · <OrgMark name={preview.group.organization.name} /> {preview.group.organization.name} owns this group and its messages.
              </>
            )}
          </p>
          {preview.revoked ? <p class="error">This link was revoked.</p> : <button type="button" onClick={() => void join()}>Join group</button>}
        </>
      )}
      <ErrorText error={error} />
    </section>
  );
}
